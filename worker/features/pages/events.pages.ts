/**
 * The public events calendar and an event's page as HTML, for readers who are not signed in:
 * what most residents open first (often a link shared into a chat, on a weak phone), drawn here so
 * it shows before — and works without — the site's JavaScript. The markup and classes are the
 * site's own (web/routes/events/index.tsx, web/routes/events/$eventId.tsx,
 * web/components/event-details.tsx, web/components/booking-section.tsx as a signed-out reader
 * sees it, web/routes/__root.tsx), so the app replaces it without a visible change when it starts
 * (web/main.tsx); a change to those pages is made here too (test/e2e/events-server.spec.ts
 * compares the two). Words, dates and wording rules come from the site's own modules.
 */
import { html } from "hono/html";
import type { z } from "zod";
import {
  addDays,
  availabilityText,
  formatDay,
  formatTimeRange,
  formatWhen,
  groupByDay,
  slotAvailability,
} from "../../../web/lib/bookings";
import {
  type EventsSearch,
  filtersOf,
  monthName,
  monthWeeks,
  rangeOf,
  recurrenceText,
  shiftMonth,
  today,
} from "../../../web/lib/calendar";
import { ICON_PATHS } from "../../../web/lib/icon-paths";
import { type Locale, type MessageKey, type Translate, translate } from "../../../web/lib/messages";
import {
  type CalendarItem,
  type Calendar as CalendarSchema,
  EVENT_AUDIENCES,
  EVENT_CATEGORIES,
  type Event,
  eventPlace,
} from "../events/events.schema";
import { WEEKDAYS } from "../facilities/opening-hours";

type Html = ReturnType<typeof html>;
type Calendar = z.infer<typeof CalendarSchema>;

/** What every page here needs: the reader's language and the site's address (for webcal links). */
export interface PageContext {
  locale: Locale;
  t: Translate;
  host: string;
  now: number;
}

export function pageContext(locale: Locale, host: string, now: number): PageContext {
  return { locale, t: (key, vars) => translate(locale, key, vars), host, now };
}

// ---------- the app's frame (web/routes/__root.tsx, web/components/bottom-nav.tsx) ----------

function icon(name: keyof typeof ICON_PATHS, className: string): Html {
  return html`<svg class="${className}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false"><path d="${ICON_PATHS[name]}"></path></svg>`;
}

const NAV: Array<{ href: string; label: MessageKey; icon: keyof typeof ICON_PATHS }> = [
  { href: "/", label: "nav.home", icon: "home" },
  { href: "/nearby", label: "nav.nearby", icon: "nearby" },
  { href: "/bookings", label: "nav.bookings", icon: "bookings" },
  { href: "/events", label: "nav.events", icon: "events" },
  { href: "/me", label: "nav.me", icon: "me" },
];

/** The header, the page in `<main>` and the bottom navigation (活动 current). */
export function frame({ t, locale }: PageContext, page: Html): Html {
  const other = locale === "zh-CN" ? "en" : "zh-CN";
  return html`<a class="skip-link" href="#main">${t("app.skipToContent")}</a><header class="topbar"><div class="topbar__inner"><a href="/" class="brand"><svg class="brand__mark" viewBox="0 0 64 64" aria-hidden="true" focusable="false"><rect width="64" height="64" rx="14" fill="#0b6a6a"></rect><path d="M14 30 32 15l18 15v19a3 3 0 0 1-3 3H37V38H27v14H17a3 3 0 0 1-3-3z" fill="#fff"></path></svg><span>${t("app.name")}</span><span class="brand__tagline secondary">${t("app.tagline")}</span></a><div class="topbar__actions"><button type="button" class="lang-button" data-action="language"><span class="visually-hidden">${t("lang.switchLabel")}</span><span lang="${other}">${t("lang.switch")}</span></button></div></div></header><main id="main" class="main" tabindex="-1">${page}</main><nav class="bottom-nav" aria-label="${t("nav.label")}"><ul class="bottom-nav__list">${NAV.map(
    (item) =>
      html`<li><a href="${item.href}" class="bottom-nav__link"${item.href === "/events" ? html` aria-current="page"` : ""}>${icon(item.icon, "bottom-nav__icon")}<span>${t(item.label)}</span></a></li>`,
  )}</ul></nav>`;
}

function heading(title: string, lead?: string): Html {
  return html`<header class="page-header"><h1>${title}</h1>${lead ? html`<p class="lead">${lead}</p>` : ""}</header>`;
}

/** "未找到" for an event that is not there (or not public). */
export function notFoundPage({ t }: PageContext): Html {
  return html`<div class="page">${heading(t("notFound.title"), t("notFound.body"))}<p><a href="/" class="button">${t("notFound.home")}</a></p></div>`;
}

// ---------- the calendar (web/routes/events/index.tsx) ----------

const VIEWS = [
  ["list", "events.viewList"],
  ["weekend", "events.viewWeekend"],
  ["month", "events.viewMonth"],
] as const;

/** `/events?…` for a search (empty parameters left out, as the site's router writes them). */
function calendarHref(search: EventsSearch): string {
  const query = new URLSearchParams(
    Object.entries(search).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  ).toString();
  return query ? `/events?${query}` : "/events";
}

function select(
  name: string,
  label: string,
  placeholder: string,
  value: string | undefined,
  options: Array<{ value: string; label: string }>,
): Html {
  const id = `events-${name}`;
  return html`<div class="field"><label class="field__label" for="${id}">${label}</label><select class="select" id="${id}" name="${name}"><option value="">${placeholder}</option>${options.map(
    (o) => html`<option value="${o.value}"${o.value === value ? html` selected` : ""}>${o.label}</option>`,
  )}</select></div>`;
}

export function calendarPage(
  ctx: PageContext,
  search: EventsSearch,
  calendar: Calendar,
  communities: Array<{ id: string; name: string; nameEn: string }>,
): Html {
  const { t, locale } = ctx;
  const view = search.view ?? "list";
  const range = rangeOf(search);
  const filters = filtersOf(search);
  const month = search.month ?? today().slice(0, 7);
  const filtersOpen = Boolean(search.community || search.category || search.audience);
  const title =
    view === "weekend"
      ? t("events.weekendTitle")
      : t("events.rangeTitle", {
          from: formatDay(locale, Date.parse(`${range.from}T12:00:00+08:00`)),
          to: formatDay(locale, Date.parse(`${range.to}T12:00:00+08:00`)),
        });
  const viewLinks = VIEWS.map(
    ([v, label]) =>
      html`<li><a href="${calendarHref({ ...filters, view: v === "list" ? undefined : v })}" class="subnav__link"${view === v ? html` aria-current="page"` : ""}>${t(label)}</a></li>`,
  );
  const form = html`<form class="form" method="get" action="/events">${search.view ? html`<input type="hidden" name="view" value="${search.view}">` : ""}${search.month ? html`<input type="hidden" name="month" value="${search.month}">` : ""}<details class="filters"${filtersOpen ? html` open` : ""}><summary class="filters__summary">${t("events.moreFilters")}</summary><div class="form">${select(
    "community",
    t("events.community"),
    t("events.allCommunities"),
    search.community,
    communities.map((c) => ({ value: c.id, label: locale === "en" ? c.nameEn : c.name })),
  )}${select(
    "category",
    t("events.category"),
    t("events.allCategories"),
    search.category,
    EVENT_CATEGORIES.map((c) => ({ value: c, label: t(`eventCategory.${c}`) })),
  )}${select(
    "audience",
    t("events.audience"),
    t("events.anyAudience"),
    search.audience,
    EVENT_AUDIENCES.filter((a) => a !== "all").map((a) => ({ value: a, label: t(`eventAudience.${a}`) })),
  )}<button type="submit" class="button button--secondary">${t("events.applyFilters")}</button></div></details></form>`;

  return html`<div class="page">${heading(t("events.title"), t("events.lead"))}<search class="card form" aria-label="${t("events.filters")}"><nav aria-label="${t("events.viewLegend")}"><ul class="subnav">${viewLinks}</ul></nav>${form}</search>${
    view === "month" ? monthNav(ctx, month, filters) : ""
  }<section class="section" aria-labelledby="event-list-title"><h2 id="event-list-title">${title}</h2><p class="muted" role="status">${t(
    "events.count",
    { count: calendar.items.length },
  )}</p>${view === "month" ? monthGrid(ctx, month, calendar.items) : ""}${
    calendar.items.length === 0
      ? html`<section class="empty" aria-labelledby="empty-title">${icon("events", "empty__icon")}<h2 id="empty-title">${t("events.emptyTitle")}</h2><p class="empty__body">${t("events.emptyBody")}</p></section>`
      : eventDays(ctx, calendar.items)
  }${calendar.truncated ? html`<p class="muted">${t("events.truncated")}</p>` : ""}${
    view === "list"
      ? html`<p><a href="${calendarHref({ ...search, from: addDays(range.from ?? today(), 31) })}" class="button button--secondary button--block">${t("events.later")}</a></p>`
      : ""
  }</section>${subscribe(ctx, search.community, search.category)}</div>`;
}

function eventDays(ctx: PageContext, items: CalendarItem[]): Html {
  const { t, locale } = ctx;
  return html`${groupByDay(items, (i) => i.startsAt).map(
    (day) =>
      html`<div class="section" id="day-${day.date}"><h3>${formatDay(locale, day.items[0]?.startsAt ?? 0)}</h3><ul class="list">${day.items.map(
        (item) =>
          html`<li class="list__item"><a href="/events/${encodeURIComponent(item.eventId)}" class="list__link"><span class="list__text"><span class="list__title">${item.title}</span><span>${formatTimeRange(item.startsAt, item.endsAt)}${item.place ? ` · ${item.place}` : ""}</span><span class="muted small">${[
            t(`eventCategory.${item.category}`),
            item.audience === "all" ? null : t(`eventAudience.${item.audience}`),
            item.communityName ?? t("events.streetWide"),
          ]
            .filter(Boolean)
            .join(" · ")}</span>${signupBadge(ctx, item)}</span>${icon("chevron", "chevron")}</a></li>`,
      )}</ul></div>`,
  )}`;
}

function signupBadge({ t }: PageContext, item: CalendarItem): Html {
  if (item.status === "cancelled") return html`<span class="badge badge--muted">${t("events.cancelled")}</span>`;
  if (!item.signup) return html`<span class="badge badge--ok">${t("events.noSignup")}</span>`;
  if (item.free > 0) return html`<span class="badge badge--open">${t("events.free", { count: item.free })}</span>`;
  return html`<span class="badge badge--warn">${t(item.waitlist ? "events.full" : "events.fullNoWaitlist")}</span>`;
}

function monthNav({ t, locale }: PageContext, month: string, filters: Partial<EventsSearch>): Html {
  const link = (delta: number, label: string) =>
    html`<a href="${calendarHref({ ...filters, view: "month", month: shiftMonth(month, delta) })}" class="button button--secondary button--small">${label}</a>`;
  return html`<nav class="row month-nav" aria-label="${t("events.monthNav")}">${link(-1, t("events.prevMonth"))}<p class="strong month-nav__name" aria-live="polite">${monthName(locale, month)}</p>${link(1, t("events.nextMonth"))}</nav>`;
}

function monthGrid({ t, locale }: PageContext, month: string, items: CalendarItem[]): Html {
  const counts = new Map<string, number>();
  for (const day of groupByDay(items, (i) => i.startsAt)) counts.set(day.date, day.items.length);
  return html`<table class="month-grid"><caption class="visually-hidden">${t("events.monthCaption", {
    month: monthName(locale, month),
  })}</caption><thead><tr>${WEEKDAYS.map(
    (d) => html`<th scope="col" abbr="${t(`weekday.${d}`)}" class="month-grid__weekday">${t(`weekdayShort.${d}`)}</th>`,
  )}</tr></thead><tbody>${monthWeeks(month).map(
    (week) =>
      html`<tr>${week.map((date) => {
        const count = date ? (counts.get(date) ?? 0) : 0;
        return html`<td class="${count > 0 ? "month-grid__day month-grid__day--busy" : "month-grid__day"}">${
          date
            ? html`<span class="month-grid__date">${Number(date.slice(8))}</span>${
                count > 0
                  ? html`<span class="month-grid__count"><span aria-hidden="true">${count}</span><span class="visually-hidden">${t("events.dayCount", { count })}</span></span>`
                  : ""
              }`
            : ""
        }</td>`;
      })}</tr>`,
  )}</tbody></table>`;
}

function subscribe({ t, host }: PageContext, community: string | undefined, category: string | undefined): Html {
  const query = new URLSearchParams({
    ...(community ? { community } : {}),
    ...(category ? { category } : {}),
  }).toString();
  const ics = `/api/event-feeds/calendar.ics${query ? `?${query}` : ""}`;
  const atom = `/api/event-feeds/new.atom${query ? `?${query}` : ""}`;
  return html`<section class="section" aria-labelledby="subscribe-title"><h2 id="subscribe-title">${t("events.subscribeTitle")}</h2><div class="card stack"><p>${t(
    community || category ? "events.subscribeFiltered" : "events.subscribeAll",
  )}</p><div class="row"><a href="webcal://${host}${ics}" class="button button--small">${t("events.subscribeCalendar")}</a><a href="${ics}" class="button button--secondary button--small">${t("events.downloadIcs")}</a><a href="${atom}" class="button button--secondary button--small">${t("events.subscribeFeed")}</a></div><p class="muted small">${t("events.subscribeHint")}</p></div></section>`;
}

// ---------- an event's page (web/routes/events/$eventId.tsx) ----------

export function eventPage(ctx: PageContext, event: Event): Html {
  const { t } = ctx;
  const takesSignups = event.signup && event.workflow === "published";
  const status =
    event.workflow === "cancelled"
      ? html`<div class="notice notice--warn" role="status"><p class="strong">${t("event.cancelledTitle")}</p>${
          event.reviewNote ? html`<p>${t("event.cancelledReason", { reason: event.reviewNote })}</p>` : ""
        }</div>`
      : event.workflow !== "published"
        ? html`<p class="notice notice--info">${t(`eventWorkflow.${event.workflow}Note`)}</p>`
        : "";
  return html`<div class="page"><p><a href="/events" class="back-link">${icon("chevron", "back-link__icon")}${t("event.back")}</a></p>${heading(
    event.title,
    event.organisationName,
  )}${status}${eventDetails(ctx, event)}${eventActions(ctx, event)}${takesSignups ? signUp(ctx, event) : occurrences(ctx, event)}</div>`;
}

/** web/components/event-details.tsx */
function eventDetails({ t, locale, now }: PageContext, event: Event): Html {
  const next = event.occurrences.find((o) => o.status === "open" && o.endsAt > now);
  const place = eventPlace(event);
  const when = html`${event.recurrence ? html`<span class="block">${recurrenceText(t, event.recurrence)}</span>` : ""}${
    next
      ? html`<span class="block">${t(event.recurrence ? "event.nextTime" : "event.time", {
          when: formatWhen(locale, next.startsAt, next.endsAt),
        })}</span>`
      : html`<span class="block muted">${t("event.noneAhead")}</span>`
  }`;
  const where = place
    ? html`<dt>${t("event.place")}</dt><dd>${
        event.facilityId && event.facilityName
          ? html`<a href="/facilities/${encodeURIComponent(event.facilityId)}" class="place-link">${event.facilityName}</a>`
          : ""
      }${event.facilityId && event.placeText ? " · " : ""}${event.facilityId ? event.placeText : place}${
        event.facilityAddress ? html`<span class="block muted small">${event.facilityAddress}</span>` : ""
      }</dd>`
    : "";
  const access =
    event.accessibility.length > 0 || event.accessibilityNote
      ? html`<dt>${t("event.accessibility")}</dt><dd>${
          event.accessibility.length > 0
            ? html`<ul class="chips">${event.accessibility.map((a) => html`<li class="chip">${t(`eventAccess.${a}`)}</li>`)}</ul>`
            : ""
        }${event.accessibilityNote ? html`<span class="block">${event.accessibilityNote}</span>` : ""}</dd>`
      : "";
  const rating =
    event.rating.count > 0 && event.rating.average !== null
      ? html`<dt>${t("event.rating")}</dt><dd>${t("event.ratingValue", {
          average: event.rating.average.toFixed(1),
          count: event.rating.count,
        })}</dd>`
      : "";
  return html`<div class="card"><dl class="details"><dt>${t("event.category")}</dt><dd>${t(`eventCategory.${event.category}`)}</dd><dt>${t(
    "event.audience",
  )}</dt><dd>${t(`eventAudience.${event.audience}`)}</dd><dt>${t("event.when")}</dt><dd>${when}</dd>${where}<dt>${t(
    "event.community",
  )}</dt><dd>${event.communityName ?? t("events.streetWide")}</dd>${access}<dt>${t("event.contact")}</dt><dd>${event.contact}</dd><dt>${t(
    "event.signup",
  )}</dt><dd>${event.signup ? t("event.signupNeeded") : t("events.noSignup")}</dd>${rating}</dl>${
    event.description ? html`<p class="pre-line">${event.description}</p>` : ""
  }</div>`;
}

/** Add to my calendar and share (sharing starts the app: web/main.tsx). */
function eventActions({ t }: PageContext, event: Event): Html {
  if (event.workflow !== "published" && event.workflow !== "cancelled") return html``;
  return html`<section class="section" aria-labelledby="event-actions-title"><h2 id="event-actions-title" class="visually-hidden">${t(
    "event.actionsTitle",
  )}</h2><div class="row"><a href="/api/events/${encodeURIComponent(event.id)}/calendar.ics" class="button button--secondary" download="">${icon(
    "calendar",
    "button__icon",
  )}${t("event.addToCalendar")}</a><button type="button" class="button button--secondary" data-action="share">${t("event.share")}</button></div></section>`;
}

/** web/components/booking-section.tsx for a reader not signed in: sign in, and the dates with their places. */
function signUp(ctx: PageContext, event: Event): Html {
  const { t, locale, now } = ctx;
  const slots = event.occurrences.filter((o) => o.status === "open" && o.endsAt > now);
  const offering = { priorityAge: null, priorityDays: 0, waitlist: event.waitlist };
  const login = `/login?${new URLSearchParams({ redirect: `/events/${event.id}` })}`;
  return html`<section class="section" aria-labelledby="for-whom-title"><h2 id="for-whom-title">${t("offering.forWhomTitle")}</h2><div class="card"><p>${t(
    "offering.signInToBook",
  )}</p><a href="${login}" class="button button--block">${t("common.signIn")}</a></div></section><section class="section" aria-labelledby="slots-title"><h2 id="slots-title">${t(
    "offering.slots",
  )}</h2>${slots.length === 0 ? html`<p class="muted">${t("offering.noSlots")}</p>` : ""}${groupByDay(
    slots,
    (s) => s.startsAt,
  ).map(
    (day) =>
      html`<div class="section"><h3>${formatDay(locale, day.items[0]?.startsAt ?? 0)}</h3><ul class="list">${day.items.map(
        (slot) => {
          const availability = slotAvailability(offering, { ...slot, priorityOpensAt: null }, null, now);
          return html`<li class="list__item slot"><div class="slot__text"><span class="slot__time">${formatTimeRange(
            slot.startsAt,
            slot.endsAt,
          )}</span><span class="slot__availability slot__availability--${availability.kind}">${availabilityText(
            t,
            locale,
            availability,
          )}</span></div></li>`;
        },
      )}</ul></div>`,
  )}</section>`;
}

/** The dates of an event without sign-up (or not open for it). */
function occurrences({ t, locale, now }: PageContext, event: Event): Html {
  const ahead = event.occurrences.filter((o) => o.endsAt > now);
  return html`<section class="section" aria-labelledby="occurrences-title"><h2 id="occurrences-title">${t("event.dates")}</h2>${
    event.workflow === "published" && !event.signup ? html`<p>${t("event.justCome")}</p>` : ""
  }${ahead.length === 0 ? html`<p class="muted">${t("event.noneAhead")}</p>` : ""}${groupByDay(
    ahead,
    (o) => o.startsAt,
  ).map(
    (day) =>
      html`<div class="section"><h3>${formatDay(locale, day.items[0]?.startsAt ?? 0)}</h3><ul class="list">${day.items.map(
        (o) =>
          html`<li class="list__item slot"><span class="slot__time">${formatTimeRange(o.startsAt, o.endsAt)}</span>${
            o.status === "cancelled" ? html`<span class="badge badge--muted">${t("events.cancelled")}</span>` : ""
          }</li>`,
      )}</ul></div>`,
  )}</section>`;
}
