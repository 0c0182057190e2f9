import { queryOptions } from "@tanstack/react-query";
import type {
  CalendarItem,
  CalendarQuery,
  Event,
  EventAudience,
  EventCategory,
  EventInput,
} from "../../worker/features/events/events.schema";
import { scheduleTimes } from "../../worker/features/events/events.schema";
import type { Recurrence } from "../../worker/features/events/recurrence.schema";
import { api, unwrap } from "./api";
import { addDays, shanghaiDate } from "./bookings";
import { WEEKDAYS } from "./facilities";
import type { Translate } from "./i18n";

export {
  EVENT_ACCESSIBILITY,
  EVENT_AUDIENCES,
  EVENT_CATEGORIES,
  eventPlace,
} from "../../worker/features/events/events.schema";
export type { CalendarItem, Event, EventAudience, EventCategory };

/** The public calendar for a range and filters. */
export const calendarQuery = (q: CalendarQuery) =>
  queryOptions({
    queryKey: ["events", "calendar", q],
    queryFn: () =>
      unwrap(
        api.events.$get({
          query: Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as CalendarQuery,
        }),
      ),
    staleTime: 60_000,
  });

export const eventQuery = (eventId: string) =>
  queryOptions({
    queryKey: ["events", eventId],
    queryFn: () => unwrap(api.events[":id"].$get({ param: { id: eventId }, query: {} })),
  });

export const staffEventsQuery = (view: "mine" | "queue") =>
  queryOptions({
    queryKey: ["staff", "events", view],
    queryFn: async () => (await unwrap(api.staff.events.$get({ query: { view } }))).events,
  });

export const eventStatsQuery = (from: string, to: string) =>
  queryOptions({
    queryKey: ["staff", "event-stats", from, to],
    queryFn: () => unwrap(api.staff["event-stats"].$get({ query: { from, to } })),
  });

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

/**
 * The event as residents will see it, before it is saved: the editor's preview (dates expanded
 * as the server does, `scheduledTimes` in events.routes.ts; a pattern past the limit shows none).
 */
export function expandForPreview(
  input: EventInput,
  names: { organisationName: string; communityName: string | null },
): Event {
  const schedule = input.schedule;
  let times: Array<{ startsAt: number; endsAt: number }>;
  try {
    times = scheduleTimes(schedule, Date.now());
  } catch {
    times = [];
  }
  const capacity = input.capacity ?? 0;
  return {
    id: "preview",
    title: input.title,
    description: input.description,
    category: input.category,
    audience: input.audience,
    organisationId: input.organisationId,
    organisationName: names.organisationName,
    communityId: input.communityId,
    communityName: names.communityName,
    facilityId: input.facilityId,
    facilityName: null,
    facilityAddress: null,
    placeText: input.placeText,
    accessibility: input.accessibility,
    accessibilityNote: input.accessibilityNote,
    contact: input.contact,
    signup: input.signup,
    minAge: input.minAge,
    opensDaysBefore: input.opensDaysBefore,
    closesHoursBefore: input.closesHoursBefore,
    cancelCutoffHours: input.cancelCutoffHours,
    waitlist: input.waitlist,
    maxActivePerPerson: input.maxActivePerPerson,
    recurrence: "recurrence" in schedule ? schedule.recurrence : null,
    workflow: "draft",
    reviewNote: null,
    submittedAt: null,
    publishedAt: null,
    cancelledAt: null,
    rating: { count: 0, average: null },
    occurrences: times.map((time, i) => ({
      id: `preview-${i}`,
      ...time,
      capacity,
      taken: 0,
      waitlisted: 0,
      free: capacity,
      status: "open" as const,
      bookable: false,
      opensAt: time.startsAt,
      closesAt: time.startsAt,
    })),
    may: { edit: false, review: false, publishDirectly: false, submit: false, cancel: false },
  };
}
