import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PHONES } from "./global-setup";
import {
  expectNoAxeViolations,
  launchBrowser,
  openPage,
  randomPhone,
  scrollWidth,
  signInByApi,
  signInWithSession,
} from "./helpers";

const baseUrl = inject("baseUrl");
const sessions = inject("sessions");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const SHANGHAI = 8 * 3_600_000;

/** A start about 40 minutes from now (Shanghai date and HH:MM, on a five-minute mark), an hour long at most. */
function soon(): { date: string; start: string; end: string } {
  const five = 5 * 60_000;
  const startsAt = Math.ceil((Date.now() + 40 * 60_000) / five) * five;
  const local = new Date(startsAt + SHANGHAI).toISOString();
  const date = local.slice(0, 10);
  const start = local.slice(11, 16);
  const endLocal = new Date(Math.min(startsAt + 60 * 60_000, Date.parse(`${date}T23:59:00Z`) - SHANGHAI) + SHANGHAI);
  return { date, start, end: endLocal.toISOString().slice(11, 16) };
}

describe("community events", () => {
  it("an organisation submits an event, community staff approve it, a resident signs up and the organiser checks her in", async () => {
    const title = `邻里科普讲座${Date.now() % 100_000}`;
    const when = soon();

    // 黄佳琪 of the volunteers' association writes the event on her phone and submits it.
    const organiser = await openPage(browser, baseUrl);
    await signInWithSession(organiser.context, baseUrl, sessions[DEMO_PHONES.socialOrgStaff]);
    const op = organiser.page;
    await op.goto("/staff");
    await op.getByRole("navigation", { name: "工作台栏目" }).getByRole("link", { name: "活动", exact: true }).click();
    await op.getByRole("heading", { level: 1, name: "社区活动" }).waitFor();
    await op.getByRole("link", { name: "新建活动" }).click();
    await op.getByRole("heading", { level: 1, name: "新建活动" }).waitFor();
    // Sent empty: the form says what is missing, nothing is saved.
    await op.getByRole("button", { name: "预览" }).click();
    await op.getByText("有几项需要修改，请看标出的地方。").waitFor();
    await op.getByLabel("面向社区").selectOption({ label: "德翔里社区" });
    await op.getByLabel("活动名称").fill(title);
    await op.getByLabel("活动类别").selectOption({ label: "科普" });
    await op.getByLabel("适合人群").selectOption({ label: "老年人" });
    await op.getByLabel("活动介绍").fill("讲解防范电信诈骗的常见手法。");
    // Where: the community's service centre, picked from the street's facilities, and the room.
    await op.getByLabel("按名称查找场所（选填）").fill("党群");
    await op.getByLabel("街道登记的场所").selectOption({ label: "德翔里社区党群服务中心" });
    await op.getByLabel("地点").fill("二楼多功能厅");
    await op.getByRole("checkbox", { name: "大字资料" }).check();
    await op.getByLabel("联系人和电话").fill("黄佳琪 022-26391601");
    await op.getByLabel("每场名额").fill("10");
    await op.getByLabel("日期", { exact: true }).fill(when.date);
    await op.getByLabel("开始时间").fill(when.start);
    await op.getByLabel("结束时间").fill(when.end);
    await expectNoAxeViolations(op, "event editor");
    await op.getByRole("button", { name: "预览" }).click();
    await op.getByRole("heading", { name: "预览：居民看到的样子" }).waitFor();
    const preview = op.getByRole("region", { name: "预览：居民看到的样子" });
    await preview.getByRole("link", { name: "德翔里社区党群服务中心" }).waitFor();
    expect(await preview.getByText("德翔路12号").isVisible()).toBe(true);
    expect(await preview.getByText("二楼多功能厅", { exact: false }).isVisible()).toBe(true);
    await op.getByRole("button", { name: "保存草稿" }).click();
    await op.getByRole("heading", { level: 1, name: title }).waitFor();
    await op.getByText("草稿只有本机构能看到。").waitFor();
    await op.getByRole("button", { name: "提交社区审核" }).click();
    await op.getByText("已提交，等待社区审核。").waitFor();
    await expectNoAxeViolations(op, "staff event page");
    const eventId = op.url().split("/").pop() ?? "";

    // Not yet public.
    const anonymous = await openPage(browser, baseUrl);
    expect((await anonymous.page.request.get(`/api/events/${eventId}`)).status()).toBe(404);

    // 陈丽华, community staff of 德翔里, approves it from her review queue.
    const reviewer = await openPage(browser, baseUrl);
    await signInWithSession(reviewer.context, baseUrl, sessions[DEMO_PHONES.communityStaff]);
    const rp = reviewer.page;
    await rp.goto("/staff/events");
    // She is also staff of 德翔里's committee: its events come first; the review queue is a tap away.
    await rp.getByRole("radio", { name: "待我审核" }).click();
    await rp.getByRole("heading", { level: 2, name: "待审核的活动" }).waitFor();
    // The volunteers' association's swap market (demo data) waits here too.
    await rp.getByRole("link", { name: /邻里旧物交换集市/ }).waitFor();
    await rp.getByRole("link", { name: new RegExp(title) }).click();
    await rp.getByRole("heading", { level: 1, name: title }).waitFor();
    await expectNoAxeViolations(rp, "review page");
    await rp.getByRole("button", { name: "审核通过并发布" }).click();
    await rp.getByText("已发布，居民现在可以看到并报名。").waitFor();
    await reviewer.context.close();

    // A resident on a 320 px phone finds it in the public calendar, without signing in first.
    const resident = await openPage(browser, baseUrl, { width: 320 });
    const rs = resident.page;
    await rs.goto("/");
    await rs.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "活动" }).click();
    await rs.getByRole("heading", { level: 1, name: "社区活动" }).waitFor();
    await rs.getByText("按社区、类别和人群筛选").click();
    await rs.getByLabel("社区", { exact: true }).selectOption({ label: "德翔里社区" });
    await rs.getByLabel("类别", { exact: true }).selectOption({ label: "科普" });
    const entry = rs.getByRole("link", { name: new RegExp(title) });
    await entry.waitFor();
    await expectNoAxeViolations(rs, "events calendar");
    expect(await scrollWidth(rs)).toBeLessThanOrEqual(320);
    await entry.click();
    await rs.getByRole("heading", { level: 1, name: title }).waitFor();
    await rs.getByText("大字资料").waitFor();
    expect(await rs.getByRole("link", { name: "德翔里社区党群服务中心" }).getAttribute("href")).toBe(
      "/facilities/fac_dexiangli_service_station",
    );
    expect(await rs.getByRole("link", { name: "添加到我的日历" }).getAttribute("href")).toBe(
      `/api/events/${eventId}/calendar.ics`,
    );
    await expectNoAxeViolations(rs, "event page (signed out)");
    expect(await scrollWidth(rs)).toBeLessThanOrEqual(320);

    // She signs in and signs up.
    const phone = randomPhone();
    await signInByApi(rs, baseUrl, phone);
    await rs.reload();
    await rs
      .getByRole("link", { name: /^预约 / })
      .first()
      .click();
    await rs.getByRole("button", { name: "下一步：核对信息" }).click();
    await rs.getByRole("button", { name: "确认预约" }).click();
    await rs.getByText("预约成功。").waitFor();
    const code = (await rs.locator(".check-in-code__value span[aria-hidden]").textContent())?.trim() ?? "";
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    await expectNoAxeViolations(rs, "event booking");

    // The organiser opens the date's attendee list and checks her in at the door.
    await op.reload();
    await op.getByRole("link", { name: "报名名单与签到" }).first().click();
    const row = op.getByRole("listitem").filter({ hasText: code });
    await row.waitFor();
    expect(await row.getByText(`${phone.slice(0, 3)}****${phone.slice(-4)}`).isVisible()).toBe(true);
    await row.getByRole("button", { name: /^签到 / }).click();
    await expect.poll(async () => row.locator(".badge").first().textContent()).toBe("已签到");
    await expectNoAxeViolations(op, "attendee list");

    // The organisation's statistics list the event with its sign-up.
    await op.goto("/staff/events?view=stats");
    // Up to the event's day: it may be tomorrow in Shanghai when the test runs just before midnight.
    await op.getByLabel("到", { exact: true }).fill(when.date);
    const byEvent = op.getByRole("region", { name: "按活动" });
    await byEvent.getByRole("row", { name: new RegExp(title) }).waitFor();
    expect(
      await byEvent
        .getByRole("row", { name: new RegExp(title) })
        .getByRole("cell")
        .nth(1)
        .textContent(),
    ).toBe("1");
    await expectNoAxeViolations(op, "event statistics");

    expect(organiser.problems).toEqual([]);
    expect(resident.problems).toEqual([]);
    await organiser.context.close();
    await resident.context.close();
    await anonymous.context.close();
  });

  it("the month view and an event page read well in elder mode (AAA contrast, large text)", async () => {
    const elder = await openPage(browser, baseUrl, { width: 320, elderMode: true });
    const page = elder.page;
    await page.goto("/events?view=month");
    await page.getByRole("table").waitFor();
    await page.getByRole("link", { name: "下个月" }).click();
    await page.getByRole("link", { name: "上个月" }).click();
    await page.getByRole("table").waitFor();
    await expectNoAxeViolations(page, "events month view (elder mode)", { enhancedContrast: true });
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    await page.goto("/events?view=weekend");
    await page.getByRole("heading", { level: 2, name: "本周末的活动" }).waitFor();
    await page.goto("/events");
    await page
      .getByRole("link", { name: /周六亲子科普小课堂/ })
      .first()
      .click();
    await page.getByRole("heading", { level: 1, name: "周六亲子科普小课堂" }).waitFor();
    await page.getByText("每周星期六").waitFor();
    await expectNoAxeViolations(page, "event page (elder mode)", { enhancedContrast: true });
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    expect(elder.problems).toEqual([]);
    await elder.context.close();
  });
});
