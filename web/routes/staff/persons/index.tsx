import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { z } from "zod";
import { SelectField, TextField } from "../../../components/fields";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { formatDate, useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { staffPersonsQuery } from "../../../lib/queries";
import { useCommunityChoices } from "../-components/community-choices";

/** The API's page size for GET /api/persons. */
const PAGE_SIZE = 50;

const PersonsSearch = z.object({
  q: z.string().trim().min(1).max(50).optional().catch(undefined),
  communityId: z.string().min(1).max(64).optional().catch(undefined),
  page: z.number().int().min(1).max(1000).default(1).catch(1),
});

export const Route = createFileRoute("/staff/persons/")({
  validateSearch: PersonsSearch,
  // Each search is audited: run it when staff open the list, never on a hover.
  preload: false,
  loaderDeps: ({ search }) => search,
  loader: ({ context: { queryClient }, deps }) => queryClient.ensureQueryData(staffPersonsQuery(deps)),
  component: PersonsPage,
});

function PersonsPage() {
  const t = useT();
  const { locale } = usePreferences();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: "/staff/persons/" });
  const { data } = useSuspenseQuery(staffPersonsQuery(search));
  const communities = useCommunityChoices();
  const [q, setQ] = useState(search.q ?? "");
  const [communityId, setCommunityId] = useState(search.communityId ?? "");

  function submit(event: FormEvent) {
    event.preventDefault();
    navigate({ search: { q: q.trim() || undefined, communityId: communityId || undefined, page: 1 } });
  }

  const lastPage = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
  return (
    <>
      <PageHeading title={t("persons.title")} />
      <Link to="/staff/persons/new" className="button button--block">
        {t("persons.new")}
      </Link>
      <search>
        <form className="card form" onSubmit={submit}>
          <TextField
            label={t("persons.search")}
            type="search"
            value={q}
            maxLength={50}
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
      {data.persons.length === 0 ? (
        <p>{t("persons.empty")}</p>
      ) : (
        <ul className="list">
          {data.persons.map((p) => (
            <li key={p.id} className="list__item">
              <Link to="/staff/persons/$personId" params={{ personId: p.id }} className="list__link">
                <span className="list__text">
                  <span className="list__title">{p.name || t("person.unnamed")}</span>
                  <span className="muted small">
                    {[
                      t(`gender.${p.gender}`),
                      p.birthDate ? t("person.born", { date: formatDate(locale, p.birthDate) }) : null,
                      p.phoneMasked,
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                  </span>
                  {p.managed ? <span className="badge">{t("persons.managed")}</span> : null}
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
              from="/staff/persons/"
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
              from="/staff/persons/"
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
