import { env } from "cloudflare:workers";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { fromShanghai, shanghaiDate } from "../../worker/lib/shanghai";
import { DAY } from "../../worker/lib/time";
import { call, createCommunity, createCommunityStaff, createOrgStaff, json, type TestAccount } from "../factories";

const inDays = (days: number) => shanghaiDate(Date.now() + days * DAY);

type EventBody = { id: string; occurrences: Array<{ id: string; startsAt: number }> };

async function publish(staff: TestAccount, body: Record<string, unknown>): Promise<EventBody> {
  const created = await call("/api/events", { cookie: staff.cookie, body });
  if (created.status !== 201) throw new Error(`not created: ${await created.text()}`);
  const { id } = await json<{ id: string }>(created);
  const res = await call(`/api/events/${id}/submit`, { cookie: staff.cookie, method: "POST" });
  if (res.status !== 200) throw new Error(`not published: ${await res.text()}`);
  return json<EventBody>(res);
}

/** A community committee with a published weekly science club and a one-off draft. */
async function feedWorld() {
  const communityId = await createCommunity("订阅社区");
  const committee = await createOrgStaff("community_committee", communityId);
  const title = `科普小课堂 ${communityId}`;
  const event = await publish(committee.staff, {
    organisationId: committee.organisationId,
    title,
    description: "带孩子做实验；请自带：水杯, 纸巾\n地点可能调整",
    category: "science",
    audience: "children",
    placeText: "社区科普站; 二楼",
    contact: "赵老师 13900001111",
    capacity: 20,
    schedule: {
      recurrence: { freq: "weekly", weekdays: [6] },
      from: inDays(1),
      until: inDays(21),
      start: "09:30",
      end: "11:00",
    },
  });
  const draft = await call("/api/events", {
    cookie: committee.staff.cookie,
    body: {
      organisationId: committee.organisationId,
      title: `未发布的活动 ${communityId}`,
      category: "culture",
      placeText: "活动室",
      contact: "赵老师",
      capacity: 5,
      schedule: { date: inDays(3), start: "10:00", end: "11:00" },
    },
  });
  expect(draft.status).toBe(201);
  return { communityId, committee, title, event };
}

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
  return { calendar, events: calendar.getAllSubcomponents("vevent") };
}

describe("iCalendar feeds", () => {
  it("publishes a community's events as valid iCalendar with Asia/Shanghai times, no sign-in needed", async () => {
    const { communityId, title, event } = await feedWorld();
    const res = await call(`/api/event-feeds/calendar.ics?community=${communityId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const text = await res.text();
    expect(text.split("\r\n").every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
    const { calendar, events } = parse(text);
    expect(calendar.getFirstSubcomponent("vtimezone")?.getFirstPropertyValue("tzid")).toBe("Asia/Shanghai");
    const ours = events.filter((e) => e.getFirstPropertyValue("summary") === title);
    expect(ours).toHaveLength(event.occurrences.length);
    expect(events.some((e) => String(e.getFirstPropertyValue("summary")).startsWith("未发布"))).toBe(false);
    const first = ours.find((e) => e.getFirstPropertyValue("uid") === `${event.occurrences[0]?.id}@linli-events`);
    if (!first) throw new Error("first occurrence missing");
    const start = first.getFirstProperty("dtstart");
    expect(start?.getParameter("tzid")).toBe("Asia/Shanghai");
    const startTime = first.getFirstPropertyValue("dtstart") as ICAL.Time;
    expect(startTime.toUnixTime() * 1000).toBe(event.occurrences[0]?.startsAt);
    expect(startTime.toUnixTime() * 1000).toBe(
      fromShanghai(shanghaiDate(event.occurrences[0]?.startsAt ?? 0), "09:30"),
    );
    expect(first.getFirstPropertyValue("dtstamp")).toBeTruthy();
    expect(first.getFirstPropertyValue("location")).toBe("社区科普站; 二楼");
    expect(String(first.getFirstPropertyValue("description"))).toContain("请自带：水杯, 纸巾\n地点可能调整");
    expect(first.getFirstPropertyValue("url")).toBe(`http://localhost/events/${event.id}`);
    expect(first.getFirstPropertyValue("status")).toBe("CONFIRMED");
  });

  it("narrows by category and answers 404 for an unknown community, 400 for an unknown category", async () => {
    const { title } = await feedWorld();
    const science = await (await call("/api/event-feeds/calendar.ics?category=science")).text();
    expect(parse(science).events.some((e) => e.getFirstPropertyValue("summary") === title)).toBe(true);
    const sports = await (await call("/api/event-feeds/calendar.ics?category=sports")).text();
    expect(parse(sports).events.some((e) => e.getFirstPropertyValue("summary") === title)).toBe(false);
    expect((await call("/api/event-feeds/calendar.ics?community=com_none")).status).toBe(404);
    expect((await call("/api/event-feeds/calendar.ics?category=party")).status).toBe(400);
  });

  it("marks a cancelled occurrence CANCELLED in the feed and in the event's own file", async () => {
    const { committee, event, communityId } = await feedWorld();
    const second = event.occurrences[1];
    if (!second) throw new Error("second occurrence");
    const cancel = await call(`/api/events/${event.id}/occurrences/${second.id}/cancel`, {
      cookie: committee.staff.cookie,
      body: { scope: "one" },
    });
    expect(cancel.status).toBe(200);
    const feed = parse(await (await call(`/api/event-feeds/calendar.ics?community=${communityId}`)).text());
    const entry = feed.events.find((e) => e.getFirstPropertyValue("uid") === `${second.id}@linli-events`);
    expect(entry?.getFirstPropertyValue("status")).toBe("CANCELLED");
    const own = await call(`/api/events/${event.id}/calendar.ics`);
    expect(own.headers.get("content-disposition")).toContain(".ics");
    const single = parse(await own.text());
    expect(single.events).toHaveLength(event.occurrences.length);
    expect(
      single.events
        .find((e) => e.getFirstPropertyValue("uid") === `${second.id}@linli-events`)
        ?.getFirstPropertyValue("status"),
    ).toBe("CANCELLED");
  });

  it("has no file for an event not yet published", async () => {
    const communityId = await createCommunity("草稿社区");
    const social = await createOrgStaff("social_organisation");
    const created = await call("/api/events", {
      cookie: social.staff.cookie,
      body: {
        organisationId: social.organisationId,
        communityId,
        title: "待审核",
        category: "other",
        placeText: "广场",
        contact: "钱",
        capacity: 5,
        schedule: { date: inDays(4), start: "10:00", end: "11:00" },
      },
    });
    const { id } = await json<{ id: string }>(created);
    await call(`/api/events/${id}/submit`, { cookie: social.staff.cookie, method: "POST" });
    expect((await call(`/api/events/${id}/calendar.ics`)).status).toBe(404);
    const reviewer = await createCommunityStaff(communityId);
    expect((await call(`/api/events/${id}/calendar.ics`, { cookie: reviewer.cookie })).status).toBe(404);
  });
});

describe("Atom feed", () => {
  it("lists newly published events, newest first, escaped, without drafts", async () => {
    const { communityId, committee, title, event } = await feedWorld();
    const later = await publish(committee.staff, {
      organisationId: committee.organisationId,
      title: `<亲子> 手工 & 绘本 ${communityId}`,
      category: "parent_child",
      placeText: "图书角",
      contact: "孙老师",
      capacity: 10,
      schedule: { date: inDays(6), start: "15:00", end: "16:00" },
    });
    const res = await call(`/api/event-feeds/new.atom?community=${communityId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const text = await res.text();
    expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"')).toBe(
      true,
    );
    const ids = [...text.matchAll(/<id>http:\/\/localhost\/events\/([^<]+)<\/id>/g)].map((m) => m[1]);
    expect(ids).toEqual([later.id, event.id]);
    expect(text).toContain(`<title>&lt;亲子&gt; 手工 &amp; 绘本 ${communityId}</title>`);
    expect(text).toContain(`<title>${title}</title>`);
    expect(text).not.toContain("未发布的活动");
    expect((text.match(/<entry>/g) ?? []).length).toBe((text.match(/<\/entry>/g) ?? []).length);
  });
});

describe("Atom feed text", () => {
  it("leaves out characters XML does not allow", async () => {
    const communityId = await createCommunity("字符社区");
    const committee = await createOrgStaff("community_committee", communityId);
    await publish(committee.staff, {
      organisationId: committee.organisationId,
      title: "控制字符\u0001测试",
      description: "第一行\u0008第二行",
      category: "other",
      placeText: "活动室",
      contact: "周",
      capacity: 5,
      schedule: { date: inDays(2), start: "10:00", end: "11:00" },
    });
    const text = await (await call(`/api/event-feeds/new.atom?community=${communityId}`)).text();
    expect(text).toContain("<title>控制字符测试</title>");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
    expect(/[\u0000-\u0008]/.test(text)).toBe(false);
  });
});

describe("events without a category", () => {
  it("read as 'other' in the calendar and the feeds instead of failing", async () => {
    const { communityId, event, title } = await feedWorld();
    // Offerings made before events had details may lack a category (the API always sets one).
    await env.DB.prepare("UPDATE offerings SET category = NULL WHERE id = ?").bind(event.id).run();
    const feed = await call(`/api/event-feeds/calendar.ics?community=${communityId}`);
    expect(feed.status).toBe(200);
    const ours = parse(await feed.text()).events.find((e) => e.getFirstPropertyValue("summary") === title);
    expect(ours?.getFirstPropertyValue("categories")).toBe("其他");
    const list = await json<{ items: Array<{ eventId: string; category: string }> }>(
      await call(`/api/events?community=${communityId}`),
    );
    expect(list.items.find((i) => i.eventId === event.id)?.category).toBe("other");
    expect((await call(`/api/event-feeds/new.atom?community=${communityId}`)).status).toBe(200);
  });
});
