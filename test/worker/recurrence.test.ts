import { describe, expect, it } from "vitest";
import {
  expandOccurrences,
  MAX_OCCURRENCES,
  OccurrencePlan,
  Recurrence,
} from "../../worker/features/events/recurrence.schema";
import { DAY } from "../../worker/lib/time";

/** A plan through the schema, as the routes and the site's form get it. */
const plan = (input: Record<string, unknown>) => OccurrencePlan.parse({ start: "19:00", end: "21:00", ...input });

const datesOf = (input: Record<string, unknown>) => expandOccurrences(plan(input)).map((o) => o.date);

describe("expandOccurrences: weekly", () => {
  it("gives every Monday and Thursday of December 2026, in date order", () => {
    expect(
      datesOf({ recurrence: { freq: "weekly", weekdays: [4, 1] }, from: "2026-12-01", until: "2026-12-31" }),
    ).toEqual([
      "2026-12-03",
      "2026-12-07",
      "2026-12-10",
      "2026-12-14",
      "2026-12-17",
      "2026-12-21",
      "2026-12-24",
      "2026-12-28",
      "2026-12-31",
    ]);
  });

  it("counts every other week from the Monday-start week of from, never before from", () => {
    // 2026-12-02 is a Wednesday: its week starts Monday 2026-11-30, so Tuesday 2026-12-01 is in
    // week 0 but before from, and Tuesday 2026-12-08 is in week 1 (skipped).
    const recurrence = { freq: "weekly", weekdays: [2, 6], interval: 2 };
    expect(datesOf({ recurrence, from: "2026-12-02", until: "2027-01-31" })).toEqual([
      "2026-12-05",
      "2026-12-15",
      "2026-12-19",
      "2026-12-29",
      "2027-01-02",
      "2027-01-12",
      "2027-01-16",
      "2027-01-26",
      "2027-01-30",
    ]);
  });

  it("takes interval 1 when none is given", () => {
    const weekly = { freq: "weekly", weekdays: [6] };
    const once = datesOf({ recurrence: weekly, from: "2026-12-01", until: "2026-12-31" });
    expect(once).toEqual(["2026-12-05", "2026-12-12", "2026-12-19", "2026-12-26"]);
    expect(datesOf({ recurrence: { ...weekly, interval: 1 }, from: "2026-12-01", until: "2026-12-31" })).toEqual(once);
  });
});

describe("expandOccurrences: monthly on a day", () => {
  it("gives the 15th of each month between from and until, both ends respected", () => {
    expect(datesOf({ recurrence: { freq: "monthly", monthDay: 15 }, from: "2026-12-20", until: "2027-04-10" })).toEqual(
      ["2027-01-15", "2027-02-15", "2027-03-15"],
    );
    expect(datesOf({ recurrence: { freq: "monthly", monthDay: 15 }, from: "2026-12-15", until: "2027-01-15" })).toEqual(
      ["2026-12-15", "2027-01-15"],
    );
  });

  it("puts day 31 on the last day of shorter months, every month of 2027", () => {
    expect(datesOf({ recurrence: { freq: "monthly", monthDay: 31 }, from: "2027-01-01", until: "2027-12-31" })).toEqual(
      [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
        "2027-06-30",
        "2027-07-31",
        "2027-08-31",
        "2027-09-30",
        "2027-10-31",
        "2027-11-30",
        "2027-12-31",
      ],
    );
  });

  it("puts day 29 on 29 February in a leap year and on 28 February otherwise", () => {
    const recurrence = { freq: "monthly", monthDay: 29 };
    expect(datesOf({ recurrence, from: "2028-02-01", until: "2028-03-31" })).toEqual(["2028-02-29", "2028-03-29"]);
    expect(datesOf({ recurrence, from: "2027-02-01", until: "2027-03-31" })).toEqual(["2027-02-28", "2027-03-29"]);
  });

  it("leaves out a clamped last day that falls after until", () => {
    expect(datesOf({ recurrence: { freq: "monthly", monthDay: 31 }, from: "2027-01-01", until: "2027-02-27" })).toEqual(
      ["2027-01-31"],
    );
  });
});

describe("expandOccurrences: monthly on the nth weekday", () => {
  it("gives the second Saturday of each month of 2027", () => {
    expect(
      datesOf({ recurrence: { freq: "monthly", nth: 2, weekday: 6 }, from: "2027-01-01", until: "2027-12-31" }),
    ).toEqual([
      "2027-01-09",
      "2027-02-13",
      "2027-03-13",
      "2027-04-10",
      "2027-05-08",
      "2027-06-12",
      "2027-07-10",
      "2027-08-14",
      "2027-09-11",
      "2027-10-09",
      "2027-11-13",
      "2027-12-11",
    ]);
  });

  it("gives the last Sunday, the fifth one in a month with five (January, May, August, October 2027)", () => {
    expect(
      datesOf({ recurrence: { freq: "monthly", nth: -1, weekday: 7 }, from: "2027-01-01", until: "2027-12-31" }),
    ).toEqual([
      "2027-01-31",
      "2027-02-28",
      "2027-03-28",
      "2027-04-25",
      "2027-05-30",
      "2027-06-27",
      "2027-07-25",
      "2027-08-29",
      "2027-09-26",
      "2027-10-31",
      "2027-11-28",
      "2027-12-26",
    ]);
    // The fourth Sunday is not the last one in January 2027.
    expect(
      datesOf({ recurrence: { freq: "monthly", nth: 4, weekday: 7 }, from: "2027-01-01", until: "2027-01-31" }),
    ).toEqual(["2027-01-24"]);
  });
});

describe("expandOccurrences: skip dates", () => {
  it("leaves out a holiday (New Year's Day 2027) and nothing else", () => {
    const input = { recurrence: { freq: "weekly", weekdays: [5] }, from: "2026-12-25", until: "2027-01-08" };
    expect(datesOf(input)).toEqual(["2026-12-25", "2027-01-01", "2027-01-08"]);
    expect(datesOf({ ...input, skipDates: ["2027-01-01"] })).toEqual(["2026-12-25", "2027-01-08"]);
  });
});

describe("expandOccurrences: Shanghai wall clock", () => {
  it("starts and ends at the Shanghai times: 19:00 on 2026-12-05 is 11:00 UTC", () => {
    const input = { recurrence: { freq: "weekly", weekdays: [6] }, from: "2026-12-05", until: "2026-12-05" };
    expect(expandOccurrences(plan(input))).toEqual([
      { date: "2026-12-05", startsAt: Date.UTC(2026, 11, 5, 11, 0), endsAt: Date.UTC(2026, 11, 5, 13, 0) },
    ]);
  });

  it("files a 07:00 event under its Shanghai date although it is the evening before in UTC", () => {
    const occurrences = expandOccurrences(
      plan({
        recurrence: { freq: "weekly", weekdays: [6] },
        from: "2026-12-01",
        until: "2026-12-07",
        start: "07:00",
        end: "08:30",
      }),
    );
    expect(occurrences).toEqual([
      { date: "2026-12-05", startsAt: Date.UTC(2026, 11, 4, 23, 0), endsAt: Date.UTC(2026, 11, 5, 0, 30) },
    ]);
    expect(new Date(occurrences[0]?.startsAt ?? 0).toISOString().slice(0, 10)).toBe("2026-12-04");
  });

  it("keeps the same UTC hour all year: no daylight-saving shift in March or November", () => {
    const occurrences = expandOccurrences(
      plan({
        recurrence: { freq: "weekly", weekdays: [7] },
        from: "2027-01-01",
        until: "2027-12-31",
        start: "09:30",
        end: "11:00",
      }),
    );
    expect(occurrences).toHaveLength(52);
    // Europe and the US change their clocks on 2027-03-14, 2027-03-28, 2027-10-31 and 2027-11-07.
    expect(occurrences.map((o) => o.date)).toEqual(expect.arrayContaining(["2027-03-14", "2027-03-28", "2027-11-07"]));
    for (const o of occurrences) {
      expect([new Date(o.startsAt).getUTCHours(), new Date(o.startsAt).getUTCMinutes()], o.date).toEqual([1, 30]);
      expect(o.endsAt - o.startsAt, o.date).toBe(90 * 60_000);
    }
    for (let i = 1; i < occurrences.length; i++) {
      expect((occurrences[i]?.startsAt ?? 0) - (occurrences[i - 1]?.startsAt ?? 0)).toBe(7 * DAY);
    }
  });
});

describe("OccurrencePlan and Recurrence reject bad input", () => {
  const valid = {
    recurrence: { freq: "weekly", weekdays: [1] },
    from: "2027-01-01",
    until: "2027-01-31",
    start: "19:00",
    end: "21:00",
  };
  const rejects = (input: Record<string, unknown>) => !OccurrencePlan.safeParse({ ...valid, ...input }).success;

  it("accepts the baseline plan each case below changes one thing of", () => {
    expect(OccurrencePlan.safeParse(valid).success).toBe(true);
  });

  it("rejects until before from, and accepts a one-day plan", () => {
    expect(rejects({ until: "2026-12-31" })).toBe(true);
    expect(rejects({ until: "2027-01-01" })).toBe(false);
  });

  it("rejects until more than 366 days after from", () => {
    expect(rejects({ until: "2028-01-02" })).toBe(false);
    expect(rejects({ until: "2028-01-03" })).toBe(true);
  });

  it("rejects an end not after the start", () => {
    expect(rejects({ end: "19:00" })).toBe(true);
    expect(rejects({ end: "18:59" })).toBe(true);
    expect(rejects({ end: "19:01" })).toBe(false);
  });

  it("rejects times outside 00:00–23:59", () => {
    expect(rejects({ end: "24:00" })).toBe(true);
    expect(rejects({ start: "7:00" })).toBe(true);
    expect(rejects({ start: "00:00", end: "23:59" })).toBe(false);
  });

  it("rejects dates the calendar lacks: 2026-02-30, 2027-02-29", () => {
    expect(rejects({ from: "2026-02-30", until: "2026-03-31" })).toBe(true);
    expect(rejects({ until: "2027-02-29" })).toBe(true);
    expect(rejects({ skipDates: ["2026-02-30"] })).toBe(true);
    expect(rejects({ until: "2027-02-28" })).toBe(false);
  });

  it("rejects more than 100 skip dates", () => {
    const days = (n: number) =>
      Array.from({ length: n }, (_, i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10));
    expect(rejects({ skipDates: days(100) })).toBe(false);
    expect(rejects({ skipDates: days(101) })).toBe(true);
  });

  it("rejects fields the plan does not have", () => {
    expect(rejects({ timezone: "UTC" })).toBe(true);
  });

  const recurrenceRejects = (recurrence: unknown) => !Recurrence.safeParse(recurrence).success;

  it("rejects weekday 8 (and 0), weekly or monthly", () => {
    expect(recurrenceRejects({ freq: "weekly", weekdays: [1, 7] })).toBe(false);
    expect(recurrenceRejects({ freq: "weekly", weekdays: [8] })).toBe(true);
    expect(recurrenceRejects({ freq: "weekly", weekdays: [0] })).toBe(true);
    expect(recurrenceRejects({ freq: "monthly", nth: 1, weekday: 8 })).toBe(true);
    expect(Recurrence.safeParse({ freq: "weekly", weekdays: [8] }).error?.issues[0]?.path).toEqual(["weekdays", 0]);
  });

  it("rejects empty and repeated weekdays", () => {
    expect(recurrenceRejects({ freq: "weekly", weekdays: [] })).toBe(true);
    expect(recurrenceRejects({ freq: "weekly", weekdays: [1, 1] })).toBe(true);
    expect(recurrenceRejects({ freq: "weekly", weekdays: [1, 2, 3, 4, 5, 6, 7] })).toBe(false);
  });

  it("rejects an interval outside 1–4", () => {
    expect(recurrenceRejects({ freq: "weekly", weekdays: [1], interval: 4 })).toBe(false);
    expect(recurrenceRejects({ freq: "weekly", weekdays: [1], interval: 5 })).toBe(true);
    expect(recurrenceRejects({ freq: "weekly", weekdays: [1], interval: 0 })).toBe(true);
  });

  it("rejects nth 5 and 0, and accepts -1", () => {
    expect(recurrenceRejects({ freq: "monthly", nth: -1, weekday: 6 })).toBe(false);
    expect(recurrenceRejects({ freq: "monthly", nth: 5, weekday: 6 })).toBe(true);
    expect(recurrenceRejects({ freq: "monthly", nth: 0, weekday: 6 })).toBe(true);
  });

  it("rejects a month day outside 1–31 and a monthly rule that mixes both forms", () => {
    expect(recurrenceRejects({ freq: "monthly", monthDay: 31 })).toBe(false);
    expect(recurrenceRejects({ freq: "monthly", monthDay: 32 })).toBe(true);
    expect(recurrenceRejects({ freq: "monthly", monthDay: 0 })).toBe(true);
    expect(recurrenceRejects({ freq: "monthly", monthDay: 15, nth: 2, weekday: 6 })).toBe(true);
    expect(recurrenceRejects({ freq: "daily" })).toBe(true);
  });

  it("rejects the same bad recurrence inside a plan", () => {
    expect(rejects({ recurrence: { freq: "weekly", weekdays: [] } })).toBe(true);
    expect(rejects({ recurrence: { freq: "monthly", nth: 5, weekday: 6 } })).toBe(true);
  });
});

describe(`expandOccurrences: at most ${MAX_OCCURRENCES} occurrences`, () => {
  const daily = (): Recurrence => ({ freq: "weekly", weekdays: [1, 2, 3, 4, 5, 6, 7] });

  it("expands the longest plan the schema accepts (367 days, every day) without reaching the cap", () => {
    expect(expandOccurrences(plan({ recurrence: daily(), from: "2027-01-01", until: "2028-01-02" }))).toHaveLength(367);
  });

  // Plans built without the schema: the cap is what stands between them and an unbounded list.
  const unchecked = (until: string, skipDates?: string[]): OccurrencePlan => ({
    recurrence: daily(),
    from: "2027-01-01",
    until,
    start: "19:00",
    end: "21:00",
    skipDates,
  });

  it("returns exactly 400 and throws a RangeError at 401", () => {
    // 2027-01-01 + 399 days = 2028-02-04 (2028 is a leap year).
    expect(expandOccurrences(unchecked("2028-02-04"))).toHaveLength(MAX_OCCURRENCES);
    expect(() => expandOccurrences(unchecked("2028-02-05"))).toThrow(RangeError);
    expect(() => expandOccurrences(unchecked("2029-12-31"))).toThrow(RangeError);
  });

  it("counts occurrences after the skip dates are removed", () => {
    expect(expandOccurrences(unchecked("2028-02-05", ["2027-06-01"]))).toHaveLength(MAX_OCCURRENCES);
  });
});
