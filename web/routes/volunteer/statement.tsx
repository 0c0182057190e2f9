import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, redirect, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { z } from "zod";
import { TextField } from "../../components/fields";
import { FileDownload } from "../../components/file-download";
import { PageHeading } from "../../components/page";
import { formatWhen, shanghaiDate } from "../../lib/bookings";
import { formatDate, useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { hoursText, statementQuery } from "../../lib/volunteers";

const StatementSearch = z.object({
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
});

function period(search: { from?: string | undefined; to?: string | undefined }) {
  const today = shanghaiDate(Date.now());
  const to = search.to ?? today;
  const from = search.from ?? `${to.slice(0, 4)}-01-01`;
  return from <= to ? { from, to } : { from: to, to };
}

export const Route = createFileRoute("/volunteer/statement")({
  validateSearch: StatementSearch,
  beforeLoad: ({ context, location }) => {
    if (!context.me) throw redirect({ to: "/login", search: { redirect: location.href } });
  },
  loaderDeps: ({ search }) => period(search),
  loader: ({ context: { queryClient }, deps }) => queryClient.ensureQueryData(statementQuery(deps.from, deps.to)),
  component: StatementPage,
});

/** An hour statement for any period (up to a year), printable; "save as PDF" from the print window. */
function StatementPage() {
  const t = useT();
  const { locale } = usePreferences();
  const navigate = useNavigate({ from: "/volunteer/statement" });
  const { from, to } = period(Route.useSearch());
  const { data } = useSuspenseQuery(statementQuery(from, to));
  const [fromInput, setFrom] = useState(from);
  const [toInput, setTo] = useState(to);
  function submit(event: FormEvent) {
    event.preventDefault();
    void navigate({ search: { from: fromInput, to: toInput } });
  }
  return (
    <div className="page">
      <div className="no-print stack">
        <PageHeading title={t("statement.title")} lead={t("statement.lead")} />
        <form className="card form" onSubmit={submit}>
          <TextField
            label={t("certificates.from")}
            type="date"
            value={fromInput}
            onChange={(e) => setFrom(e.target.value)}
          />
          <TextField label={t("certificates.to")} type="date" value={toInput} onChange={(e) => setTo(e.target.value)} />
          <button type="submit" className="button button--secondary">
            {t("statement.show")}
          </button>
        </form>
        <FileDownload
          className="button button--block"
          href={`/api/volunteers/me/statement.pdf?from=${from}&to=${to}`}
          label={t("certificate.downloadPdf")}
          fallbackName={`statement-${from}-${to}.pdf`}
        />
        <button type="button" className="button button--secondary button--block" onClick={() => window.print()}>
          {t("certificate.print")}
        </button>
      </div>
      <article className="certificate card" aria-labelledby="statement-heading">
        <h2 id="statement-heading" className="certificate__title">
          {t("statement.heading")}
        </h2>
        <dl className="details">
          <dt>{t("volunteer.realName")}</dt>
          <dd>{data.realName}</dd>
          <dt>{t("volunteer.idNumber")}</dt>
          <dd>{data.idMasked}</dd>
          <dt>{t("volunteer.number")}</dt>
          <dd>{data.volunteerNumber}</dd>
          <dt>{t("certificate.period")}</dt>
          <dd>
            {formatDate(locale, data.from)} – {formatDate(locale, data.to)}
          </dd>
          <dt>{t("statement.total")}</dt>
          <dd className="strong">{t("hours.hours", { hours: hoursText(data.approvedMinutes) })}</dd>
        </dl>
        {data.records.length === 0 ? (
          <p>{t("statement.none")}</p>
        ) : (
          <table className="table">
            <caption>{t("statement.records", { count: data.records.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("statement.when")}</th>
                <th scope="col">{t("statement.service")}</th>
                <th scope="col">{t("leaderboard.hours")}</th>
              </tr>
            </thead>
            <tbody>
              {data.records.map((r) => (
                <tr key={r.id}>
                  <td>{formatWhen(locale, r.startedAt, r.endedAt ?? r.startedAt)}</td>
                  <th scope="row">
                    {r.title}
                    <span className="muted"> · {r.organisationName}</span>
                  </th>
                  <td>{hoursText(r.minutes ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="muted">{t("statement.footer", { date: formatDate(locale, data.issuedAt) })}</p>
      </article>
    </div>
  );
}
