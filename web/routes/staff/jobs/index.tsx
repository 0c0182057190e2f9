import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { z } from "zod";
import { RadioGroup } from "../../../components/fields";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { formatMoment } from "../../../lib/bookings";
import { formatDate, useT } from "../../../lib/i18n";
import { staffJobsQuery } from "../../../lib/jobs";
import { usePreferences } from "../../../lib/preferences";
import { ForbiddenError } from "../../../lib/roles";

const StaffJobsSearch = z.object({
  view: z.enum(["mine", "queue"]).optional().catch(undefined),
});

export const Route = createFileRoute("/staff/jobs/")({
  validateSearch: StaffJobsSearch,
  beforeLoad: ({ context }) => {
    if (!context.sections.jobs) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loaderDeps: ({ search }) => ({ view: search.view }),
  loader: ({ context: { queryClient, sections }, deps }) =>
    queryClient.ensureQueryData(staffJobsQuery(deps.view ?? (sections.streetAdmin ? "queue" : "mine"))),
  component: StaffJobsPage,
});

function StaffJobsPage() {
  const t = useT();
  const { locale } = usePreferences();
  const { sections } = Route.useRouteContext();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const view = search.view ?? (sections.streetAdmin ? "queue" : "mine");
  const { data: jobs } = useSuspenseQuery(staffJobsQuery(view));
  return (
    <>
      <PageHeading title={t("staffJobs.title")} lead={t("staffJobs.lead")} />
      <p>
        <Link to="/staff/jobs/new" className="button button--block">
          {t("staffJobs.new")}
        </Link>
      </p>
      {sections.streetAdmin ? (
        <RadioGroup
          legend={t("staffJobs.viewLegend")}
          name="view"
          inline
          value={view}
          onChange={(value) => navigate({ search: { view: StaffJobsSearch.shape.view.parse(value) }, replace: true })}
          options={[
            { value: "queue", label: t("staffJobs.queue") },
            { value: "mine", label: t("staffJobs.allMine") },
          ]}
        />
      ) : null}
      <section className="section" aria-labelledby="staff-jobs-title">
        <h2 id="staff-jobs-title">
          {view === "queue"
            ? t("staffJobs.queue")
            : sections.streetAdmin
              ? t("staffJobs.allMine")
              : t("staffJobs.mine")}
        </h2>
        {jobs.length === 0 ? (
          <p className="muted">{view === "queue" ? t("staffJobs.queueEmpty") : t("staffJobs.mineEmpty")}</p>
        ) : (
          <ul className="list">
            {jobs.map((job) => (
              <li key={job.id} className="list__item">
                <Link to="/staff/jobs/$jobId" params={{ jobId: job.id }} className="list__link">
                  <span className="list__text">
                    <span className="list__title">{job.position}</span>
                    <span>{[job.employer, job.organisationName].join(" · ")}</span>
                    <span className="muted small">
                      {t("staffJobs.submitted", { when: formatMoment(locale, job.submittedAt) })}
                      {" · "}
                      {t("jobs.validUntil", { date: formatDate(locale, job.validUntil) })}
                    </span>
                    <span className="row">
                      <span className={`badge badge--job-${job.status}`}>{t(`jobStatus.${job.status}`)}</span>
                      {job.expired ? <span className="badge badge--muted">{t("jobs.expired")}</span> : null}
                    </span>
                  </span>
                  <Icon name="chevron" className="chevron" />
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
