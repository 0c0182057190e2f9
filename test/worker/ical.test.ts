import ICAL from "ical.js";
import { afterEach, describe, expect, it } from "vitest";
import { escapeText, foldLine, type IcalEvent, icalCalendar } from "../../worker/lib/ical";

const STAMP = Date.UTC(2026, 10, 30, 4, 0, 0);

function event(overrides: Partial<IcalEvent> = {}): IcalEvent {
  return {
    uid: "bkg_test@linli",
    start: Date.UTC(2026, 11, 5, 1, 30),
    end: Date.UTC(2026, 11, 5, 3, 30),
    summary: "日间照料",
    ...overrides,
  };
}

/**
 * Parses with ical.js and registers the calendar's own VTIMEZONE, so a time with TZID converts by
 * what the feed itself says about Asia/Shanghai (unregistered, ical.js would take it as floating).
 */
function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
  return { calendar, events: calendar.getAllSubcomponents("vevent") };
}

function only(events: ICAL.Component[]): ICAL.Component {
  expect(events).toHaveLength(1);
  const [e] = events;
  if (!e) throw new Error("no event");
  return e;
}

function time(component: ICAL.Component, name: string): ICAL.Time {
  const value = component.getFirstPropertyValue(name);
  if (!(value instanceof ICAL.Time)) throw new Error(`${name} is not a date-time`);
  return value;
}

const bytes = (line: string) => new TextEncoder().encode(line).length;

afterEach(() => {
  ICAL.TimezoneService.remove("Asia/Shanghai");
});

describe("icalCalendar", () => {
  it("writes a calendar with UID and DTSTAMP in every event, and the calendar's own properties", () => {
    const text = icalCalendar({
      name: "邻里 · 我的预约",
      stamp: STAMP,
      refreshHours: 1,
      events: [event({ uid: "bkg_a@linli" }), event({ uid: "bkg_b@linli" })],
    });
    const { calendar, events } = parse(text);
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    expect(calendar.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(calendar.getFirstPropertyValue("calscale")).toBe("GREGORIAN");
    expect(calendar.getFirstPropertyValue("prodid")).toBeTruthy();
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("邻里 · 我的预约");
    expect(calendar.getFirstPropertyValue("name")).toBe("邻里 · 我的预约");
    expect(calendar.getFirstPropertyValue("x-wr-timezone")).toBe("Asia/Shanghai");
    expect(String(calendar.getFirstPropertyValue("refresh-interval"))).toBe("PT1H");
    expect(String(calendar.getFirstPropertyValue("x-published-ttl"))).toBe("PT1H");
    expect(events.map((e) => e.getFirstPropertyValue("uid"))).toEqual(["bkg_a@linli", "bkg_b@linli"]);
    for (const e of events) {
      expect(e.getFirstProperty("dtstamp")?.toICALString()).toBe("DTSTAMP:20261130T040000Z");
      expect(time(e, "dtstamp").toUnixTime() * 1000).toBe(STAMP);
    }
  });

  it("writes start and end in Shanghai wall-clock time with TZID, at the right instant", () => {
    const text = icalCalendar({ name: "t", stamp: STAMP, events: [event()] });
    expect(text).toContain("\r\nDTSTART;TZID=Asia/Shanghai:20261205T093000\r\n");
    expect(text).toContain("\r\nDTEND;TZID=Asia/Shanghai:20261205T113000\r\n");
    const e = only(parse(text).events);
    expect(e.getFirstProperty("dtstart")?.getParameter("tzid")).toBe("Asia/Shanghai");
    expect(time(e, "dtstart").toUnixTime() * 1000).toBe(Date.UTC(2026, 11, 5, 1, 30));
    expect(time(e, "dtend").toUnixTime() * 1000).toBe(Date.UTC(2026, 11, 5, 3, 30));
  });

  it("puts an event on its Shanghai date across the UTC date line and the new year", () => {
    // 23:30 on New Year's Eve in Shanghai (15:30 UTC); 07:30 on New Year's Day in Shanghai, still 31 December in UTC.
    const eve = Date.UTC(2026, 11, 31, 15, 30);
    const morning = Date.UTC(2026, 11, 31, 23, 30);
    const text = icalCalendar({
      name: "t",
      stamp: STAMP,
      events: [
        event({ uid: "eve@linli", start: eve, end: eve + 3_600_000 }),
        event({ uid: "morning@linli", start: morning, end: morning + 3_600_000 }),
      ],
    });
    const [first, second] = parse(text).events.map((e) => time(e, "dtstart"));
    expect([first?.year, first?.month, first?.day, first?.hour, first?.minute]).toEqual([2026, 12, 31, 23, 30]);
    expect(first?.toUnixTime()).toBe(eve / 1000);
    expect([second?.year, second?.month, second?.day, second?.hour, second?.minute]).toEqual([2027, 1, 1, 7, 30]);
    expect(second?.toUnixTime()).toBe(morning / 1000);
    // The end of the first is past midnight: the next day, the next year.
    expect(text).toContain("DTEND;TZID=Asia/Shanghai:20270101T003000");
  });

  it("escapes text so that ; , \\ line breaks and Chinese come back exactly", () => {
    const tricky = "社区食堂; 午餐, 晚餐\\备注\n第二行：带“引号”\n\n末行 😀";
    const text = icalCalendar({
      name: "名字, 带; 分号",
      description: "日历\n说明",
      stamp: STAMP,
      events: [
        event({
          uid: "bkg_x,y;z@linli",
          summary: tricky,
          description: tricky,
          location: "北京市朝阳区; 3号楼, 2层",
          categories: ["助餐", "a,b;c", "back\\slash"],
        }),
      ],
    });
    expect(text).toContain("SUMMARY:社区食堂\\; 午餐\\, 晚餐\\\\备注\\n第二行");
    const { calendar, events } = parse(text);
    const e = only(events);
    // ical.js leaves NAME and X- properties raw; calendar apps read them as TEXT, escaped like the rest.
    expect(text).toContain("\r\nNAME:名字\\, 带\\; 分号\r\nX-WR-CALNAME:名字\\, 带\\; 分号\r\n");
    expect(calendar.getFirstPropertyValue("description")).toBe("日历\n说明");
    expect(e.getFirstPropertyValue("uid")).toBe("bkg_x,y;z@linli");
    expect(e.getFirstPropertyValue("summary")).toBe(tricky);
    expect(e.getFirstPropertyValue("description")).toBe(tricky);
    expect(e.getFirstPropertyValue("location")).toBe("北京市朝阳区; 3号楼, 2层");
    expect(e.getFirstProperty("categories")?.getValues()).toEqual(["助餐", "a,b;c", "back\\slash"]);
  });

  it("writes a Windows line break as one \\n and drops control characters TEXT does not allow", () => {
    expect(escapeText("一\r\n二\r三\n四")).toBe("一\\n二\\n三\\n四");
    expect(escapeText("a\u0000b\u000bc\td")).toBe("abc\td");
    const text = icalCalendar({ name: "t", stamp: STAMP, events: [event({ description: "一\r\n二" })] });
    expect(only(parse(text).events).getFirstPropertyValue("description")).toBe("一\n二");
  });

  it("folds long lines at 75 octets without cutting a character, and they unfold to the same text", () => {
    const long = `${"邻里互助，老有所养。".repeat(20)}签到码 A1B2C3 😀😀😀 ${"服务".repeat(30)}`;
    const text = icalCalendar({ name: "t", stamp: STAMP, events: [event({ description: long, summary: long })] });
    const lines = text.split("\r\n");
    expect(lines.at(-1)).toBe("");
    const continuations = lines.filter((l) => l.startsWith(" "));
    expect(continuations.length).toBeGreaterThan(20);
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (const line of lines) {
      expect(bytes(line)).toBeLessThanOrEqual(75);
      expect(line).not.toMatch(loneSurrogate);
    }
    // Folded as full as a whole character allows: a line is short only where the next character would not fit.
    const folded = text.split(/\r\n(?! )/).filter((l) => l.includes("\r\n "));
    for (const property of folded) {
      const physical = property.split("\r\n");
      for (const [i, line] of physical.slice(0, -1).entries()) {
        const next = [...(physical[i + 1] ?? "").slice(1)][0] ?? "";
        expect(bytes(line) + bytes(next)).toBeGreaterThan(75);
      }
    }
    const e = only(parse(text).events);
    expect(e.getFirstPropertyValue("description")).toBe(long);
    expect(e.getFirstPropertyValue("summary")).toBe(long);
  });

  it("folds at exactly 75 octets and never splits a surrogate pair", () => {
    const exact = `DESCRIPTION:${"邻".repeat(21)}`; // 12 + 63 = 75
    expect(bytes(exact)).toBe(75);
    expect(foldLine(exact)).toBe(exact);
    expect(foldLine(`${exact}a`)).toBe(`${exact}\r\n a`);
    // 74 octets, then a 4-octet emoji: it moves whole to the next line.
    const before = `X:${"a".repeat(72)}`;
    expect(foldLine(`${before}😀`)).toBe(`${before}\r\n 😀`);
    // A continuation line's leading space counts toward its 75.
    const line = `X:${"b".repeat(73 + 74 + 10)}`;
    expect(foldLine(line).split("\r\n").map(bytes)).toEqual([75, 75, 11]);
    expect(foldLine(line).replace(/\r\n /g, "")).toBe(line);
  });

  it("ends every line with CRLF and has no bare CR or LF", () => {
    const text = icalCalendar({ name: "t", stamp: STAMP, events: [event({ description: "a\nb\r\nc\rd" })] });
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("keeps a cancelled event's status and sequence, and its last change", () => {
    const changed = Date.UTC(2026, 10, 29, 8, 15, 30);
    const text = icalCalendar({
      name: "t",
      stamp: STAMP,
      events: [event({ status: "CANCELLED", sequence: 3, lastModified: changed, url: "https://linli.example/b/1" })],
    });
    const e = only(parse(text).events);
    expect(e.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(e.getFirstPropertyValue("sequence")).toBe(3);
    expect(time(e, "last-modified").toUnixTime() * 1000).toBe(changed);
    expect(e.getFirstPropertyValue("url")).toBe("https://linli.example/b/1");
    expect(new ICAL.Event(e).sequence).toBe(3);
  });

  it("writes no optional property that was not given", () => {
    const text = icalCalendar({ name: "t", stamp: STAMP, events: [event()] });
    for (const name of ["DESCRIPTION", "LOCATION", "URL", "STATUS", "SEQUENCE", "LAST-MODIFIED", "CATEGORIES"]) {
      expect(text).not.toMatch(new RegExp(`^${name}[:;]`, "m"));
    }
    expect(text).not.toContain("REFRESH-INTERVAL");
    expect(text).not.toContain("X-PUBLISHED-TTL");
  });

  it("is a valid calendar with the Shanghai VTIMEZONE when there are no events", () => {
    const text = icalCalendar({ name: "空", stamp: STAMP, events: [] });
    expect(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    const { calendar, events } = parse(text);
    expect(calendar.name).toBe("vcalendar");
    expect(events).toHaveLength(0);
    const zones = calendar.getAllSubcomponents("vtimezone");
    expect(zones).toHaveLength(1);
    expect(zones[0]?.getFirstPropertyValue("tzid")).toBe("Asia/Shanghai");
    const standard = zones[0]?.getFirstSubcomponent("standard");
    expect(standard?.getFirstPropertyValue("tzname")).toBe("CST");
    expect(String(standard?.getFirstPropertyValue("tzoffsetto"))).toBe("+08:00");
    expect(String(standard?.getFirstPropertyValue("tzoffsetfrom"))).toBe("+08:00");
    expect(zones[0]?.getFirstSubcomponent("daylight")).toBeNull();
  });
});
