import { z } from "zod";
import { CalendarDate, HHMM } from "../../lib/calendar-fields";
import { fromShanghai } from "../../lib/shanghai";
import { expandOccurrences, OccurrencePlan, Recurrence } from "./recurrence.schema";

export const EVENT_CATEGORIES = [
  "culture",
  "sports",
  "science",
  "health_talk",
  "parent_child",
  "elderly",
  "festival",
  "volunteer",
  "other",
] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export const EVENT_AUDIENCES = ["all", "elderly", "children", "families"] as const;
export type EventAudience = (typeof EVENT_AUDIENCES)[number];

export const EVENT_ACCESSIBILITY = ["step_free", "hearing_loop", "sign_language", "large_print"] as const;
export type EventAccessibility = (typeof EVENT_ACCESSIBILITY)[number];

/**
 * draft → submitted → published (or sent_back, edited, submitted again); published → cancelled.
 * Community committees, the street office and the event's own community staff publish at once;
 * everyone else's events wait for the staff of the event's community.
 */
export const EVENT_WORKFLOW = ["draft", "submitted", "sent_back", "published", "cancelled"] as const;
export type EventWorkflow = (typeof EVENT_WORKFLOW)[number];

const Id = z.string().min(1).max(64);
/** One date (or a run of days, e.g. a photo exhibition) from `start` to `end` (Asia/Shanghai). */
export const OneOffSchedule = z
  .strictObject({
    date: CalendarDate,
    start: HHMM,
    end: HHMM,
    endDate: CalendarDate.optional().meta({ description: "The last day of an event over several days" }),
  })
  .refine((s) => (s.endDate ?? s.date) >= s.date, { message: "endDate must not be before date", path: ["endDate"] })
  .refine((s) => (s.endDate ?? s.date) > s.date || s.end > s.start, {
    message: "end must be after start",
    path: ["end"],
  })
  .refine((s) => !s.endDate || Date.parse(s.endDate) - Date.parse(s.date) <= 61 * 86_400_000, {
    message: "An event lasts at most 62 days",
    path: ["endDate"],
  });
export type OneOffSchedule = z.infer<typeof OneOffSchedule>;

/** When an event takes place: once, or by a weekly or monthly pattern up to an end date. */
export const EventSchedule = z.union([OneOffSchedule, OccurrencePlan]);
export type EventSchedule = z.infer<typeof EventSchedule>;

/**
 * The times a schedule gives that are not over at `at`, earliest first: the one date (or run of
 * days), or a pattern's dates (`expandOccurrences`, which throws a RangeError past
 * `MAX_OCCURRENCES`). What the server makes, and what the editor's preview shows.
 */
export function scheduleTimes(schedule: EventSchedule, at: number): Array<{ startsAt: number; endsAt: number }> {
  const times =
    "recurrence" in schedule
      ? expandOccurrences(schedule)
      : [
          {
            startsAt: fromShanghai(schedule.date, schedule.start),
            endsAt: fromShanghai(schedule.endDate ?? schedule.date, schedule.end),
          },
        ];
  return times.filter((t) => t.endsAt > at).map(({ startsAt, endsAt }) => ({ startsAt, endsAt }));
}

/** Where an event is, in words: the facility, the place in words, or both (as `placeSql`). */
export function eventPlace(e: { facilityName: string | null; placeText: string | null }): string {
  return [e.facilityName, e.placeText].filter(Boolean).join(" · ");
}

const Capacity = z.number().int().min(1).max(10_000);

/** Every field an event's organiser sets, without defaults. */
const eventFields = {
  title: z.string().trim().min(1).max(80),
  description: z.string().trim().max(4000),
  category: z.enum(EVENT_CATEGORIES),
  audience: z.enum(EVENT_AUDIENCES),
  facilityId: Id.nullable().meta({ description: "Where, when it is one of the street's facilities" }),
  placeText: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .nullable()
    .meta({ description: "Where, in words (a square, a room): with or instead of a facility" }),
  accessibility: z
    .array(z.enum(EVENT_ACCESSIBILITY))
    .max(EVENT_ACCESSIBILITY.length)
    .refine((codes) => new Set(codes).size === codes.length, "List each feature once"),
  accessibilityNote: z.string().trim().max(200).nullable(),
  contact: z.string().trim().min(1).max(100).meta({ description: "Whom to ask: a name and a phone number" }),
  minAge: z.number().int().min(0).max(120).nullable(),
  opensDaysBefore: z.number().int().min(1).max(180),
  closesHoursBefore: z.number().int().min(0).max(720),
  cancelCutoffHours: z.number().int().min(0).max(720),
  waitlist: z.boolean(),
  maxActivePerPerson: z.number().int().min(1).max(100),
};

export const EventInput = z
  .strictObject({
    ...eventFields,
    organisationId: Id,
    communityId: Id.nullable().default(null).meta({
      description:
        "The community whose residents it is for and whose staff approve it; a community committee's own by default; null (street office only): the whole street",
    }),
    description: eventFields.description.default(""),
    audience: eventFields.audience.default("all"),
    facilityId: eventFields.facilityId.default(null),
    placeText: eventFields.placeText.default(null),
    accessibility: eventFields.accessibility.default([]),
    accessibilityNote: eventFields.accessibilityNote.default(null),
    minAge: eventFields.minAge.default(null),
    opensDaysBefore: eventFields.opensDaysBefore.default(30),
    closesHoursBefore: eventFields.closesHoursBefore.default(0),
    cancelCutoffHours: eventFields.cancelCutoffHours.default(0),
    waitlist: eventFields.waitlist.default(true),
    maxActivePerPerson: eventFields.maxActivePerPerson.default(4),
    signup: z.boolean().default(true).meta({ description: "Sign-up needed (places); false: just come along" }),
    capacity: Capacity.nullable().default(null).meta({ description: "Places per occurrence; needed with sign-up" }),
    schedule: EventSchedule,
  })
  .refine((e) => e.facilityId !== null || e.placeText !== null, {
    message: "Say where: a facility or a place in words",
    path: ["placeText"],
  })
  .refine((e) => !e.signup || e.capacity !== null, {
    message: "An event with sign-up needs a capacity",
    path: ["capacity"],
  })
  .refine((e) => e.signup || e.capacity === null, {
    message: "An event without sign-up has no places",
    path: ["capacity"],
  })
  .refine((e) => e.opensDaysBefore * 24 > e.closesHoursBefore, {
    message: "Sign-up must open before it closes",
    path: ["closesHoursBefore"],
  });
export type EventInput = z.infer<typeof EventInput>;

/** An event's changes (not its organisation, community or whether it takes sign-ups): at least one field. */
export const EventPatch = z
  .strictObject(eventFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Give at least one field to change");
export type EventPatch = z.infer<typeof EventPatch>;

/** More occurrences for an event: a date or a pattern, with the places each has. */
export const OccurrencesInput = z.strictObject({
  schedule: EventSchedule,
  capacity: Capacity.nullable().default(null).meta({ description: "Needed when the event takes sign-ups" }),
});

const Scope = z
  .enum(["one", "following"])
  .meta({ description: "This occurrence only, or it and every later one of the same pattern (a one-off: itself)" });

export const OccurrenceChange = z
  .strictObject({
    scope: Scope,
    start: HHMM.optional().meta({ description: "New start time of day (the date stays)" }),
    end: HHMM.optional(),
    capacity: Capacity.optional(),
  })
  .refine((v) => v.start !== undefined || v.end !== undefined || v.capacity !== undefined, {
    message: "Give a new time or capacity",
  })
  .refine((v) => (v.start === undefined) === (v.end === undefined), {
    message: "Give both start and end",
    path: ["end"],
  })
  // A time change is told to everyone signed up; a capacity change promotes the waitlist: one at a time.
  .refine((v) => v.start === undefined || v.capacity === undefined, {
    message: "Change the time or the places, not both at once",
    path: ["capacity"],
  });
export type OccurrenceChange = z.infer<typeof OccurrenceChange>;

export const OccurrenceCancel = z.strictObject({
  scope: Scope,
  reason: z.string().trim().max(200).optional(),
});

export const ReviewBody = z.strictObject({ reason: z.string().trim().min(1).max(200) });
export const EventCancelBody = z.strictObject({ reason: z.string().trim().min(1).max(200) });

export const EventParams = z.strictObject({ id: Id });
export const OccurrenceParams = z.strictObject({ id: Id, slotId: Id });

export const Occurrence = z.object({
  id: z.string().meta({ description: "The slot: book it with POST /api/bookings" }),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  capacity: z.number().int(),
  taken: z.number().int(),
  waitlisted: z.number().int(),
  free: z.number().int(),
  status: z.enum(["open", "cancelled"]),
  bookable: z.boolean(),
  opensAt: z.number().int(),
  closesAt: z.number().int(),
});
export type Occurrence = z.infer<typeof Occurrence>;

export const Event = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.enum(EVENT_CATEGORIES),
  audience: z.enum(EVENT_AUDIENCES),
  organisationId: z.string(),
  organisationName: z.string(),
  communityId: z.string().nullable(),
  communityName: z.string().nullable(),
  facilityId: z.string().nullable(),
  facilityName: z.string().nullable(),
  facilityAddress: z.string().nullable(),
  placeText: z.string().nullable(),
  accessibility: z.array(z.enum(EVENT_ACCESSIBILITY)),
  accessibilityNote: z.string().nullable(),
  contact: z.string(),
  signup: z.boolean(),
  minAge: z.number().int().nullable(),
  opensDaysBefore: z.number().int(),
  closesHoursBefore: z.number().int(),
  cancelCutoffHours: z.number().int(),
  waitlist: z.boolean(),
  maxActivePerPerson: z.number().int(),
  recurrence: Recurrence.nullable(),
  workflow: z.enum(EVENT_WORKFLOW),
  reviewNote: z.string().nullable().meta({ description: "Why it was sent back or cancelled" }),
  submittedAt: z.number().int().nullable(),
  publishedAt: z.number().int().nullable(),
  cancelledAt: z.number().int().nullable(),
  rating: z.object({ count: z.number().int(), average: z.number().nullable() }),
  occurrences: z.array(Occurrence),
  may: z
    .object({
      edit: z.boolean(),
      review: z.boolean(),
      publishDirectly: z.boolean(),
      submit: z.boolean().meta({ description: "Publish it, or submit it for review (its organisation's staff)" }),
      cancel: z.boolean().meta({ description: "Cancel it (its organisation's staff and its reviewers)" }),
    })
    .meta({ description: "What the signed-in account may do with it (all false for the public)" }),
});
export type Event = z.infer<typeof Event>;

/** One occurrence in the public calendar. */
export const CalendarItem = z.object({
  eventId: z.string(),
  slotId: z.string(),
  title: z.string(),
  category: z.enum(EVENT_CATEGORIES),
  audience: z.enum(EVENT_AUDIENCES),
  organisationName: z.string(),
  communityId: z.string().nullable(),
  communityName: z.string().nullable(),
  place: z.string(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  status: z.enum(["open", "cancelled"]),
  signup: z.boolean(),
  waitlist: z.boolean().meta({ description: "People may join a waiting list when it is full" }),
  capacity: z.number().int(),
  free: z.number().int(),
  accessibility: z.array(z.enum(EVENT_ACCESSIBILITY)),
});
export type CalendarItem = z.infer<typeof CalendarItem>;

/** The longest span one calendar request covers, both days counted. */
export const CALENDAR_MAX_DAYS = 92;
/** The most occurrences one calendar answer lists (the earliest). */
export const CALENDAR_MAX_ITEMS = 500;

export const CalendarQuery = z
  .strictObject({
    from: CalendarDate.optional().meta({ description: "First day (Asia/Shanghai); default today" }),
    to: CalendarDate.optional().meta({ description: "Last day, inclusive; default 30 days after from" }),
    community: Id.optional().meta({ description: "That community's events and the street-wide ones" }),
    category: z.enum(EVENT_CATEGORIES).optional(),
    audience: z
      .enum(EVENT_AUDIENCES)
      .optional()
      .meta({ description: "Events for this audience and those for everyone" }),
  })
  .refine((q) => !q.from || !q.to || q.to >= q.from, { message: "to must not be before from", path: ["to"] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) < CALENDAR_MAX_DAYS * 86_400_000, {
    message: `At most ${CALENDAR_MAX_DAYS} days at a time`,
    path: ["to"],
  });
export type CalendarQuery = z.infer<typeof CalendarQuery>;

export const Calendar = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(CalendarItem),
  truncated: z.boolean().meta({ description: `More than ${CALENDAR_MAX_ITEMS} occurrences: narrow the range` }),
});

export const FeedQuery = z.strictObject({
  community: Id.optional(),
  category: z.enum(EVENT_CATEGORIES).optional(),
});

export const StaffEventsQuery = z.strictObject({
  view: z
    .enum(["mine", "queue"])
    .default("mine")
    .meta({ description: "mine: my organisations' events; queue: events waiting for my approval" }),
});

export const StaffEventItem = z.object({
  id: z.string(),
  title: z.string(),
  category: z.enum(EVENT_CATEGORIES),
  organisationName: z.string(),
  communityName: z.string().nullable(),
  workflow: z.enum(EVENT_WORKFLOW),
  reviewNote: z.string().nullable(),
  submittedAt: z.number().int().nullable(),
  updatedAt: z.number().int(),
  firstStartsAt: z.number().int().nullable(),
  nextStartsAt: z.number().int().nullable(),
  occurrences: z.number().int(),
});
export const StaffEventList = z.object({ events: z.array(StaffEventItem) });

export const EventStatsQuery = z
  .strictObject({
    from: CalendarDate,
    to: CalendarDate,
    organisationId: Id.optional(),
  })
  .refine((q) => q.to >= q.from, { message: "to must not be before from", path: ["to"] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) < 366 * 86_400_000, {
    message: "At most 366 days at a time",
    path: ["to"],
  });

const Counts = {
  occurrences: z.number().int(),
  signedUp: z.number().int().meta({ description: "Places taken (confirmed, checked in or attended)" }),
  attended: z.number().int().meta({ description: "Checked in at the door (or recorded as attended)" }),
  noShows: z.number().int(),
  ratings: z.number().int(),
  averageRating: z.number().nullable(),
};
export const EventStats = z.object({
  events: z.array(z.object({ id: z.string(), title: z.string(), organisationName: z.string(), ...Counts })),
  organisers: z.array(
    z.object({ organisationId: z.string(), organisationName: z.string(), events: z.number().int(), ...Counts }),
  ),
});
