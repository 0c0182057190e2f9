import { describe, expect, it } from "vitest";
import {
  ALWAYS_OPEN,
  formatHoursText,
  isOpenAt,
  OpeningHours,
  parseHoursText,
  WEEKDAYS,
} from "../../worker/features/facilities/opening-hours";

/** UTC epoch ms of a wall-clock time in Asia/Shanghai, e.g. "2026-11-30T09:30". */
const shanghai = (local: string) => Date.parse(`${local}:00+08:00`);

const hours = (input: unknown) => OpeningHours.parse(input);

describe("isOpenAt", () => {
  it("reads the clock in Asia/Shanghai: 2026-11-30T01:30Z is 09:30 on Monday", () => {
    const at = Date.parse("2026-11-30T01:30:00Z");
    expect(at).toBe(shanghai("2026-11-30T09:30"));
    expect(isOpenAt(hours({ weekly: { mon: [["09:00", "10:00"]] } }), at)).toBe(true);
    expect(isOpenAt(hours({ weekly: { mon: [["09:31", "10:00"]] } }), at)).toBe(false);
    // In UTC it is 01:30: a reading in UTC would call this closed.
    expect(isOpenAt(hours({ weekly: { mon: [["01:00", "02:00"]] } }), at)).toBe(false);
  });

  it("takes the Shanghai date, not the UTC date, near midnight", () => {
    // 16:30 on Sunday in UTC is 00:30 on Monday in Shanghai.
    const at = Date.parse("2026-11-29T16:30:00Z");
    expect(isOpenAt(hours({ weekly: { mon: [["00:00", "01:00"]] } }), at)).toBe(true);
    expect(isOpenAt(hours({ weekly: { sun: [["00:00", "01:00"]] } }), at)).toBe(false);
  });

  it("maps each date to its weekday, Sunday included", () => {
    // 2026-11-30 is a Monday.
    WEEKDAYS.forEach((day, i) => {
      const date = new Date(Date.UTC(2026, 10, 30 + i)).toISOString().slice(0, 10);
      const at = shanghai(`${date}T10:00`);
      for (const other of WEEKDAYS) {
        expect(isOpenAt(hours({ weekly: { [other]: [["09:00", "11:00"]] } }), at), `${day} vs ${other}`).toBe(
          other === day,
        );
      }
    });
    const sunday = shanghai("2026-11-29T10:00");
    expect(isOpenAt(hours({ weekly: { sun: [["09:00", "11:00"]] } }), sunday)).toBe(true);
    expect(isOpenAt(hours({ weekly: { sat: [["09:00", "11:00"]], mon: [["09:00", "11:00"]] } }), sunday)).toBe(false);
  });

  it("keeps a range open past midnight: Friday 22:00–02:00 is open at 01:00 on Saturday, closed at 03:00", () => {
    const late = hours({ weekly: { fri: [["22:00", "02:00"]] } });
    expect(isOpenAt(late, shanghai("2026-12-04T21:59"))).toBe(false);
    expect(isOpenAt(late, shanghai("2026-12-04T22:00"))).toBe(true);
    expect(isOpenAt(late, shanghai("2026-12-04T23:59"))).toBe(true);
    expect(isOpenAt(late, shanghai("2026-12-05T00:00"))).toBe(true);
    expect(isOpenAt(late, shanghai("2026-12-05T01:00"))).toBe(true);
    expect(isOpenAt(late, shanghai("2026-12-05T02:00"))).toBe(false);
    expect(isOpenAt(late, shanghai("2026-12-05T03:00"))).toBe(false);
    // The Saturday night itself is closed: only Friday has the range.
    expect(isOpenAt(late, shanghai("2026-12-05T23:00"))).toBe(false);
    expect(isOpenAt(late, shanghai("2026-12-03T01:00"))).toBe(false);
  });

  it("carries Sunday night into Monday morning across the week's end", () => {
    const late = hours({ weekly: { sun: [["22:00", "02:00"]] } });
    expect(isOpenAt(late, shanghai("2026-11-30T01:00"))).toBe(true);
    expect(isOpenAt(late, shanghai("2026-11-30T03:00"))).toBe(false);
  });

  it('ends at midnight with "24:00" (and with "00:00" as an end)', () => {
    for (const end of ["24:00", "00:00"]) {
      const evening = hours({ weekly: { mon: [["18:00", end]] } });
      expect(isOpenAt(evening, shanghai("2026-11-30T17:59")), end).toBe(false);
      expect(isOpenAt(evening, shanghai("2026-11-30T23:59")), end).toBe(true);
      expect(isOpenAt(evening, shanghai("2026-12-01T00:00")), end).toBe(false);
      expect(isOpenAt(evening, shanghai("2026-12-01T00:30")), end).toBe(false);
    }
    expect(isOpenAt(hours({ weekly: { mon: [["00:00", "24:00"]] } }), shanghai("2026-11-30T00:00"))).toBe(true);
  });

  it("closes for a holiday range and reopens after it", () => {
    const office = hours({
      weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [["08:00", "17:00"]]])),
      exceptions: [{ from: "2026-10-01", to: "2026-10-07", closed: true, note: "国庆" }],
    });
    expect(isOpenAt(office, shanghai("2026-09-30T10:00"))).toBe(true);
    expect(isOpenAt(office, shanghai("2026-10-01T10:00"))).toBe(false);
    expect(isOpenAt(office, shanghai("2026-10-07T16:59"))).toBe(false);
    expect(isOpenAt(office, shanghai("2026-10-08T10:00"))).toBe(true);
  });

  it("uses special hours on an exception date instead of the weekly pattern", () => {
    const office = hours({
      weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [["08:00", "17:00"]]])),
      exceptions: [{ from: "2026-12-31", to: "2026-12-31", hours: [["10:00", "12:00"]] }],
    });
    expect(isOpenAt(office, shanghai("2026-12-31T09:00"))).toBe(false);
    expect(isOpenAt(office, shanghai("2026-12-31T11:00"))).toBe(true);
    expect(isOpenAt(office, shanghai("2026-12-31T15:00"))).toBe(false);
    expect(isOpenAt(office, shanghai("2027-01-01T15:00"))).toBe(true);
  });

  it("keeps an exception's late hours open past its midnight", () => {
    const party = hours({
      weekly: {},
      exceptions: [{ from: "2026-12-31", to: "2026-12-31", hours: [["20:00", "01:00"]] }],
    });
    expect(isOpenAt(party, shanghai("2027-01-01T00:30"))).toBe(true);
    expect(isOpenAt(party, shanghai("2027-01-01T01:30"))).toBe(false);
  });

  it("is always open around the clock and never open without hours", () => {
    const never = hours({ weekly: {} });
    for (const local of ["2026-11-29T00:00", "2026-11-30T12:34", "2026-12-05T23:59"]) {
      expect(isOpenAt(ALWAYS_OPEN, shanghai(local))).toBe(true);
      expect(isOpenAt(never, shanghai(local))).toBe(false);
    }
  });

  it("refuses impossible hours in the schema", () => {
    for (const bad of [
      { weekly: { mon: [["8:00", "12:00"]] } },
      { weekly: { mon: [["08:00", "24:01"]] } },
      { weekly: { monday: [["08:00", "12:00"]] } },
      { weekly: {}, exceptions: [{ from: "2026-02-30", to: "2026-03-01" }] },
      { weekly: {}, extra: true },
    ]) {
      expect(OpeningHours.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("parseHoursText / formatHoursText", () => {
  it("parses the documented example", () => {
    const parsed = parseHoursText("mon-fri 08:00-12:00,14:00-17:30; sat 09:00-12:00; 2026-10-01..2026-10-07 closed");
    const day: Array<[string, string]> = [
      ["08:00", "12:00"],
      ["14:00", "17:30"],
    ];
    expect(parsed).toEqual({
      ok: true,
      hours: {
        weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [["09:00", "12:00"]] },
        exceptions: [{ from: "2026-10-01", to: "2026-10-07", closed: true, hours: [] }],
      },
    });
  });

  it("reads daily, 24/7, an empty cell, one-day exceptions with hours, and repeated days", () => {
    const daily = parseHoursText("daily 06:00-22:00");
    expect(daily.ok && WEEKDAYS.every((d) => daily.hours.weekly[d]?.[0]?.join("-") === "06:00-22:00")).toBe(true);
    expect(parseHoursText("24/7")).toEqual({ ok: true, hours: ALWAYS_OPEN });
    expect(parseHoursText("  ")).toEqual({ ok: true, hours: { weekly: {}, exceptions: [] } });
    expect(parseHoursText("2026-12-31 10:00-12:00")).toEqual({
      ok: true,
      hours: {
        weekly: {},
        exceptions: [{ from: "2026-12-31", to: "2026-12-31", closed: false, hours: [["10:00", "12:00"]] }],
      },
    });
    expect(parseHoursText("mon 08:00-12:00; mon 14:00-24:00")).toEqual({
      ok: true,
      hours: {
        weekly: {
          mon: [
            ["08:00", "12:00"],
            ["14:00", "24:00"],
          ],
        },
        exceptions: [],
      },
    });
  });

  it.each([
    ["mon-fri 8:00-12:00", "8:00-12:00"],
    ["mon 08:00-25:00", "08:00-25:00"],
    ["mon 08:00", "08:00"],
    ["mon", '""'],
    ["mon 08:00-12:00 lunch", "08:00-12:00 lunch"],
    ["monday 08:00-12:00", "monday"],
    ["fri-mon 08:00-12:00", "runs backwards"],
    ["2026-10-07..2026-10-01 closed", "2026-10-07..2026-10-01"],
    ["2026-02-30 closed", "2026-02-30"],
    ["holiday closed", "holiday"],
  ])("rejects %j, naming %s", (text, named) => {
    const parsed = parseHoursText(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(named);
  });

  it.each([
    "mon-fri 08:00-12:00,14:00-17:30; sat 09:00-12:00; 2026-10-01..2026-10-07 closed",
    "daily 06:00-22:00",
    "24/7",
    "mon 08:00-17:00; wed 08:00-17:00; fri 22:00-02:00",
    "sat-sun 09:00-24:00; 2026-12-31 10:00-12:00",
    "daily 00:00-24:00; 2026-10-01 closed",
    "",
  ])("formats back what it parsed: %j", (text) => {
    const parsed = parseHoursText(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(formatHoursText(parsed.hours)).toBe(text);
    expect(parseHoursText(formatHoursText(parsed.hours))).toEqual(parsed);
  });

  it("groups equal consecutive days when formatting", () => {
    const day: Array<[string, string]> = [["08:00", "17:00"]];
    expect(formatHoursText(hours({ weekly: { mon: day, tue: day, wed: day, sat: day } }))).toBe(
      "mon-wed 08:00-17:00; sat 08:00-17:00",
    );
    expect(formatHoursText(ALWAYS_OPEN)).toBe("24/7");
  });

  it("round-trips an exception given only its dates (closed, as the schema defaults it)", () => {
    // {from, to} alone parses to closed: false, hours: [] — which isOpenAt reads as closed all day.
    const holiday = hours({
      weekly: { mon: [["08:00", "17:00"]] },
      exceptions: [{ from: "2026-10-01", to: "2026-10-03" }],
    });
    expect(isOpenAt(holiday, shanghai("2026-10-01T10:00"))).toBe(false);
    const text = formatHoursText(holiday);
    const again = parseHoursText(text);
    expect(again.ok, `"${text}" does not parse back`).toBe(true);
    if (again.ok) expect(isOpenAt(again.hours, shanghai("2026-10-01T10:00"))).toBe(false);
  });
});
