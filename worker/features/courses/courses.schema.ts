import { z } from "zod";
import { CalendarDate, HHMM } from "../../lib/calendar-fields";
import { fromShanghai } from "../../lib/shanghai";
import { expandOccurrences, OccurrencePlan } from "../events/recurrence.schema";

/**
 * Training courses (plan part four 一.(五) 10 and 三.五.5: practical employment and skills
 * training, digital skills for seniors): an offering of kind `training` whose one slot is the
 * enrolment — a booking on it covers every session — with its sessions, attendance per session,
 * completion and a certificate anyone can verify. Pure: the site's forms import these too.
 */

export const COURSE_CATEGORIES = [
  "vocational",
  "employment",
  "entrepreneurship",
  "digital_seniors",
  "health",
  "culture",
] as const;
export type CourseCategory = (typeof COURSE_CATEGORIES)[number];

export const COURSE_MODES = ["in_person", "online", "mixed"] as const;
export type CourseMode = (typeof COURSE_MODES)[number];

export const SESSION_STATUSES = ["scheduled", "cancelled"] as const;
export const COURSE_CERTIFICATE_STATUSES = ["valid", "revoked"] as const;

/** The most sessions one course has. */
export const MAX_SESSIONS = 60;

/**
 * The longest a course runs, first session to last: its enrolment is one slot, and the booking
 * engine's slots last at most 62 days (`MAX_SLOT_MS`). A longer programme is two courses.
 */
export const MAX_COURSE_DAYS = 62;

const Id = z.string().min(1).max(64);

/** One session's date and times, or a weekly/monthly pattern (holidays left out with `skipDates`). */
const OneSession = z
  .strictObject({ date: CalendarDate, start: HHMM, end: HHMM })
  .refine((s) => s.end > s.start, { message: "end must be after start", path: ["end"] });

export const CourseSchedule = z.union([
  OccurrencePlan,
  z.strictObject({ dates: z.array(OneSession).min(1).max(MAX_SESSIONS) }),
]);
export type CourseSchedule = z.infer<typeof CourseSchedule>;

/**
 * The sessions a schedule gives, earliest first; an error message when there are none, too many,
 * or two overlap (two sessions of one course at once are a typing mistake).
 */
export function sessionTimes(schedule: CourseSchedule): {
  times: Array<{ startsAt: number; endsAt: number }>;
  problem: string | null;
} {
  let times: Array<{ startsAt: number; endsAt: number }>;
  try {
    times =
      "dates" in schedule
        ? schedule.dates.map((d) => ({ startsAt: fromShanghai(d.date, d.start), endsAt: fromShanghai(d.date, d.end) }))
        : expandOccurrences(schedule).map(({ startsAt, endsAt }) => ({ startsAt, endsAt }));
  } catch {
    return { times: [], problem: `A course has at most ${MAX_SESSIONS} sessions` };
  }
  times.sort((a, b) => a.startsAt - b.startsAt);
  if (times.length === 0) return { times, problem: "The schedule gives no session (every date skipped?)" };
  if (times.length > MAX_SESSIONS) return { times, problem: `A course has at most ${MAX_SESSIONS} sessions` };
  const span = (times.at(-1)?.endsAt ?? 0) - (times[0]?.startsAt ?? 0);
  if (span > MAX_COURSE_DAYS * 86_400_000) {
    return { times, problem: `A course runs at most ${MAX_COURSE_DAYS} days from its first session to its last` };
  }
  for (let i = 1; i < times.length; i++) {
    const before = times[i - 1];
    const time = times[i];
    if (before && time && time.startsAt < before.endsAt) return { times, problem: "Two sessions overlap" };
  }
  return { times, problem: null };
}

const courseFields = {
  title: z.string().trim().min(2).max(80),
  description: z.string().trim().max(4000),
  category: z.enum(COURSE_CATEGORIES),
  mode: z.enum(COURSE_MODES),
  facilityId: Id.nullable().meta({ description: "Where, when in person at one of the street's facilities" }),
  placeText: z.string().trim().min(1).max(120).nullable().meta({ description: "Where, in words (a room)" }),
  onlineLink: z
    .url({ protocol: /^https$/ })
    .max(300)
    .nullable()
    .meta({ description: "Online or mixed courses: the class link, shown only to those enrolled" }),
  eligibility: z
    .string()
    .trim()
    .max(200)
    .meta({ description: "Who may enrol, in words (the rules below are checked)" }),
  minAge: z.number().int().min(0).max(120).nullable(),
  priceFen: z.number().int().min(0).max(10_000_000),
  completionPercent: z
    .number()
    .int()
    .min(1)
    .max(100)
    .meta({ description: "Share of the held sessions to attend to complete the course" }),
  certificate: z.boolean().meta({ description: "A completion certificate for those who complete it" }),
  contact: z.string().trim().min(1).max(100),
};

export const CourseInput = z
  .strictObject({
    ...courseFields,
    organisationId: Id,
    description: courseFields.description.default(""),
    facilityId: courseFields.facilityId.default(null),
    placeText: courseFields.placeText.default(null),
    onlineLink: courseFields.onlineLink.default(null),
    eligibility: courseFields.eligibility.default(""),
    minAge: courseFields.minAge.default(null),
    priceFen: courseFields.priceFen.default(0),
    completionPercent: courseFields.completionPercent.default(80),
    certificate: courseFields.certificate.default(true),
    seats: z.number().int().min(1).max(500),
    waitlist: z.boolean().default(true),
    opensDaysBefore: z.number().int().min(1).max(180).default(30),
    closesHoursBefore: z.number().int().min(0).max(720).default(24),
    schedule: CourseSchedule,
  })
  .refine((c) => c.mode === "online" || c.facilityId !== null || c.placeText !== null, {
    message: "Say where it is held: a facility or a place in words",
    path: ["placeText"],
  })
  .refine((c) => c.mode === "in_person" || c.onlineLink !== null, {
    message: "An online or mixed course needs its class link",
    path: ["onlineLink"],
  })
  .refine((c) => c.opensDaysBefore * 24 > c.closesHoursBefore, {
    message: "Enrolment must open before it closes",
    path: ["closesHoursBefore"],
  });
export type CourseInput = z.infer<typeof CourseInput>;

/** What may change once a course is published: not its sessions, seats or rules (cancel it and publish anew). */
export const CoursePatch = z
  .strictObject({
    description: courseFields.description,
    placeText: courseFields.placeText,
    onlineLink: courseFields.onlineLink,
    eligibility: courseFields.eligibility,
    contact: courseFields.contact,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Give at least one field to change");
export type CoursePatch = z.infer<typeof CoursePatch>;

export const CourseCancel = z.strictObject({ reason: z.string().trim().min(1).max(200) });

export const AttendanceInput = z
  .strictObject({ present: z.array(Id).max(500), absent: z.array(Id).max(500) })
  .refine((a) => a.present.length + a.absent.length <= 500, "At most 500 marks at once");
export type AttendanceInput = z.infer<typeof AttendanceInput>;

export const CourseListQuery = z.strictObject({
  category: z.enum(COURSE_CATEGORIES).optional(),
});

export const CourseParams = z.strictObject({ id: Id });
export const SessionParams = z.strictObject({ id: Id, sessionId: Id });
/** A completion certificate's number, e.g. JZT-2026-7F3A9-0C41B. */
export const CourseCertificateNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^JZT-\d{4}-[0-9A-F]{5}-[0-9A-F]{5}$/, "A certificate number such as JZT-2026-7F3A9-0C41B");
export const CertificateNumberParam = z.strictObject({ number: CourseCertificateNumber });

const Session = z.object({
  id: z.string(),
  seq: z.number().int(),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  status: z.enum(SESSION_STATUSES),
});

export const CourseSummary = z.object({
  id: z.string(),
  title: z.string(),
  category: z.enum(COURSE_CATEGORIES),
  mode: z.enum(COURSE_MODES),
  organisationId: z.string(),
  organisationName: z.string(),
  facilityId: z.string().nullable(),
  facilityName: z.string().nullable(),
  placeText: z.string().nullable(),
  priceFen: z.number().int(),
  minAge: z.number().int().nullable(),
  seats: z.number().int(),
  seatsLeft: z.number().int(),
  waitlist: z.boolean(),
  sessionCount: z.number().int(),
  firstStartsAt: z.number().int(),
  lastEndsAt: z.number().int(),
  /** The enrolment: a booking on this slot covers every session. */
  slotId: z.string(),
  /** The first session has begun: enrolment is over. */
  begun: z.boolean(),
});
export type CourseSummary = z.infer<typeof CourseSummary>;

export const CourseList = z.object({ courses: z.array(CourseSummary) });

/** An enrolment of the reader or a person they act for. */
const MyEnrolment = z.object({
  bookingId: z.string(),
  personId: z.string(),
  personName: z.string(),
  status: z.string(),
  attended: z.number().int(),
  certificate: z.object({ id: z.string(), number: z.string(), status: z.enum(COURSE_CERTIFICATE_STATUSES) }).nullable(),
});

export const Course = CourseSummary.extend({
  description: z.string(),
  eligibility: z.string(),
  contact: z.string(),
  completionPercent: z.number().int(),
  certificate: z.boolean(),
  opensDaysBefore: z.number().int(),
  closesHoursBefore: z.number().int(),
  sessions: z.array(Session),
  /** Only for those enrolled (held places) and the course's staff. */
  onlineLink: z.string().nullable(),
  mine: z.array(MyEnrolment),
  canManage: z.boolean(),
  /** When its staff closed it (completion decided); null while it runs. */
  closedAt: z.number().int().nullable(),
  /** Called off, and why. */
  cancelledAt: z.number().int().nullable(),
  cancelReason: z.string().nullable(),
});
export type Course = z.infer<typeof Course>;

export const Roster = z.object({
  sessions: z.array(Session),
  /** Sessions needed to complete, from the held (not cancelled) ones. */
  needed: z.number().int(),
  enrolments: z.array(
    z.object({
      bookingId: z.string(),
      personName: z.string(),
      phoneMasked: z.string().nullable(),
      status: z.string(),
      /** Session ids attended / marked absent. */
      present: z.array(z.string()),
      absent: z.array(z.string()),
      certificateNumber: z.string().nullable(),
    }),
  ),
});

export const CompletionResult = z.object({
  completed: z.number().int(),
  notCompleted: z.number().int(),
  certificates: z.number().int(),
});

export const CertificateCheck = z.object({
  number: z.string(),
  status: z.enum(COURSE_CERTIFICATE_STATUSES),
  nameMasked: z.string(),
  courseTitle: z.string(),
  organisationName: z.string(),
  sessionsAttended: z.number().int(),
  sessionsHeld: z.number().int(),
  completedOn: z.string(),
  issuedAt: z.number().int(),
});

/** Sessions to attend out of `held` to complete at `percent`. */
export function sessionsNeeded(held: number, percent: number): number {
  return Math.max(1, Math.ceil((held * percent) / 100 - 1e-9));
}
