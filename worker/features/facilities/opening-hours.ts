import { z } from "zod";
import { SHANGHAI_OFFSET_MS } from "../../lib/shanghai";

/**
 * Weekly opening hours with dated exceptions, in Asia/Shanghai local time (UTC+8 all year: no
 * daylight saving). A range whose end is not after its start runs past midnight ("22:00"–"02:00").
 * "24:00" closes at midnight. Pure: the browser imports this too.
 */
const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "Use HH:MM (00:00–24:00)");
const Range = z.tuple([Time, Time]);
const IsoDate = z.iso.date();

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const OpeningHours = z.strictObject({
  /** Ranges per weekday; a missing or empty day is closed. */
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(Range).max(4)),
  /** Dated exceptions (holidays, events): `closed`, or other hours, from `from` to `to` inclusive. */
  exceptions: z
    .array(
      z.strictObject({
        from: IsoDate,
        to: IsoDate,
        closed: z.boolean().default(false),
        hours: z.array(Range).max(4).default([]),
        note: z.string().max(100).optional(),
      }),
    )
    .max(100)
    .default([]),
});
export type OpeningHours = z.infer<typeof OpeningHours>;

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

interface LocalDay {
  date: string;
  weekday: Weekday;
}

function localDay(shanghaiMs: number): LocalDay {
  const d = new Date(shanghaiMs);
  const weekday = WEEKDAYS[(d.getUTCDay() + 6) % 7] ?? "mon";
  return { date: d.toISOString().slice(0, 10), weekday };
}

/** The ranges that apply on a local date: an exception if one covers it, else the weekly pattern. */
function rangesOn(hours: OpeningHours, day: LocalDay): Array<[string, string]> {
  const exception = hours.exceptions.find((e) => e.from <= day.date && day.date <= e.to);
  if (exception) return exception.closed ? [] : exception.hours;
  return hours.weekly[day.weekday] ?? [];
}

/** Does the facility publish any hours at all? Without them "closed" would be a guess. */
export function hasHours(hours: OpeningHours): boolean {
  return WEEKDAYS.some((d) => (hours.weekly[d]?.length ?? 0) > 0) || hours.exceptions.length > 0;
}

/**
 * Is the place open at `at` (UTC epoch ms), reading the clock in Asia/Shanghai?
 *
 * @example
 * isOpenAt({ weekly: { mon: [["08:00", "17:00"]] }, exceptions: [] }, Date.parse("2026-11-30T02:00:00Z")) // true (10:00 Monday)
 */
export function isOpenAt(hours: OpeningHours, at: number): boolean {
  const local = at + SHANGHAI_OFFSET_MS;
  const minute = Math.floor((local % 86_400_000) / 60_000);
  for (const [start, end] of rangesOn(hours, localDay(local))) {
    const s = toMinutes(start);
    const e = toMinutes(end);
    if (e > s ? minute >= s && minute < e : minute >= s) return true;
  }
  // Yesterday's ranges that run past midnight.
  for (const [start, end] of rangesOn(hours, localDay(local - 86_400_000))) {
    const s = toMinutes(start);
    const e = toMinutes(end);
    if (e <= s && e !== 0 && minute < e) return true;
  }
  return false;
}

/** Open around the clock every day. */
export const ALWAYS_OPEN: OpeningHours = {
  weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [["00:00", "24:00"]]])),
  exceptions: [],
};

const DAY_RANGE = /^(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?$/;
const TIME_RANGE = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/;
const DATE_RANGE = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/;

/**
 * Parses the one-cell text form used in CSV files:
 * `mon-fri 08:00-12:00,14:00-17:30; sat 09:00-12:00; 2026-10-01..2026-10-07 closed`
 * (`daily` for every day, `24/7` for always open). Returns the hours or a reason.
 */
export function parseHoursText(text: string): { ok: true; hours: OpeningHours } | { ok: false; reason: string } {
  const trimmed = text.trim();
  if (trimmed === "24/7") return { ok: true, hours: ALWAYS_OPEN };
  const hours: OpeningHours = { weekly: {}, exceptions: [] };
  if (trimmed === "") return { ok: true, hours };
  for (const group of trimmed
    .split(";")
    .map((g) => g.trim())
    .filter(Boolean)) {
    const [head = "", rest = ""] = group.split(/\s+(.*)/s);
    const body = rest.trim();
    const ranges: Array<[string, string]> = [];
    if (body !== "closed") {
      for (const part of body.split(",").map((p) => p.trim())) {
        const m = TIME_RANGE.exec(part);
        if (!m?.[1] || !m[2] || !Time.safeParse(m[1]).success || !Time.safeParse(m[2]).success) {
          return { ok: false, reason: `"${part}" is not a time range like 08:00-17:30` };
        }
        ranges.push([m[1], m[2]]);
      }
    }
    const dates = DATE_RANGE.exec(head);
    if (dates?.[1]) {
      const from = dates[1];
      const to = dates[2] ?? from;
      if (!IsoDate.safeParse(from).success || !IsoDate.safeParse(to).success || to < from) {
        return { ok: false, reason: `"${head}" is not a date or date range like 2026-10-01..2026-10-07` };
      }
      hours.exceptions.push({ from, to, closed: body === "closed", hours: ranges });
      continue;
    }
    const days = head === "daily" ? ["mon", "sun"] : DAY_RANGE.exec(head)?.slice(1, 3);
    if (!days?.[0]) return { ok: false, reason: `"${head}" is not a day (mon…sun, mon-fri, daily) or a date` };
    const start = WEEKDAYS.indexOf(days[0] as Weekday);
    const end = WEEKDAYS.indexOf((days[1] ?? days[0]) as Weekday);
    if (end < start) return { ok: false, reason: `"${head}" runs backwards` };
    for (let i = start; i <= end; i++) {
      const day = WEEKDAYS[i] as Weekday;
      hours.weekly[day] = [...(hours.weekly[day] ?? []), ...ranges];
    }
  }
  return { ok: true, hours };
}

/** The text form of opening hours (inverse of `parseHoursText`), grouping equal consecutive days. */
export function formatHoursText(hours: OpeningHours): string {
  const key = (d: Weekday) => (hours.weekly[d] ?? []).map(([a, b]) => `${a}-${b}`).join(",");
  if (WEEKDAYS.every((d) => key(d) === "00:00-24:00") && hours.exceptions.length === 0) return "24/7";
  const groups: string[] = [];
  let i = 0;
  while (i < WEEKDAYS.length) {
    const day = WEEKDAYS[i] as Weekday;
    let j = i;
    while (j + 1 < WEEKDAYS.length && key(WEEKDAYS[j + 1] as Weekday) === key(day)) j++;
    if (key(day)) {
      const last = WEEKDAYS[j] as Weekday;
      const days = i === 0 && j === 6 ? "daily" : i === j ? day : `${day}-${last}`;
      groups.push(`${days} ${key(day)}`);
    }
    i = j + 1;
  }
  for (const e of hours.exceptions) {
    const when = e.from === e.to ? e.from : `${e.from}..${e.to}`;
    const closed = e.closed || e.hours.length === 0;
    groups.push(`${when} ${closed ? "closed" : e.hours.map(([a, b]) => `${a}-${b}`).join(",")}`);
  }
  return groups.join("; ");
}
