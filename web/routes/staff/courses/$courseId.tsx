import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound } from "@tanstack/react-router";
import { useState } from "react";
import { ConfirmAction } from "../../../components/confirm-action";
import { ErrorNotice, SuccessNotice } from "../../../components/error-notice";
import { CheckboxGroup, SelectField } from "../../../components/fields";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { ApiError, api, unwrap } from "../../../lib/api";
import { formatDay, formatTimeRange } from "../../../lib/bookings";
import { type Course, courseQuery, rosterQuery } from "../../../lib/courses";
import { useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { ForbiddenError } from "../../../lib/roles";

export const Route = createFileRoute("/staff/courses/$courseId")({
  beforeLoad: ({ context }) => {
    if (!context.sections.courses) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: async ({ context: { queryClient }, params }) => {
    try {
      await Promise.all([
        queryClient.ensureQueryData(courseQuery(params.courseId)),
        queryClient.ensureQueryData(rosterQuery(params.courseId)),
      ]);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) throw notFound();
      throw error;
    }
  },
  component: StaffCoursePage,
});

/** Attendance may be taken from 30 minutes before a session (as the API allows). */
const EARLY_MS = 30 * 60_000;

function StaffCoursePage() {
  const t = useT();
  const { courseId } = Route.useParams();
  const { data: course } = useSuspenseQuery(courseQuery(courseId));
  const { data: roster } = useSuspenseQuery(rosterQuery(courseId));
  return (
    <>
      <p>
        <Link to="/staff/courses" className="back-link">
          <Icon name="chevron" className="back-link__icon" />
          {t("staffCourses.back")}
        </Link>
      </p>
      <PageHeading title={course.title} lead={course.organisationName} />
      <p>
        <Link to="/courses/$courseId" params={{ courseId }} className="button button--secondary button--block">
          {t("staffCourses.viewPublic")}
        </Link>
      </p>
      <section className="section" aria-labelledby="roster-title">
        <h2 id="roster-title">{t("staffCourses.rosterTitle")}</h2>
        <p className="muted">
          {t("staffCourses.enrolled", { taken: course.seats - course.seatsLeft, seats: course.seats })} ·{" "}
          {t("staffCourses.needed", { needed: roster.needed })}
        </p>
        {roster.enrolments.length === 0 ? (
          <p className="muted">{t("staffCourses.rosterEmpty")}</p>
        ) : (
          <ul className="list">
            {roster.enrolments.map((e) => (
              <li key={e.bookingId} className="list__item">
                <span className="list__title">{e.personName}</span>
                <span className="muted small">
                  {[e.phoneMasked, t("staffCourses.attendedOf", { count: e.present.length })]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
                <span className="row">
                  <span className="badge badge--open">{t(`courseStatus.${e.status as "confirmed"}`)}</span>
                  {e.certificateNumber ? <span className="mono">{e.certificateNumber}</span> : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {course.closedAt !== null ? (
        <p className="notice notice--info">{t("staffCourses.closedAlready")}</p>
      ) : (
        <>
          <Attendance course={course} />
          <Complete course={course} />
        </>
      )}
    </>
  );
}

function Attendance({ course }: { course: Course }) {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const { data: roster } = useSuspenseQuery(rosterQuery(course.id));
  const begun = roster.sessions.filter((s) => s.status === "scheduled" && s.startsAt - EARLY_MS <= Date.now());
  const [sessionId, setSessionId] = useState(begun.at(-1)?.id ?? roster.sessions[0]?.id ?? "");
  const holding = roster.enrolments.filter((e) => e.status === "confirmed" || e.status === "checked_in");
  const marked = (id: string) => holding.filter((e) => e.present.includes(id)).map((e) => e.bookingId);
  const [present, setPresent] = useState<string[]>(() => marked(sessionId));
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.courses[":id"].sessions[":sessionId"].attendance.$put({
          param: { id: course.id, sessionId },
          query: {},
          json: {
            present,
            absent: holding.map((e) => e.bookingId).filter((id) => !present.includes(id)),
          },
        }),
      ),
    onSuccess: (after) => {
      queryClient.setQueryData(rosterQuery(course.id).queryKey, after);
      setSaved(true);
    },
  });
  const session = roster.sessions.find((s) => s.id === sessionId);
  const open = session ? begun.some((s) => s.id === session.id) : false;
  return (
    <section className="section" aria-labelledby="attendance-title">
      <h2 id="attendance-title">{t("staffCourses.session")}</h2>
      <div className="card form">
        <SelectField
          label={t("staffCourses.session")}
          value={sessionId}
          options={roster.sessions
            .filter((s) => s.status === "scheduled")
            .map((s) => ({
              value: s.id,
              label: `${t("courses.sessionN", { n: s.seq })} · ${formatDay(locale, s.startsAt)} ${formatTimeRange(s.startsAt, s.endsAt)}`,
            }))}
          onChange={(e) => {
            setSessionId(e.target.value);
            setPresent(marked(e.target.value));
            setSaved(false);
          }}
        />
        {!open ? (
          <p className="muted">{t("staffCourses.sessionNotYet")}</p>
        ) : holding.length === 0 ? (
          <p className="muted">{t("staffCourses.rosterEmpty")}</p>
        ) : (
          <>
            <CheckboxGroup
              legend={t("staffCourses.presentLegend")}
              name="present"
              value={present}
              onChange={(value) => {
                setPresent(value);
                setSaved(false);
              }}
              options={holding.map((e) => ({
                value: e.bookingId,
                label: `${e.personName} ${e.phoneMasked ?? ""}`.trim(),
              }))}
            />
            <button
              type="button"
              className="button button--block"
              disabled={save.isPending}
              onClick={() => save.mutate()}
            >
              {t("staffCourses.saveAttendance")}
            </button>
          </>
        )}
        {saved ? <SuccessNotice>{t("staffCourses.attendanceSaved")}</SuccessNotice> : null}
        <ErrorNotice error={save.error} />
      </div>
    </section>
  );
}

function Complete({ course }: { course: Course }) {
  const t = useT();
  const queryClient = useQueryClient();
  const lastStart =
    course.sessions.filter((s) => s.status === "scheduled").at(-1)?.startsAt ?? Number.POSITIVE_INFINITY;
  const complete = useMutation({
    mutationFn: () => unwrap(api.courses[":id"].complete.$post({ param: { id: course.id }, query: {} })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["courses", course.id] });
      await queryClient.invalidateQueries({ queryKey: ["staff", "courses"] });
    },
  });
  if (lastStart > Date.now()) return null;
  return (
    <section className="section" aria-labelledby="complete-title">
      <h2 id="complete-title">{t("staffCourses.completeTitle")}</h2>
      <div className="card form">
        <p>
          {t("staffCourses.completeHint", {
            certificate: course.certificate ? t("staffCourses.completeCertificate") : "",
          })}
        </p>
        {complete.data ? (
          <SuccessNotice>{t("staffCourses.completed", complete.data)}</SuccessNotice>
        ) : (
          <ConfirmAction
            label={t("staffCourses.complete")}
            question={t("staffCourses.completeQuestion")}
            confirmLabel={t("staffCourses.complete")}
            busy={complete.isPending}
            onConfirm={() => complete.mutate()}
          />
        )}
        <ErrorNotice error={complete.error} />
      </div>
    </section>
  );
}
