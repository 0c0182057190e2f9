import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, redirect } from "@tanstack/react-router";
import { z } from "zod";
import { EmptyState, PageHeading } from "../../components/page";
import { formatWhen } from "../../lib/bookings";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { hoursText, myHoursQuery, myServiceRecordsQuery, optionLabel, thisYear } from "../../lib/volunteers";

const HoursSearch = z.object({
  year: z.number().int().min(2020).max(2099).optional().catch(undefined),
});

export const Route = createFileRoute("/volunteer/hours")({
  validateSearch: HoursSearch,
  beforeLoad: ({ context, location }) => {
    if (!context.me) throw redirect({ to: "/login", search: { redirect: location.href } });
  },
  loaderDeps: ({ search }) => ({ year: search.year ?? thisYear() }),
  loader: ({ context: { queryClient }, deps }) =>
    Promise.all([
      queryClient.ensureQueryData(myHoursQuery(deps.year)),
      queryClient.ensureQueryData(myServiceRecordsQuery(deps.year)),
    ]),
  component: HoursPage,
});

function HoursPage() {
  const t = useT();
  const { locale } = usePreferences();
  const year = Route.useSearch().year ?? thisYear();
  const { data: hours } = useSuspenseQuery(myHoursQuery(year));
  const { data: records } = useSuspenseQuery(myServiceRecordsQuery(year));
  const table = (caption: string, rows: typeof hours.byMonth, label: (key: string, text: string | null) => string) =>
    rows.length === 0 ? null : (
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("hours.item")}</th>
            <th scope="col">{t("hours.approved")}</th>
            <th scope="col">{t("hours.pending")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{label(r.key, r.label)}</th>
              <td>{hoursText(r.approved)}</td>
              <td>{hoursText(r.pending)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  return (
    <div className="page">
      <PageHeading title={t("hours.title")} lead={t("hours.lead")} />
      <nav className="row" aria-label={t("hours.years")}>
        <Link from="/volunteer/hours" search={{ year: year - 1 }} className="button button--secondary button--small">
          {t("hours.year", { year: year - 1 })}
        </Link>
        {year < thisYear() ? (
          <Link from="/volunteer/hours" search={{ year: year + 1 }} className="button button--secondary button--small">
            {t("hours.year", { year: year + 1 })}
          </Link>
        ) : null}
      </nav>
      <Link to="/volunteer/statement" className="button button--secondary button--block">
        {t("statement.link")}
      </Link>
      <section className="card" aria-labelledby="totals-title">
        <h2 id="totals-title">{t("hours.year", { year })}</h2>
        <dl className="details">
          <dt>{t("hours.approvedTotal")}</dt>
          <dd className="strong">{t("hours.hours", { hours: hoursText(hours.approvedMinutes) })}</dd>
          <dt>{t("hours.pendingTotal")}</dt>
          <dd>{t("hours.hours", { hours: hoursText(hours.pendingMinutes) })}</dd>
          <dt>{t("hours.allTime")}</dt>
          <dd>{t("hours.hours", { hours: hoursText(hours.allTimeApprovedMinutes) })}</dd>
        </dl>
      </section>
      {table(t("hours.byMonth"), hours.byMonth, (key) => t("hours.month", { month: Number(key) }))}
      {table(t("hours.byOrganisation"), hours.byOrganisation, (key, label) => label ?? key)}
      {table(t("hours.byCategory"), hours.byCategory, (key) => optionLabel(t, "skill", key))}
      <section className="section" aria-labelledby="records-title">
        <h2 id="records-title">{t("hours.records")}</h2>
        {records.length === 0 ? (
          <EmptyState icon="calendar" title={t("hours.emptyTitle")} body={t("hours.emptyBody")} />
        ) : (
          <ul className="list">
            {records.map((r) => (
              <li key={r.id} className="list__item">
                <span className="list__text">
                  <span className="list__title">{r.title}</span>
                  <span>{formatWhen(locale, r.startedAt, r.endedAt ?? r.startedAt)}</span>
                  <span className="muted">
                    {[
                      r.organisationName,
                      r.minutes !== null ? t("hours.hours", { hours: hoursText(r.minutes) }) : null,
                      r.reason ? t("hours.reason", { reason: r.reason }) : null,
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                  </span>
                  <span className="badge">{t(`record.status.${r.status}`)}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
