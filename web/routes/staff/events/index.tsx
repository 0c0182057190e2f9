import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { type ReactNode, useState } from "react";
import { z } from "zod";
import { ErrorNotice } from "../../../components/error-notice";
import { RadioGroup, TextField } from "../../../components/fields";
import { FileDownload } from "../../../components/file-download";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { addDays, formatMoment } from "../../../lib/bookings";
import { eventStatsQuery, staffEventsQuery, today } from "../../../lib/events";
import { useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { ForbiddenError } from "../../../lib/roles";

const StaffEventsSearch = z.object({
  view: z.enum(["mine", "queue", "stats"]).optional().catch(undefined),
});

export const Route = createFileRoute("/staff/events/")({
  validateSearch: StaffEventsSearch,
  beforeLoad: ({ context }) => {
    if (!context.sections.events) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loaderDeps: ({ search }) => ({ view: search.view }),
  loader: ({ context: { queryClient, sections }, deps }) => {
    const view = deps.view ?? (sections.bookings ? "mine" : "queue");
    return view === "stats" ? null : queryClient.ensureQueryData(staffEventsQuery(view));
  },
  component: StaffEventsPage,
});

function StaffEventsPage() {
  const t = useT();
  const { sections } = Route.useRouteContext();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const view = search.view ?? (sections.bookings ? "mine" : "queue");
  const options = [
    ...(sections.bookings ? [{ value: "mine", label: t("staffEvents.mine") }] : []),
    ...(sections.eventReview ? [{ value: "queue", label: t("staffEvents.queue") }] : []),
    ...(sections.bookings ? [{ value: "stats", label: t("staffEvents.stats") }] : []),
  ];
  return (
    <>
      <PageHeading title={t("staffEvents.title")} lead={t("staffEvents.lead")} />
      {sections.bookings ? (
        <p>
          <Link to="/staff/events/new" className="button button--block">
            {t("staffEvents.new")}
          </Link>
        </p>
      ) : null}
      {options.length > 1 ? (
        <RadioGroup
          legend={t("staffEvents.viewLegend")}
          name="view"
          inline
          value={view}
          onChange={(value) => navigate({ search: { view: StaffEventsSearch.shape.view.parse(value) }, replace: true })}
          options={options}
        />
      ) : null}
      {view === "stats" ? <Stats /> : <EventList view={view} />}
    </>
  );
}

function EventList({ view }: { view: "mine" | "queue" }) {
  const t = useT();
  const { locale } = usePreferences();
  const { data: events } = useSuspenseQuery(staffEventsQuery(view));
  return (
    <section className="section" aria-labelledby="staff-events-title">
      <h2 id="staff-events-title">{view === "queue" ? t("staffEvents.queueTitle") : t("staffEvents.mineTitle")}</h2>
      {events.length === 0 ? (
        <p className="muted">{view === "queue" ? t("staffEvents.queueEmpty") : t("staffEvents.mineEmpty")}</p>
      ) : (
        <ul className="list">
          {events.map((e) => (
            <li key={e.id} className="list__item">
              <Link to="/staff/events/$eventId" params={{ eventId: e.id }} className="list__link">
                <span className="list__text">
                  <span className="list__title">{e.title}</span>
                  <span>{[e.organisationName, e.communityName ?? t("events.streetWide")].join(" · ")}</span>
                  <span className="muted small">
                    {e.nextStartsAt
                      ? t("staffEvents.next", { when: formatMoment(locale, e.nextStartsAt) })
                      : t("staffEvents.noneAhead")}
                    {" · "}
                    {t("staffEvents.occurrences", { count: e.occurrences })}
                  </span>
                  <span className={`badge badge--workflow-${e.workflow}`}>{t(`eventWorkflow.${e.workflow}`)}</span>
                </span>
                <Icon name="chevron" className="chevron" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Stats() {
  const t = useT();
  const [from, setFrom] = useState(addDays(today(), -30));
  const [to, setTo] = useState(today());
  const valid =
    /^\d{4}-\d{2}-\d{2}$/.test(from) &&
    /^\d{4}-\d{2}-\d{2}$/.test(to) &&
    from <= to &&
    Date.parse(to) - Date.parse(from) < 366 * 86_400_000;
  const stats = useQuery({ ...eventStatsQuery(from, to), enabled: valid });
  return (
    <section className="section" aria-labelledby="event-stats-title">
      <h2 id="event-stats-title">{t("staffEvents.statsTitle")}</h2>
      <div className="card form">
        <div className="field-pair">
          <TextField
            label={t("staffEvents.statsFrom")}
            type="date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <TextField
            label={t("staffEvents.statsTo")}
            type="date"
            value={to}
            min={from}
            onChange={(e) => setTo(e.target.value)}
          />
        </div>
        {valid ? (
          <FileDownload
            className="button button--secondary button--small"
            href={`/api/staff/event-stats.csv?from=${from}&to=${to}`}
            label={t("staffEvents.csv")}
            fallbackName={`event-stats-${from}-${to}.csv`}
          />
        ) : (
          <p className="field__error">{t("staffEvents.statsRange")}</p>
        )}
      </div>
      <ErrorNotice error={stats.error} />
      {stats.data ? (
        <>
          <StatsTable
            title={t("staffEvents.byOrganiser")}
            head={[t("staffEvents.organiser"), t("staffEvents.colEvents")]}
            rows={stats.data.organisers.map((o) => ({
              key: o.organisationId,
              name: o.organisationName,
              count: o.events,
              ...o,
            }))}
          />
          <StatsTable
            title={t("staffEvents.byEvent")}
            head={[t("staffEvents.colEvent"), t("staffEvents.colOccurrences")]}
            rows={stats.data.events.map((e) => ({
              key: e.id,
              name: (
                <Link to="/staff/events/$eventId" params={{ eventId: e.id }}>
                  {e.title}
                </Link>
              ),
              count: e.occurrences,
              ...e,
            }))}
          />
          {stats.data.events.length === 0 ? <p className="muted">{t("staffEvents.statsEmpty")}</p> : null}
        </>
      ) : null}
    </section>
  );
}

/** One statistics table: a row per organiser or event, its count, sign-ups, attendance, no-shows and rating. */
function StatsTable({
  title,
  head: [nameHead, countHead],
  rows,
}: {
  title: string;
  head: [string, string];
  rows: Array<{
    key: string;
    name: ReactNode;
    count: number;
    signedUp: number;
    attended: number;
    noShows: number;
    ratings: number;
    averageRating: number | null;
  }>;
}) {
  const t = useT();
  return (
    <>
      <h3>{title}</h3>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard */}
      <section className="table-scroll" aria-label={title} tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{nameHead}</th>
              <th scope="col">{countHead}</th>
              <th scope="col">{t("staffEvents.colSignedUp")}</th>
              <th scope="col">{t("staffEvents.colAttended")}</th>
              <th scope="col">{t("staffEvents.colNoShows")}</th>
              <th scope="col">{t("staffEvents.colRating")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.name}</th>
                <td>{r.count}</td>
                <td>{r.signedUp}</td>
                <td>{r.attended}</td>
                <td>{r.noShows}</td>
                <td>{r.averageRating === null ? "—" : `${r.averageRating.toFixed(1)}（${r.ratings}）`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
