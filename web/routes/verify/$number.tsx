import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { createFileRoute, Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { Alert, ErrorNotice } from "../../components/error-notice";
import { PageHeading } from "../../components/page";
import { ApiError } from "../../lib/api";
import { courseVerificationQuery } from "../../lib/courses";
import { formatDate, useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { hoursText, verificationQuery } from "../../lib/volunteers";

export const Route = createFileRoute("/verify/$number")({
  component: VerificationPage,
});

/** What a certificate number says, for anyone holding the paper (the QR code on it opens this page). */
function VerificationPage() {
  const { number } = Route.useParams();
  // Completion certificates of training courses are numbered JZT-…, volunteers' JZC-….
  return number.toUpperCase().startsWith("JZT-") ? <CourseVerification /> : <VolunteerVerification />;
}

function VolunteerVerification() {
  const t = useT();
  const { locale } = usePreferences();
  const { number } = Route.useParams();
  const check = useQuery(verificationQuery(number.toUpperCase()));
  return (
    <VerificationFrame check={check}>
      {(v) => (
        <>
          {v.revokedAt ? <p>{t("verify.revokedOn", { date: formatDate(locale, v.revokedAt) })}</p> : null}
          <dl className="details">
            <dt>{t("volunteer.realName")}</dt>
            <dd>{v.nameMasked}</dd>
            <dt>{t("volunteer.number")}</dt>
            <dd>{v.volunteerNumber}</dd>
            <dt>{t("certificate.hours")}</dt>
            <dd className="strong">{t("hours.hours", { hours: hoursText(v.minutes) })}</dd>
            <dt>{t("certificate.period")}</dt>
            <dd>
              {formatDate(locale, v.periodFrom)} – {formatDate(locale, v.periodTo)}
            </dd>
            <dt>{t("certificate.issuer")}</dt>
            <dd>{v.organisationName}</dd>
            <dt>{t("certificate.issuedAt")}</dt>
            <dd>{formatDate(locale, v.issuedAt)}</dd>
          </dl>
        </>
      )}
    </VerificationFrame>
  );
}

function CourseVerification() {
  const t = useT();
  const { locale } = usePreferences();
  const { number } = Route.useParams();
  const check = useQuery(courseVerificationQuery(number.toUpperCase()));
  return (
    <VerificationFrame check={check}>
      {(v) => (
        <dl className="details">
          <dt>{t("verify.courseName")}</dt>
          <dd>{v.nameMasked}</dd>
          <dt>{t("verify.course")}</dt>
          <dd className="strong">{v.courseTitle}</dd>
          <dt>{t("verify.attendance")}</dt>
          <dd>{t("verify.attendanceValue", { attended: v.sessionsAttended, held: v.sessionsHeld })}</dd>
          <dt>{t("verify.completedOn")}</dt>
          <dd>{formatDate(locale, v.completedOn)}</dd>
          <dt>{t("verify.trainer")}</dt>
          <dd>{v.organisationName}</dd>
          <dt>{t("certificate.issuedAt")}</dt>
          <dd>{formatDate(locale, v.issuedAt)}</dd>
        </dl>
      )}
    </VerificationFrame>
  );
}

/** The page around a check: the number, loading, "not found", the verdict and a way to check another. */
function VerificationFrame<T extends { status: "valid" | "revoked" }>({
  check,
  children,
}: {
  check: UseQueryResult<T>;
  children: (v: T) => ReactNode;
}) {
  const t = useT();
  const { number } = Route.useParams();
  const unknown = check.error instanceof ApiError && (check.error.status === 404 || check.error.status === 400);
  const v = check.data;
  return (
    <div className="page">
      <PageHeading title={t("verify.title")} lead={number.toUpperCase()} />
      {check.isPending ? <p role="status">{t("common.loading")}</p> : null}
      {unknown ? (
        <Alert title={t("verify.unknownTitle")}>
          <p>{t("verify.unknownBody")}</p>
        </Alert>
      ) : check.error ? (
        <ErrorNotice error={check.error} />
      ) : null}
      {v ? (
        <section className="card stack" aria-labelledby="verification-result">
          <h2 id="verification-result" className={v.status === "valid" ? "verify__valid" : "verify__revoked"}>
            {t(v.status === "valid" ? "verify.valid" : "verify.revokedTitle")}
          </h2>
          {children(v)}
        </section>
      ) : null}
      <Link to="/verify" className="button button--secondary button--block">
        {t("verify.another")}
      </Link>
    </div>
  );
}
