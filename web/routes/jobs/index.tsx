import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { z } from "zod";
import { SelectField, TextField } from "../../components/fields";
import { Icon } from "../../components/icon";
import { EmptyState, PageHeading } from "../../components/page";
import { formatDate, useT } from "../../lib/i18n";
import { formatSalary, JOB_CATEGORIES, JOB_TYPES, jobsQuery } from "../../lib/jobs";
import { usePreferences } from "../../lib/preferences";
import { communitiesQuery } from "../../lib/queries";

const JobsSearch = z.object({
  q: z.coerce.string().trim().max(40).optional().catch(undefined),
  category: z.enum(JOB_CATEGORIES).optional().catch(undefined),
  type: z.enum(JOB_TYPES).optional().catch(undefined),
  community: z.string().min(1).max(64).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(500).optional().catch(undefined),
});
type JobsSearch = z.infer<typeof JobsSearch>;

/** The API's query for the page's search (empty words are no filter). */
function queryOf(search: JobsSearch) {
  return {
    q: search.q || undefined,
    category: search.category,
    type: search.type,
    communityId: search.community,
    page: search.page,
  };
}

export const Route = createFileRoute("/jobs/")({
  validateSearch: JobsSearch,
  loaderDeps: ({ search }) => queryOf(search),
  loader: ({ context: { queryClient }, deps }) =>
    Promise.all([queryClient.ensureQueryData(jobsQuery(deps)), queryClient.ensureQueryData(communitiesQuery)]),
  component: JobsPage,
});

function JobsPage() {
  const t = useT();
  const { locale } = usePreferences();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const { data: list } = useSuspenseQuery(jobsQuery(queryOf(search)));
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const filters = { q: search.q, category: search.category, type: search.type, community: search.community };

  return (
    <div className="page">
      <PageHeading title={t("jobs.title")} lead={t("jobs.lead")} />
      <search className="card" aria-label={t("jobs.filters")}>
        <form
          className="form"
          method="get"
          action="/jobs"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            const value = (name: string) => String(data.get(name) ?? "").trim() || undefined;
            navigate({
              search: JobsSearch.parse({
                q: value("q"),
                category: value("category"),
                type: value("type"),
                community: value("community"),
              }),
              replace: true,
            });
          }}
        >
          <TextField
            label={t("jobs.q")}
            hint={t("jobs.qHint")}
            name="q"
            type="search"
            defaultValue={search.q ?? ""}
            maxLength={40}
          />
          <SelectField
            label={t("jobs.category")}
            name="category"
            defaultValue={search.category ?? ""}
            placeholder={t("jobs.allCategories")}
            options={JOB_CATEGORIES.map((c) => ({ value: c, label: t(`jobCategory.${c}`) }))}
          />
          <SelectField
            label={t("jobs.type")}
            name="type"
            defaultValue={search.type ?? ""}
            placeholder={t("jobs.allTypes")}
            options={JOB_TYPES.map((c) => ({ value: c, label: t(`jobType.${c}`) }))}
          />
          <SelectField
            label={t("jobs.community")}
            name="community"
            defaultValue={search.community ?? ""}
            placeholder={t("jobs.allCommunities")}
            options={communities.map((c) => ({ value: c.id, label: locale === "en" ? c.nameEn : c.name }))}
          />
          <button type="submit" className="button button--block">
            {t("jobs.search")}
          </button>
        </form>
      </search>

      <section className="section" aria-labelledby="job-list-title">
        <h2 id="job-list-title">{t("jobs.title")}</h2>
        <p className="muted" role="status">
          {t("jobs.count", { count: list.total })}
        </p>
        {list.jobs.length === 0 ? (
          <EmptyState icon="jobs" title={t("jobs.emptyTitle")} body={t("jobs.emptyBody")} />
        ) : (
          <ul className="list">
            {list.jobs.map((job) => (
              <li key={job.id} className="list__item">
                <Link to="/jobs/$jobId" params={{ jobId: job.id }} className="list__link">
                  <span className="list__text">
                    <span className="list__title">{job.position}</span>
                    <span className="strong">{formatSalary(t, locale, job)}</span>
                    <span>{job.employer}</span>
                    <span className="muted small">
                      {[
                        t(`jobType.${job.employmentType}`),
                        job.communityName ?? job.location,
                        t("jobs.validUntil", { date: formatDate(locale, job.validUntil) }),
                      ].join(" · ")}
                    </span>
                  </span>
                  <Icon name="chevron" className="chevron" />
                </Link>
              </li>
            ))}
          </ul>
        )}
        {pages > 1 ? (
          <nav className="row month-nav" aria-label={t("jobs.pages")}>
            {list.page > 1 ? (
              <Link
                to="/jobs"
                search={{ ...filters, page: list.page - 1 === 1 ? undefined : list.page - 1 }}
                className="button button--secondary button--small"
              >
                {t("jobs.prev")}
              </Link>
            ) : (
              <span />
            )}
            <p className="month-nav__name">{t("jobs.pageOf", { page: list.page, pages })}</p>
            {list.page < pages ? (
              <Link
                to="/jobs"
                search={{ ...filters, page: list.page + 1 }}
                className="button button--secondary button--small"
              >
                {t("jobs.next")}
              </Link>
            ) : (
              <span />
            )}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
