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
import { api, unwrap } from "./api";

export {
  EVENT_ACCESSIBILITY,
  EVENT_AUDIENCES,
  EVENT_CATEGORIES,
  eventPlace,
} from "../../worker/features/events/events.schema";
export { monthRange, monthWeeks, recurrenceText, shiftMonth, thisWeekend, today } from "./calendar";
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

/**
 * The event as residents will see it, before it is saved: the editor's preview (dates expanded
 * as the server does, `scheduledTimes` in events.routes.ts; a pattern past the limit shows none).
 */
export function expandForPreview(
  input: EventInput,
  names: {
    organisationName: string;
    communityName: string | null;
    facility?: { name: string; address: string | null } | undefined;
  },
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
    facilityName: names.facility?.name ?? null,
    facilityAddress: names.facility?.address ?? null,
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
