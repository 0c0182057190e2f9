import { z } from "zod";
import { CalendarDate, HHMM } from "../../lib/calendar-fields";
import { fromShanghai, isoWeekday, shanghaiDate } from "../../lib/shanghai";
import { DAY } from "../../lib/time";

/**
 * How a community event repeats, and the dated occurrences a plan expands to, in Asia/Shanghai
 * local time (UTC+8 all year: no daylight saving). Pure: the browser imports this too.
 */

/** The most occurrences one plan may expand to. A plan `OccurrencePlan` accepts has at most 367. */
export const MAX_OCCURRENCES = 400;

/** The longest plan, in days from `from` to `until`. */
const MAX_SPAN_DAYS = 366;

const IsoWeekday = z.number().int().min(1).max(7).meta({ description: "1 = Monday … 7 = Sunday" });

const Weekly = z.strictObject({
  freq: z.literal("weekly"),
  weekdays: z
    .array(IsoWeekday)
    .min(1)
    .max(7)
    .refine((days) => new Set(days).size === days.length, "Give each weekday once"),
  interval: z
    .number()
    .int()
    .min(1)
    .max(4)
    .optional()
    .meta({ description: "Every n weeks (default 1), counted from the week (Monday–Sunday) of the first date" }),
});

const MonthlyByDay = z.strictObject({
  freq: z.literal("monthly"),
  monthDay: z
    .number()
    .int()
    .min(1)
    .max(31)
    .meta({ description: "A day past the month's end falls on its last day (31 → 30 April, 28 or 29 February)" }),
});

const MonthlyByWeekday = z.strictObject({
  freq: z.literal("monthly"),
  nth: z.literal([1, 2, 3, 4, -1]).meta({ description: "The nth such weekday of the month; -1 is the last" }),
  weekday: IsoWeekday,
});

// Not z.discriminatedUnion: both monthly shapes carry freq "monthly", which it refuses. A union of
// strict objects still reports the one shape an input was meant as, with the field's own path.
/**
 * Weekly on some weekdays, monthly on a day of the month, or monthly on the nth (or last) weekday.
 *
 * @example
 * Recurrence.parse({ freq: "weekly", weekdays: [1, 4] }) // every Monday and Thursday
 * Recurrence.parse({ freq: "monthly", monthDay: 15 }) // 每月15日
 * Recurrence.parse({ freq: "monthly", nth: 2, weekday: 6 }) // 每月第二个周六
 */
export const Recurrence = z.union([Weekly, MonthlyByDay, MonthlyByWeekday]);
export type Recurrence = z.infer<typeof Recurrence>;

/** Days from one YYYY-MM-DD date to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((fromShanghai(to, "00:00") - fromShanghai(from, "00:00")) / DAY);
}

function addDays(date: string, days: number): string {
  return shanghaiDate(fromShanghai(date, "00:00") + days * DAY);
}

/**
 * A recurrence between two dates (both included), at one time of day, without listed holidays.
 *
 * @example
 * OccurrencePlan.parse({
 *   recurrence: { freq: "monthly", nth: -1, weekday: 7 },
 *   from: "2027-01-01", until: "2027-12-31", start: "09:00", end: "11:00",
 *   skipDates: ["2027-10-31"],
 * })
 */
export const OccurrencePlan = z
  .strictObject({
    recurrence: Recurrence,
    from: CalendarDate.meta({ description: "The first date (Asia/Shanghai)" }),
    until: CalendarDate.meta({ description: "The last date, included (Asia/Shanghai)" }),
    start: HHMM,
    end: HHMM,
    skipDates: z.array(CalendarDate).max(100).optional().meta({ description: "Holidays with no occurrence" }),
  })
  .refine((p) => p.until >= p.from, { message: "until must not be before from", path: ["until"] })
  .refine((p) => daysBetween(p.from, p.until) <= MAX_SPAN_DAYS, {
    message: `until is at most ${MAX_SPAN_DAYS} days after from`,
    path: ["until"],
  })
  .refine((p) => p.end > p.start, { message: "end must be after start", path: ["end"] });
export type OccurrencePlan = z.infer<typeof OccurrencePlan>;

export interface Occurrence {
  /** YYYY-MM-DD in Asia/Shanghai. */
  date: string;
  /** UTC epoch ms. */
  startsAt: number;
  /** UTC epoch ms. */
  endsAt: number;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function monthDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The day of a month a monthly recurrence falls on. */
function dayOfMonth(r: Exclude<Recurrence, { freq: "weekly" }>, year: number, month: number): number {
  const last = daysInMonth(year, month);
  if ("monthDay" in r) return Math.min(r.monthDay, last);
  if (r.nth === -1) return last - ((isoWeekday(monthDate(year, month, last)) - r.weekday + 7) % 7);
  const first = 1 + ((r.weekday - isoWeekday(monthDate(year, month, 1)) + 7) % 7);
  return first + 7 * (r.nth - 1);
}

/** The dates from `from` to `until` (both included) the recurrence falls on, in order. */
function* recurrenceDates(r: Recurrence, from: string, until: string): Generator<string> {
  if (r.freq === "weekly") {
    const interval = r.interval ?? 1;
    const weekStart = addDays(from, 1 - isoWeekday(from));
    for (let date = from; date <= until; date = addDays(date, 1)) {
      const week = Math.floor(daysBetween(weekStart, date) / 7);
      if (week % interval === 0 && r.weekdays.includes(isoWeekday(date))) yield date;
    }
    return;
  }
  const [fromYear = 0, fromMonth = 1] = from.split("-").map(Number);
  for (let months = fromMonth - 1; ; months++) {
    const year = fromYear + Math.floor(months / 12);
    const month = (months % 12) + 1;
    if (monthDate(year, month, 1) > until) return;
    const date = monthDate(year, month, dayOfMonth(r, year, month));
    if (date >= from && date <= until) yield date;
  }
}

/**
 * The occurrences of a plan, in date order, skip dates left out; each starts and ends at the plan's
 * Shanghai wall-clock times on its date.
 *
 * Throws a `RangeError` when there would be more than `MAX_OCCURRENCES`: a plan `OccurrencePlan`
 * accepted never does (at most 367 days); a plan that skipped the schema might.
 *
 * @example
 * expandOccurrences(OccurrencePlan.parse({
 *   recurrence: { freq: "weekly", weekdays: [6] },
 *   from: "2026-12-01", until: "2026-12-10", start: "19:00", end: "21:00",
 * }))
 * // [{ date: "2026-12-05", startsAt: Date.UTC(2026, 11, 5, 11), endsAt: Date.UTC(2026, 11, 5, 13) }]
 */
export function expandOccurrences(plan: OccurrencePlan): Occurrence[] {
  const skip = new Set(plan.skipDates);
  const occurrences: Occurrence[] = [];
  for (const date of recurrenceDates(plan.recurrence, plan.from, plan.until)) {
    if (skip.has(date)) continue;
    if (occurrences.length === MAX_OCCURRENCES) {
      throw new RangeError(`The plan has more than ${MAX_OCCURRENCES} occurrences`);
    }
    occurrences.push({ date, startsAt: fromShanghai(date, plan.start), endsAt: fromShanghai(date, plan.end) });
  }
  return occurrences;
}
