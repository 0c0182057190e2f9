import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound, useNavigate } from "@tanstack/react-router";
import { z } from "zod";
import { BookingSection } from "../../components/booking-section";
import { FileDownload } from "../../components/file-download";
import { Icon } from "../../components/icon";
import { PageHeading } from "../../components/page";
import { ApiError } from "../../lib/api";
import { formatDay, formatPrice, formatTimeRange, formatWhen } from "../../lib/bookings";
import { type Course, courseQuery, sessionsNeeded } from "../../lib/courses";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { offeringQuery, offeringSlotsQuery, slotsHorizon } from "../../lib/queries";

const CourseSearch = z.object({
  /** The person the reader chose to enrol. */
  person: z.string().min(1).max(64).optional().catch(undefined),
});

export const Route = createFileRoute("/courses/$courseId")({
  validateSearch: CourseSearch,
  loader: async ({ context: { queryClient }, params }) => {
    try {
      await Promise.all([
        queryClient.ensureQueryData(courseQuery(params.courseId)),
        queryClient.ensureQueryData(offeringQuery(params.courseId)),
      ]);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) throw notFound();
      throw error;
    }
  },
  component: CoursePage,
});

function CoursePage() {
  const t = useT();
  const { courseId } = Route.useParams();
  const { data: course } = useSuspenseQuery(courseQuery(courseId));
  return (
    <div className="page">
      <p>
        <Link to="/courses" className="back-link" activeOptions={{ exact: true }}>
          <Icon name="chevron" className="back-link__icon" />
          {t("courses.back")}
        </Link>
      </p>
      <PageHeading title={course.title} lead={course.organisationName} />
      {course.cancelledAt !== null ? (
        <p className="notice notice--warn">{t("staffCourses.cancelled", { reason: course.cancelReason ?? "" })}</p>
      ) : null}
      <CourseDetails course={course} />
      {course.mine.length > 0 ? <MyEnrolments course={course} /> : null}
      <Sessions course={course} />
      <Enrol course={course} />
      {course.canManage ? (
        <p>
          <Link to="/staff/courses/$courseId" params={{ courseId }} className="button button--secondary button--block">
            {t("staffCourses.rosterTitle")}
          </Link>
        </p>
      ) : null}
    </div>
  );
}

function CourseDetails({ course }: { course: Course }) {
  const t = useT();
  const held = course.sessions.filter((s) => s.status === "scheduled").length;
  return (
    <div className="card">
      <dl className="details">
        <dt>{t("staffCourses.category")}</dt>
        <dd>{t(`courseCategory.${course.category}`)}</dd>
        <dt>{t("courses.mode")}</dt>
        <dd>{t(`courseMode.${course.mode}`)}</dd>
        {course.mode !== "online" ? (
          <>
            <dt>{t("courses.place")}</dt>
            <dd>
              {course.facilityId && course.facilityName ? (
                <Link to="/facilities/$facilityId" params={{ facilityId: course.facilityId }} className="place-link">
                  {course.facilityName}
                </Link>
              ) : null}
              {course.facilityId && course.placeText ? " · " : null}
              {course.placeText}
            </dd>
          </>
        ) : null}
        <dt>{t("courses.fee")}</dt>
        <dd>{formatPrice(t, course.priceFen)}</dd>
        {course.eligibility ? (
          <>
            <dt>{t("courses.eligibility")}</dt>
            <dd>{course.eligibility}</dd>
          </>
        ) : null}
        <dt>{t("courses.completion")}</dt>
        <dd>
          {t("courses.completionRule", {
            percent: course.completionPercent,
            needed: sessionsNeeded(held, course.completionPercent),
            count: held,
            certificate: course.certificate ? t("courses.withCertificate") : "",
          })}
        </dd>
        <dt>{t("courses.contact")}</dt>
        <dd>{course.contact}</dd>
      </dl>
      {course.description ? <p className="pre-line">{course.description}</p> : null}
    </div>
  );
}

function MyEnrolments({ course }: { course: Course }) {
  const t = useT();
  return (
    <section className="section" aria-labelledby="my-enrolments-title">
      <h2 id="my-enrolments-title">{t("courses.mineTitle")}</h2>
      <ul className="list">
        {course.mine.map((m) => (
          <li key={m.bookingId} className="list__item stack">
            <span className="list__title">{m.personName}</span>
            <span className="row">
              <span
                className={`badge ${m.status === "completed" ? "badge--ok" : m.status === "no_show" || m.status === "cancelled" ? "badge--muted" : "badge--open"}`}
              >
                {t(`courseStatus.${m.status as "confirmed"}`)}
              </span>
              <span>{t("courses.attended", { count: m.attended })}</span>
            </span>
            <Link
              to="/bookings/$bookingId"
              params={{ bookingId: m.bookingId }}
              className="button button--secondary button--small"
            >
              {t("courses.openBooking")}
            </Link>
            {m.certificate ? (
              <>
                <span>{t("courses.certificate", { number: m.certificate.number })}</span>
                <FileDownload
                  className="button button--small"
                  href={`/api/course-certificates/${m.certificate.id}/certificate.pdf`}
                  label={t("courses.downloadCertificate")}
                  fallbackName={`${m.certificate.number}.pdf`}
                />
                <Link
                  to="/verify/$number"
                  params={{ number: m.certificate.number }}
                  className="button button--secondary button--small"
                >
                  {t("courses.verifyCertificate")}
                </Link>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {course.onlineLink ? (
        <div className="card stack">
          <p className="strong">{t("courses.classLink")}</p>
          <a href={course.onlineLink} className="button button--block" rel="noopener noreferrer" target="_blank">
            {course.onlineLink}
          </a>
          <p className="muted small">{t("courses.classLinkHint")}</p>
        </div>
      ) : null}
    </section>
  );
}

function Sessions({ course }: { course: Course }) {
  const t = useT();
  const { locale } = usePreferences();
  return (
    <section className="section" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t("courses.schedule")}</h2>
      <ol className="list">
        {course.sessions.map((s) => (
          <li key={s.id} className="list__item slot">
            <span className="slot__time">
              {t("courses.sessionN", { n: s.seq })} · {formatDay(locale, s.startsAt)}{" "}
              {formatTimeRange(s.startsAt, s.endsAt)}
            </span>
            {s.status === "cancelled" ? (
              <span className="badge badge--muted">{t("courses.sessionCancelled")}</span>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Enrol({ course }: { course: Course }) {
  const t = useT();
  const { locale } = usePreferences();
  const { person } = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const { data: offering } = useSuspenseQuery(offeringQuery(course.id));
  const slots = useQuery(offeringSlotsQuery(course.id, slotsHorizon("training")));
  const first = course.sessions.find((s) => s.status === "scheduled");
  return (
    <>
      <p className="notice notice--info">
        {t("courses.enrolNote", { count: course.sessionCount })}
        {first ? ` ${t("courses.firstSession", { when: formatWhen(locale, first.startsAt, first.endsAt) })}` : ""}
      </p>
      <BookingSection
        offering={offering}
        slots={slots.data ?? []}
        personId={person}
        onChoosePerson={(value) => navigate({ search: { person: value }, replace: true, resetScroll: false })}
        signInRedirect={`/courses/${course.id}`}
      />
    </>
  );
}
