import { queryOptions } from "@tanstack/react-query";
import type { JobListQuery, JobSummary } from "../../worker/features/jobs/jobs.schema";
import { api, unwrap } from "./api";
import type { Locale, Translate } from "./i18n";

export type { Job, JobCategory, JobSummary, JobType, SalaryPeriod } from "../../worker/features/jobs/jobs.schema";
export {
  JOB_CATEGORIES,
  JOB_MAX_DAYS,
  JOB_TYPES,
  JobCreate,
  JobPatch,
  SALARY_PERIODS,
  validUntilProblem,
} from "../../worker/features/jobs/jobs.schema";

/** The open postings for the filters, a page at a time. */
export const jobsQuery = (q: JobListQuery) =>
  queryOptions({
    queryKey: ["jobs", "list", q],
    queryFn: () =>
      unwrap(
        api.jobs.$get({
          query: Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as JobListQuery,
        }),
      ),
    staleTime: 60_000,
  });

export const jobQuery = (jobId: string) =>
  queryOptions({
    queryKey: ["jobs", jobId],
    queryFn: () => unwrap(api.jobs[":id"].$get({ param: { id: jobId }, query: {} })),
  });

export const staffJobsQuery = (view: "mine" | "queue") =>
  queryOptions({
    queryKey: ["staff", "jobs", view],
    queryFn: async () => (await unwrap(api.staff.jobs.$get({ query: { view } }))).jobs,
  });

function yuan(locale: Locale, fen: number): string {
  return new Intl.NumberFormat(locale === "en" ? "en-GB" : "zh-CN", { maximumFractionDigits: 2 }).format(fen / 100);
}

/** "3,500–4,200 元/月", "25 元/小时起", or 面议 when no amount is given. */
export function formatSalary(
  t: Translate,
  locale: Locale,
  job: Pick<JobSummary, "salaryMinFen" | "salaryMaxFen" | "salaryPeriod">,
) {
  const { salaryMinFen: min, salaryMaxFen: max, salaryPeriod } = job;
  if (!salaryPeriod || (min === null && max === null)) return t("jobs.negotiable");
  const period = t(`jobs.period.${salaryPeriod}`);
  if (min !== null && max !== null && min !== max) {
    return t("jobs.salaryRange", { min: yuan(locale, min), max: yuan(locale, max), period });
  }
  if (min !== null) return t(max === min ? "jobs.salaryExact" : "jobs.salaryFrom", { min: yuan(locale, min), period });
  return t("jobs.salaryUpTo", { max: yuan(locale, max ?? 0), period });
}
