import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, notFound } from "@tanstack/react-router";
import { Icon } from "../../components/icon";
import { JobContact, JobDetails } from "../../components/job-details";
import { PageHeading } from "../../components/page";
import { ApiError } from "../../lib/api";
import { useT } from "../../lib/i18n";
import { jobQuery } from "../../lib/jobs";

export const Route = createFileRoute("/jobs/$jobId")({
  loader: async ({ context: { queryClient }, params }) => {
    try {
      await queryClient.ensureQueryData(jobQuery(params.jobId));
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) throw notFound();
      throw error;
    }
  },
  component: JobPage,
});

function JobPage() {
  const t = useT();
  const { jobId } = Route.useParams();
  const { data: job } = useSuspenseQuery(jobQuery(jobId));
  return (
    <div className="page">
      <p>
        <Link to="/jobs" className="back-link" activeOptions={{ exact: true }}>
          <Icon name="chevron" className="back-link__icon" />
          {t("jobs.back")}
        </Link>
      </p>
      <PageHeading title={job.position} lead={job.employer} />
      {job.canManage ? (
        <p>
          <Link to="/staff/jobs/$jobId" params={{ jobId }} className="button button--secondary button--block">
            {t("staffJobs.editTitle")}
          </Link>
        </p>
      ) : null}
      <JobDetails job={job} />
      <JobContact job={job} />
    </div>
  );
}
