import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { z } from "zod";
import { VOLUNTEER_STATUSES } from "../../../../db/schema/volunteers";
import { SelectField, TextField } from "../../../components/fields";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { formatDate, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { staffVolunteersQuery } from "../../../lib/volunteers";
import { useCommunityChoices } from "../-components/community-choices";

/** The API's page size for GET /api/staff/volunteers. */
const PAGE_SIZE = 50;

const VolunteersSearch = z.object({
  status: z.enum(VOLUNTEER_STATUSES).optional().catch(undefined),
  q: z.string().trim().min(1).max(30).optional().catch(undefined),
  communityId: z.string().min(1).max(64).optional().catch(undefined),
  page: z.number().int().min(1).max(1000).default(1).catch(1),
});

export const Route = createFileRoute("/staff/volunteers/")({
  validateSearch: VolunteersSearch,
  loaderDeps: ({ search }) => search,
  loader: ({ context: { queryClient }, deps }) => queryClient.ensureQueryData(staffVolunteersQuery(deps)),
  component: VolunteersPage,
});

function VolunteersPage() {
  const t = useT();
  const { locale } = usePreferences();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: "/staff/volunteers/" });
  const { data } = useSuspenseQuery(staffVolunteersQuery(search));
  const communities = useCommunityChoices(["community_staff"]);
  const [q, setQ] = useState(search.q ?? "");
  const [status, setStatus] = useState<string>(search.status ?? "");
  const [communityId, setCommunityId] = useState(search.communityId ?? "");

  function submit(event: FormEvent) {
    event.preventDefault();
    navigate({
      search: {
        q: q.trim() || undefined,
        status: VOLUNTEER_STATUSES.find((s) => s === status),
        communityId: communityId || undefined,
        page: 1,
      },
    });
  }

  const lastPage = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
  return (
    <>
      <PageHeading title={t("staffVolunteers.title")} lead={t("staffVolunteers.lead")} />
      <search>
        <form className="card form" onSubmit={submit}>
          <SelectField
            label={t("staffVolunteers.status")}
            value={status}
            placeholder={t("staffVolunteers.allStatuses")}
            options={VOLUNTEER_STATUSES.map((s) => ({ value: s, label: t(`volunteer.status.${s}`) }))}
            onChange={(e) => setStatus(e.target.value)}
          />
          <TextField
            label={t("staffVolunteers.search")}
            type="search"
            value={q}
            maxLength={30}
            onChange={(e) => setQ(e.target.value)}
          />
          {communities.length > 1 ? (
            <SelectField
              label={t("persons.community")}
              value={communityId}
              placeholder={t("persons.allCommunities")}
              options={communities.map((c) => ({ value: c.id, label: c.name }))}
              onChange={(e) => setCommunityId(e.target.value)}
            />
          ) : null}
          <button type="submit" className="button button--secondary">
            {t("persons.searchButton")}
          </button>
        </form>
      </search>
      <p className="muted" role="status">
        {t("persons.count", { total: data.total, page: search.page })}
      </p>
      {data.volunteers.length === 0 ? (
        <p>{t("staffVolunteers.empty")}</p>
      ) : (
        <ul className="list">
          {data.volunteers.map((v) => (
            <li key={v.id} className="list__item">
              <Link to="/staff/volunteers/$volunteerId" params={{ volunteerId: v.id }} className="list__link">
                <span className="list__text">
                  <span className="list__title">{v.realName}</span>
                  <span className="muted small">
                    {[
                      v.number,
                      v.communityName,
                      t("volunteer.age", { age: v.age }),
                      v.phoneMasked,
                      t("staffVolunteers.appliedOn", { date: formatDate(locale, v.appliedAt) }),
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                  </span>
                  <span className="row">
                    <span className="badge">{t(`volunteer.status.${v.status}`)}</span>
                    {v.minor ? <span className="badge">{t("staffVolunteers.minor")}</span> : null}
                  </span>
                </span>
                <Icon name="chevron" className="chevron" />
              </Link>
            </li>
          ))}
        </ul>
      )}
      {lastPage > 1 ? (
        <nav className="pager" aria-label={t("common.pagination")}>
          {search.page > 1 ? (
            <Link
              from="/staff/volunteers/"
              search={(s) => ({ ...s, page: search.page - 1 })}
              className="button button--secondary"
            >
              {t("common.previous")}
            </Link>
          ) : (
            <span />
          )}
          {search.page < lastPage ? (
            <Link
              from="/staff/volunteers/"
              search={(s) => ({ ...s, page: search.page + 1 })}
              className="button button--secondary"
            >
              {t("common.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
