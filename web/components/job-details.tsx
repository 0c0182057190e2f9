import { Link } from "@tanstack/react-router";
import { formatDate, useT } from "../lib/i18n";
import { formatSalary, type Job } from "../lib/jobs";
import { usePreferences } from "../lib/preferences";

/** The posting as residents read it: pay, place, what is asked, whom to call. */
export function JobDetails({ job }: { job: Job }) {
  const t = useT();
  const { locale } = usePreferences();
  return (
    <div className="card">
      <dl className="details">
        <dt>{t("jobs.employer")}</dt>
        <dd>{job.employer}</dd>
        <dt>{t("jobs.salary")}</dt>
        <dd className="strong">{formatSalary(t, locale, job)}</dd>
        <dt>{t("jobs.type")}</dt>
        <dd>
          {t(`jobType.${job.employmentType}`)} · {t(`jobCategory.${job.category}`)}
          {job.openings ? ` · ${t("jobs.openings", { count: job.openings })}` : ""}
        </dd>
        <dt>{t("jobs.location")}</dt>
        <dd>
          {job.location}
          {job.communityName ? <span className="block muted small">{job.communityName}</span> : null}
        </dd>
        <dt>{t("staffJobs.validUntil")}</dt>
        <dd>{formatDate(locale, job.validUntil)}</dd>
      </dl>
      {job.description ? (
        <>
          <h3>{t("jobs.description")}</h3>
          <p className="pre-line">{job.description}</p>
        </>
      ) : null}
      {job.requirements ? (
        <>
          <h3>{t("jobs.requirements")}</h3>
          <p className="pre-line">{job.requirements}</p>
        </>
      ) : null}
    </div>
  );
}

/** Whom to call: the phone for signed-in readers, else a way to sign in. */
export function JobContact({ job }: { job: Job }) {
  const t = useT();
  return (
    <section className="section" aria-labelledby="job-contact-title">
      <h2 id="job-contact-title">{t("jobs.contact")}</h2>
      <div className="card stack">
        <p>{job.contactName}</p>
        {job.contactPhone ? (
          <a href={`tel:${job.contactPhone.replace(/[^0-9+]/g, "")}`} className="button button--block">
            {t("jobs.call", { phone: job.contactPhone })}
          </a>
        ) : (
          <Link to="/login" search={{ redirect: `/jobs/${job.id}` }} className="button button--secondary button--block">
            {t("jobs.signInForPhone")}
          </Link>
        )}
        <p className="muted small">{t("jobs.publishedBy", { organisation: job.organisationName })}</p>
      </div>
      <p className="notice notice--warn">{t("jobs.safety")}</p>
    </section>
  );
}
