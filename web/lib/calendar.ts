/**
 * Calendar arithmetic and wording for the events pages, in Shanghai dates (YYYY-MM-DD): plain
 * functions, shared by the site and the Worker's server-rendered calendar (worker/features/pages).
 */
import { z } from "zod";
import { type CalendarQuery, EVENT_AUDIENCES, EVENT_CATEGORIES } from "../../worker/features/events/events.schema";
import type { Recurrence } from "../../worker/features/events/recurrence.schema";
import { WEEKDAYS } from "../../worker/features/facilities/opening-hours";
import { addDays, shanghaiDate } from "./bookings";
import type { Locale, Translate } from "./messages";

/** Saturday and Sunday of this weekend (Shanghai); on a Sunday, today and — for the start — yesterday. */
export function thisWeekend(today: string): { from: string; to: string } {
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  if (weekday === 0) return { from: today, to: today };
  const saturday = addDays(today, 6 - weekday);
  return { from: saturday, to: addDays(saturday, 1) };
}

/** The first and last day of the month (YYYY-MM) a date is in. */
export function monthRange(month: string): { from: string; to: string } {
  const [y = 0, m = 1] = month.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, "0")}` };
}

/** The month (YYYY-MM) `delta` months from `month`. */
export function shiftMonth(month: string, delta: number): string {
  const [y = 0, m = 1] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return d.toISOString().slice(0, 7);
}

/** The weeks (Monday first) of a month as rows of dates, null outside the month. */
export function monthWeeks(month: string): Array<Array<string | null>> {
  const { from, to } = monthRange(month);
  const first = new Date(`${from}T00:00:00Z`).getUTCDay();
  const lead = (first + 6) % 7;
  const days: Array<string | null> = Array.from({ length: lead }, () => null);
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  while (days.length % 7 !== 0) days.push(null);
  const weeks: Array<Array<string | null>> = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  return weeks;
}

export const today = () => shanghaiDate(Date.now());

/** "每周六" / "Every Saturday", "每月15日", "每月第二个周六". */
export function recurrenceText(t: Translate, r: Recurrence): string {
  if (r.freq === "weekly") {
    const days = r.weekdays
      .slice()
      .sort((a, b) => a - b)
      .map((d) => t(`weekday.${WEEKDAYS[d - 1] ?? "mon"}`))
      .join(t("list.separator"));
    return (r.interval ?? 1) > 1
      ? t("recurrence.everyNWeeks", { n: r.interval ?? 1, days })
      : t("recurrence.weekly", { days });
  }
  if ("monthDay" in r) return t("recurrence.monthDay", { day: r.monthDay });
  const weekday = t(`weekday.${WEEKDAYS[r.weekday - 1] ?? "mon"}`);
  return r.nth === -1 ? t("recurrence.lastWeekday", { weekday }) : t("recurrence.nthWeekday", { n: r.nth, weekday });
}

/** The public calendar's address: its view and filters (anything wrong is dropped, not refused). */
export const EventsSearch = z.object({
  view: z.enum(["list", "weekend", "month"]).optional().catch(undefined),
  /** The month shown in the month view (YYYY-MM); this month by default. */
  month: z.coerce
    .string()
    .regex(/^20\d{2}-(0[1-9]|1[0-2])$/)
    .optional()
    .catch(undefined),
  /** The list view's first day; today by default. */
  from: z.coerce.string().pipe(z.iso.date()).optional().catch(undefined),
  community: z.string().min(1).max(64).optional().catch(undefined),
  category: z.enum(EVENT_CATEGORIES).optional().catch(undefined),
  audience: z.enum(EVENT_AUDIENCES).optional().catch(undefined),
});
export type EventsSearch = z.infer<typeof EventsSearch>;

/** The calendar's filters alone (what a change of view or month keeps). */
export function filtersOf(search: EventsSearch) {
  return { community: search.community, category: search.category, audience: search.audience };
}

/** "2026年12月" / "December 2026". */
export function monthName(locale: Locale, month: string): string {
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(
    Date.parse(`${month}-01T00:00:00Z`),
  );
}

/** The days the view covers and its filters, as the API takes them. */
export function rangeOf(search: EventsSearch): CalendarQuery {
  const filters = filtersOf(search);
  if (search.view === "weekend") return { ...thisWeekend(today()), ...filters };
  if (search.view === "month") return { ...monthRange(search.month ?? today().slice(0, 7)), ...filters };
  const from = search.from && search.from >= today() ? search.from : today();
  return { from, to: addDays(from, 30), ...filters };
}
