import { describe, expect, it } from "vitest";
import headersFile from "../../web/public/_headers?raw";
import { shanghaiDate } from "../../worker/lib/shanghai";
import { DAY } from "../../worker/lib/time";
import { PAGE_SECURITY_HEADERS } from "../../worker/middleware/security-headers";
import { call, createAccount, createCommunity, createOrgStaff, json } from "../factories";

// The public events pages the Worker draws for readers not signed in (worker/features/pages),
// through the Worker with the local D1 and the site's index.html from the static assets.

const inDays = (days: number) => shanghaiDate(Date.now() + days * DAY);

/** A committee's event, published (committees publish directly), or left a draft. */
async function committeeEvent(fields: Record<string, unknown> = {}, publish = true) {
  const communityId = await createCommunity("页面社区");
  const { organisationId, staff } = await createOrgStaff("community_committee", communityId);
  const res = await call("/api/events", {
    cookie: staff.cookie,
    body: {
      organisationId,
      communityId,
      title: "重阳节书画展",
      description: "社区老年书画班作品展，欢迎参观",
      category: "culture",
      audience: "elderly",
      placeText: "社区活动室",
      contact: "王老师 022-84371234",
      capacity: 3,
      accessibility: ["step_free"],
      schedule: { date: inDays(3), start: "09:00", end: "11:00" },
      ...fields,
    },
  });
  expect(res.status).toBe(201);
  const { id } = await json<{ id: string }>(res);
  if (publish)
    expect((await call(`/api/events/${id}/submit`, { cookie: staff.cookie, method: "POST" })).status).toBe(200);
  return { id, communityId, staff };
}

async function page(path: string, cookie?: string) {
  const res = await call(path, cookie ? { cookie } : {});
  return { res, body: await res.text() };
}

describe("the calendar page drawn by the Worker", () => {
  it("lists published events as HTML in the site's shell, with the site's page headers", async () => {
    const { id, communityId } = await committeeEvent({ title: "页面测试书画展" });
    const { res, body } = await page(`/events?community=${communityId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("vary")).toBe("Cookie");
    expect(body).toContain('<div id="app" data-rendered="server">');
    expect(body).toContain("<title>社区活动 · 邻里</title>");
    expect(body).not.toContain("<noscript>");
    expect(body).toContain(`<a href="/events/${id}" class="list__link">`);
    expect(body).toContain("页面测试书画展");
    expect(body).toContain(`<option value="${communityId}" selected>`);
    // The bottom navigation marks 活动 as the current place.
    expect(body).toMatch(/<a href="\/events" class="bottom-nav__link" aria-current="page">/);
    // The same security headers as the static pages (web/public/_headers).
    for (const [name, value] of PAGE_SECURITY_HEADERS) {
      expect(res.headers.get(name)).toBe(value);
      expect(headersFile).toContain(`${name}: ${value}`);
    }
  });

  it("filters by category and audience, and shows the month grid with links to the months around it", async () => {
    const { communityId } = await committeeEvent({ title: "只给老人的书画展" });
    const sports = await page(`/events?community=${communityId}&category=sports`);
    expect(sports.body).not.toContain("只给老人的书画展");
    expect(sports.body).toContain("没有找到活动");
    const children = await page(`/events?community=${communityId}&audience=children`);
    expect(children.body).not.toContain("只给老人的书画展");
    const month = inDays(3).slice(0, 7);
    const grid = await page(`/events?view=month&month=${month}&community=${communityId}`);
    expect(grid.body).toContain('<table class="month-grid">');
    expect(grid.body).toContain("只给老人的书画展");
    expect(grid.body).toMatch(
      /<a href="\/events\?community=\w+&amp;view=month&amp;month=\d{4}-\d{2}" class="button button--secondary button--small">上个月<\/a>/,
    );
    expect(grid.body).toContain('class="subnav__link" aria-current="page">按月</a>');
  });

  it("takes anything wrong in the address as the default view instead of refusing it", async () => {
    const { res, body } = await page("/events?view=bogus&from=not-a-date&month=2026-13&community=&category=nope");
    expect(res.status).toBe(200);
    expect(body).toMatch(/class="subnav__link" aria-current="page">近期</);
  });

  it("escapes what organisers wrote", async () => {
    const { id, communityId } = await committeeEvent({
      title: "<script>alert(1)</script>书画展",
      description: '"><img src=x onerror=alert(1)>',
    });
    const list = await page(`/events?community=${communityId}`);
    expect(list.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;书画展");
    expect(list.body).not.toContain("<script>alert(1)");
    const one = await page(`/events/${id}`);
    expect(one.body).not.toContain("<img src=x");
    expect(one.body).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(one.body).toContain("<title>&lt;script&gt;alert(1)&lt;/script&gt;书画展 · 邻里</title>");
  });

  it("speaks the reader's language and size from the preferences cookie", async () => {
    await committeeEvent();
    const { body } = await page("/events", "linli_prefs=en.1");
    expect(body).toContain('<html lang="en" class="elder">');
    expect(body).toContain("<h1>Community events</h1>");
    const plain = await page("/events", "linli_prefs=garbage");
    expect(plain.body).toContain('<html lang="zh-CN">');
  });

  it("gives a signed-in reader the app itself", async () => {
    const account = await createAccount();
    const { res, body } = await page("/events", account.cookie);
    expect(res.status).toBe(200);
    expect(body).toContain('<div id="app"></div>');
    expect(body).not.toContain("data-rendered");
    expect(res.headers.get("content-security-policy")).toBe(PAGE_SECURITY_HEADERS[0]?.[1]);
    // What it answers depends on the cookie, and places change by the minute.
    expect(res.headers.get("vary")).toBe("Cookie");
    expect(res.headers.get("cache-control")).toBe("no-cache");
  });

  it("leaves deeper addresses under /events to the app (its not-found page), not to the API's JSON", async () => {
    for (const path of ["/events/a/b", "/events/a/"]) {
      const { res, body } = await page(path);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      expect(body, path).toContain('<div id="app"></div>');
    }
    // The API keeps its own, stricter headers, at /api itself too.
    const api = await call("/api");
    expect(api.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
    // …and its own caching: the pages' no-cache and Vary stay on the pages.
    const calendarApi = await call("/api/events");
    expect(calendarApi.headers.get("cache-control")).toBe("public, no-cache, s-maxage=30");
    expect(calendarApi.headers.get("vary")).toBeNull();
  });
});

describe("an event's page drawn by the Worker", () => {
  it("shows the event, its dates with free places and a way to sign in and sign up", async () => {
    const { id } = await committeeEvent({ title: "可报名的书画展" });
    const { res, body } = await page(`/events/${id}`);
    expect(res.status).toBe(200);
    expect(body).toContain("<h1>可报名的书画展</h1>");
    expect(body).toContain("社区活动室");
    expect(body).toContain('<li class="chip">');
    expect(body).toContain(`href="/api/events/${id}/calendar.ics"`);
    expect(body).toContain('data-action="share"');
    expect(body).toContain(`href="/login?redirect=%2Fevents%2F${id}"`);
    expect(body).toMatch(/slot__availability--(free|notYet)/);
  });

  it("lists the dates of an event without sign-up", async () => {
    const { id } = await committeeEvent({ title: "无需报名的游园会", signup: false, capacity: undefined });
    const { body } = await page(`/events/${id}`);
    expect(body).toContain("无需报名，欢迎届时直接参加。");
    expect(body).not.toContain("/login?redirect");
  });

  it("answers 404 with a page for an event that is not public or not there", async () => {
    const { id } = await committeeEvent({ title: "还是草稿的活动" }, false);
    for (const path of [`/events/${id}`, "/events/evt_nothing_here", `/events/${"x".repeat(300)}`]) {
      const { res, body } = await page(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("vary"), path).toBe("Cookie");
      expect(body).toContain("<h1>页面不存在</h1>");
      expect(body).not.toContain("还是草稿的活动");
    }
  });
});
