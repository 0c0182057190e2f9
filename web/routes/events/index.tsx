import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { SelectField } from "../../components/fields";
import { Icon } from "../../components/icon";
import { EmptyState, PageHeading } from "../../components/page";
import { addDays, formatDay, formatTimeRange, groupByDay } from "../../lib/bookings";
import { EventsSearch, filtersOf, monthName, rangeOf } from "../../lib/calendar";
import {
  type CalendarItem,
  calendarQuery,
  EVENT_AUDIENCES,
  EVENT_CATEGORIES,
  monthWeeks,
  shiftMonth,
  today,
} from "../../lib/events";
import { WEEKDAYS } from "../../lib/facilities";
import { useT } from "../../lib/i18n";
import { usePreferences } from "../../lib/preferences";
import { communitiesQuery } from "../../lib/queries";

const VIEWS = [
  ["list", "events.viewList"],
  ["weekend", "events.viewWeekend"],
  ["month", "events.viewMonth"],
] as const;

export const Route = createFileRoute("/events/")({
  validateSearch: EventsSearch,
  loaderDeps: ({ search }) => rangeOf(search),
  loader: ({ context: { queryClient }, deps }) =>
    Promise.all([queryClient.ensureQueryData(calendarQuery(deps)), queryClient.ensureQueryData(communitiesQuery)]),
  component: EventsPage,
});

function EventsPage() {
  const t = useT();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const range = rangeOf(search);
  const { data: calendar } = useSuspenseQuery(calendarQuery(range));
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  const { locale } = usePreferences();
  // Open while filters are set; the reader opens and closes it as they like after that.
  const [filtersOpen, setFiltersOpen] = useState(Boolean(search.community || search.category || search.audience));
  const filters = filtersOf(search);
  const set = (patch: Partial<EventsSearch>) =>
    navigate({ search: (s) => ({ ...s, ...patch }), replace: true, resetScroll: false });

  return (
    <div className="page">
      <PageHeading title={t("events.title")} lead={t("events.lead")} />
      <search className="card form" aria-label={t("events.filters")}>
        {/* Links and a GET form, as the server-rendered calendar has (worker/features/pages):
            the choices work the same before this page's JavaScript has run. */}
        <nav aria-label={t("events.viewLegend")}>
          <ul className="subnav">
            {VIEWS.map(([view, label]) => (
              <li key={view}>
                <Link
                  to="/events"
                  search={{ ...filters, view: view === "list" ? undefined : view }}
                  className="subnav__link"
                  aria-current={(search.view ?? "list") === view ? "page" : undefined}
                  activeOptions={{ exact: true }}
                  replace
                  resetScroll={false}
                >
                  {t(label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <form
          className="form"
          method="get"
          action="/events"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            const value = (name: string) => String(data.get(name) ?? "") || undefined;
            set({
              community: value("community"),
              category: EventsSearch.shape.category.parse(value("category")),
              audience: EventsSearch.shape.audience.parse(value("audience")),
            });
          }}
        >
          {search.view ? <input type="hidden" name="view" value={search.view} /> : null}
          {search.month ? <input type="hidden" name="month" value={search.month} /> : null}
          <details className="filters" open={filtersOpen} onToggle={(e) => setFiltersOpen(e.currentTarget.open)}>
            <summary className="filters__summary">{t("events.moreFilters")}</summary>
            <div className="form">
              <SelectField
                label={t("events.community")}
                name="community"
                value={search.community ?? ""}
                placeholder={t("events.allCommunities")}
                options={communities.map((c) => ({ value: c.id, label: locale === "en" ? c.nameEn : c.name }))}
                onChange={(e) => set({ community: e.target.value || undefined })}
              />
              <SelectField
                label={t("events.category")}
                name="category"
                value={search.category ?? ""}
                placeholder={t("events.allCategories")}
                options={EVENT_CATEGORIES.map((c) => ({ value: c, label: t(`eventCategory.${c}`) }))}
                onChange={(e) => set({ category: EventsSearch.shape.category.parse(e.target.value || undefined) })}
              />
              <SelectField
                label={t("events.audience")}
                name="audience"
                value={search.audience ?? ""}
                placeholder={t("events.anyAudience")}
                options={EVENT_AUDIENCES.filter((a) => a !== "all").map((a) => ({
                  value: a,
                  label: t(`eventAudience.${a}`),
                }))}
                onChange={(e) => set({ audience: EventsSearch.shape.audience.parse(e.target.value || undefined) })}
              />
              <button type="submit" className="button button--secondary">
                {t("events.applyFilters")}
              </button>
            </div>
          </details>
        </form>
      </search>

      {search.view === "month" ? <MonthNav month={search.month ?? today().slice(0, 7)} filters={filters} /> : null}

      <section className="section" aria-labelledby="event-list-title">
        <h2 id="event-list-title">
          {search.view === "weekend"
            ? t("events.weekendTitle")
            : t("events.rangeTitle", {
                from: formatDay(locale, Date.parse(`${range.from}T12:00:00+08:00`)),
                to: formatDay(locale, Date.parse(`${range.to}T12:00:00+08:00`)),
              })}
        </h2>
        <p className="muted" role="status">
          {t("events.count", { count: calendar.items.length })}
        </p>
        {search.view === "month" ? (
          <MonthGrid month={search.month ?? today().slice(0, 7)} items={calendar.items} />
        ) : null}
        {calendar.items.length === 0 ? (
          <EmptyState icon="events" title={t("events.emptyTitle")} body={t("events.emptyBody")} />
        ) : (
          <EventDays items={calendar.items} />
        )}
        {calendar.truncated ? <p className="muted">{t("events.truncated")}</p> : null}
        {(search.view ?? "list") === "list" ? (
          <p>
            <Link
              to="/events"
              search={{ ...search, from: addDays(range.from ?? today(), 31) }}
              className="button button--secondary button--block"
            >
              {t("events.later")}
            </Link>
          </p>
        ) : null}
      </section>
      <Subscribe community={search.community} category={search.category} />
    </div>
  );
}

function EventDays({ items }: { items: CalendarItem[] }) {
  const t = useT();
  const { locale } = usePreferences();
  return (
    <>
      {groupByDay(items, (i) => i.startsAt).map((day) => (
        <div key={day.date} className="section" id={`day-${day.date}`}>
          <h3>{formatDay(locale, day.items[0]?.startsAt ?? 0)}</h3>
          <ul className="list">
            {day.items.map((item) => (
              <li key={item.slotId} className="list__item">
                <Link to="/events/$eventId" params={{ eventId: item.eventId }} className="list__link">
                  <span className="list__text">
                    <span className="list__title">{item.title}</span>
                    <span>
                      {formatTimeRange(item.startsAt, item.endsAt)}
                      {item.place ? ` · ${item.place}` : ""}
                    </span>
                    <span className="muted small">
                      {[
                        t(`eventCategory.${item.category}`),
                        item.audience === "all" ? null : t(`eventAudience.${item.audience}`),
                        item.communityName ?? t("events.streetWide"),
                      ]
                        .filter(Boolean)
                        .join(" · ")}
                    </span>
                    <SignupBadge item={item} />
                  </span>
                  <Icon name="chevron" className="chevron" />
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}

/** "无需报名", "余 5 位", "已满（可候补）" or "已取消". */
function SignupBadge({ item }: { item: CalendarItem }) {
  const t = useT();
  if (item.status === "cancelled") return <span className="badge badge--muted">{t("events.cancelled")}</span>;
  if (!item.signup) return <span className="badge badge--ok">{t("events.noSignup")}</span>;
  if (item.free > 0) return <span className="badge badge--open">{t("events.free", { count: item.free })}</span>;
  return <span className="badge badge--warn">{t(item.waitlist ? "events.full" : "events.fullNoWaitlist")}</span>;
}

function MonthNav({ month, filters }: { month: string; filters: Partial<EventsSearch> }) {
  const t = useT();
  const { locale } = usePreferences();
  const name = monthName(locale, month);
  return (
    <nav className="row month-nav" aria-label={t("events.monthNav")}>
      <Link
        to="/events"
        search={{ ...filters, view: "month", month: shiftMonth(month, -1) }}
        className="button button--secondary button--small"
        replace
        resetScroll={false}
      >
        {t("events.prevMonth")}
      </Link>
      <p className="strong month-nav__name" aria-live="polite">
        {name}
      </p>
      <Link
        to="/events"
        search={{ ...filters, view: "month", month: shiftMonth(month, 1) }}
        className="button button--secondary button--small"
        replace
        resetScroll={false}
      >
        {t("events.nextMonth")}
      </Link>
    </nav>
  );
}

/** The month at a glance: each day with how many events it has (the list below has them). */
function MonthGrid({ month, items }: { month: string; items: CalendarItem[] }) {
  const t = useT();
  const { locale } = usePreferences();
  const counts = new Map<string, number>();
  for (const day of groupByDay(items, (i) => i.startsAt)) counts.set(day.date, day.items.length);
  const caption = monthName(locale, month);
  return (
    <table className="month-grid">
      <caption className="visually-hidden">{t("events.monthCaption", { month: caption })}</caption>
      <thead>
        <tr>
          {WEEKDAYS.map((d) => (
            <th key={d} scope="col" abbr={t(`weekday.${d}`)} className="month-grid__weekday">
              {t(`weekdayShort.${d}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {monthWeeks(month).map((week) => (
          <tr key={week.find(Boolean) ?? "empty"}>
            {week.map((date, i) => {
              const count = date ? (counts.get(date) ?? 0) : 0;
              return (
                <td
                  key={date ?? `blank-${i}`}
                  className={count > 0 ? "month-grid__day month-grid__day--busy" : "month-grid__day"}
                >
                  {date ? (
                    <>
                      <span className="month-grid__date">{Number(date.slice(8))}</span>
                      {count > 0 ? (
                        <span className="month-grid__count">
                          <span aria-hidden="true">{count}</span>
                          <span className="visually-hidden">{t("events.dayCount", { count })}</span>
                        </span>
                      ) : null}
                    </>
                  ) : null}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Links phone calendars and feed readers subscribe to, for the filters chosen. */
function Subscribe({ community, category }: { community: string | undefined; category: string | undefined }) {
  const t = useT();
  const query = new URLSearchParams({
    ...(community ? { community } : {}),
    ...(category ? { category } : {}),
  }).toString();
  const ics = `/api/event-feeds/calendar.ics${query ? `?${query}` : ""}`;
  const atom = `/api/event-feeds/new.atom${query ? `?${query}` : ""}`;
  const webcal = `webcal://${window.location.host}${ics}`;
  return (
    <section className="section" aria-labelledby="subscribe-title">
      <h2 id="subscribe-title">{t("events.subscribeTitle")}</h2>
      <div className="card stack">
        <p>{t(community || category ? "events.subscribeFiltered" : "events.subscribeAll")}</p>
        <div className="row">
          <a href={webcal} className="button button--small">
            {t("events.subscribeCalendar")}
          </a>
          <a href={ics} className="button button--secondary button--small">
            {t("events.downloadIcs")}
          </a>
          <a href={atom} className="button button--secondary button--small">
            {t("events.subscribeFeed")}
          </a>
        </div>
        <p className="muted small">{t("events.subscribeHint")}</p>
      </div>
    </section>
  );
}
