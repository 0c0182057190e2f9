import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound } from "@tanstack/react-router";
import { useState } from "react";
import { ConfirmAction } from "../../../components/confirm-action";
import { ErrorNotice, SuccessNotice } from "../../../components/error-notice";
import { CheckboxGroup, SelectField, TextAreaField, TextField } from "../../../components/fields";
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
      {course.cancelledAt !== null ? (
        <p className="notice notice--warn">{t("staffCourses.cancelled", { reason: course.cancelReason ?? "" })}</p>
      ) : course.closedAt !== null ? (
        <p className="notice notice--info">
          {t("staffCourses.closedAlready")}{" "}
          {t("staffCourses.completed", {
            completed: roster.enrolments.filter((e) => e.status === "completed").length,
            notCompleted: roster.enrolments.filter((e) => e.status === "no_show").length,
            certificates: roster.enrolments.filter((e) => e.certificateNumber).length,
          })}
        </p>
      ) : (
        <>
          <Attendance course={course} />
          <Complete course={course} />
          <EditCourse course={course} />
          <CancelCourse course={course} />
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
    // Refused (someone cancelled meanwhile): show the roster as it is now.
    onError: () => queryClient.invalidateQueries({ queryKey: rosterQuery(course.id).queryKey }),
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
  const lastEnd = course.sessions.filter((s) => s.status === "scheduled").at(-1)?.endsAt ?? Number.POSITIVE_INFINITY;
  const complete = useMutation({
    mutationFn: () => unwrap(api.courses[":id"].complete.$post({ param: { id: course.id }, query: {} })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["courses", course.id] });
      await queryClient.invalidateQueries({ queryKey: ["staff", "courses"] });
    },
  });
  if (lastEnd > Date.now()) return null;
  return (
    <section className="section" aria-labelledby="complete-title">
      <h2 id="complete-title">{t("staffCourses.completeTitle")}</h2>
      <div className="card form">
        <p>
          {t("staffCourses.completeHint", {
            certificate: course.certificate ? t("staffCourses.completeCertificate") : "",
          })}
        </p>
        {complete.data ? null : (
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

function EditCourse({ course }: { course: Course }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    description: course.description,
    placeText: course.placeText ?? "",
    onlineLink: course.onlineLink ?? "",
    eligibility: course.eligibility,
    contact: course.contact,
  });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.courses[":id"].$patch({
          param: { id: course.id },
          query: {},
          json: {
            description: form.description.trim(),
            eligibility: form.eligibility.trim(),
            contact: form.contact.trim(),
            ...(course.mode === "online" ? {} : { placeText: form.placeText.trim() || null }),
            ...(course.mode === "in_person" ? {} : { onlineLink: form.onlineLink.trim() || null }),
          },
        }),
      ),
    onSuccess: (after) => queryClient.setQueryData(courseQuery(course.id).queryKey, after),
  });
  return (
    <section className="section" aria-labelledby="edit-course-title">
      <h2 id="edit-course-title">{t("staffCourses.editTitle")}</h2>
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <p className="muted">{t("staffCourses.editHint")}</p>
        {course.mode !== "online" ? (
          <TextField
            label={t("staffCourses.placeText")}
            value={form.placeText}
            maxLength={120}
            onChange={(e) => set({ placeText: e.target.value })}
          />
        ) : null}
        {course.mode !== "in_person" ? (
          <TextField
            label={t("staffCourses.onlineLink")}
            hint={t("staffCourses.onlineLinkHint")}
            type="url"
            value={form.onlineLink}
            onChange={(e) => set({ onlineLink: e.target.value })}
          />
        ) : null}
        <TextField
          label={t("staffCourses.eligibility")}
          optional
          value={form.eligibility}
          maxLength={200}
          onChange={(e) => set({ eligibility: e.target.value })}
        />
        <TextField
          label={t("staffCourses.contact")}
          value={form.contact}
          maxLength={100}
          onChange={(e) => set({ contact: e.target.value })}
        />
        <TextAreaField
          label={t("staffCourses.description")}
          optional
          rows={4}
          maxLength={4000}
          value={form.description}
          onChange={(e) => set({ description: e.target.value })}
        />
        {save.isSuccess ? <SuccessNotice>{t("staffCourses.saved")}</SuccessNotice> : null}
        <ErrorNotice error={save.error} />
        <button type="submit" className="button button--secondary button--block" disabled={save.isPending}>
          {t("staffCourses.save")}
        </button>
      </form>
    </section>
  );
}

function CancelCourse({ course }: { course: Course }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const cancel = useMutation({
    mutationFn: () =>
      unwrap(api.courses[":id"].cancel.$post({ param: { id: course.id }, query: {}, json: { reason: reason.trim() } })),
    onSuccess: async (after) => {
      queryClient.setQueryData(courseQuery(course.id).queryKey, after);
      await queryClient.invalidateQueries({ queryKey: ["staff", "courses"] });
      await queryClient.invalidateQueries({ queryKey: ["courses", "list"] });
    },
  });
  return (
    <section className="section" aria-labelledby="cancel-course-title">
      <h2 id="cancel-course-title">{t("staffCourses.cancelTitle")}</h2>
      <div className="card form">
        <TextAreaField
          label={t("staffCourses.cancelReason")}
          rows={2}
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        {reason.trim() ? (
          <ConfirmAction
            label={t("staffCourses.cancel")}
            question={t("staffCourses.cancelQuestion")}
            confirmLabel={t("staffCourses.cancel")}
            busy={cancel.isPending}
            onConfirm={() => cancel.mutate()}
          />
        ) : null}
        <ErrorNotice error={cancel.error} />
      </div>
    </section>
  );
}
