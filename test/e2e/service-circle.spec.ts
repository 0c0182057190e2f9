import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PHONES } from "./global-setup";
import { expectNoAxeViolations, launchBrowser, openPage, scrollWidth, signInWithSession } from "./helpers";

const baseUrl = inject("baseUrl");
const sessions = inject("sessions");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/**
 * The seed puts a 24-hour pharmacy near every compound; should it ever not, the street admin adds
 * one next to the compound, so the journey tests the site rather than the demo data.
 */
async function ensureOpenPharmacyNear(page: Page, compoundId: string) {
  const found = await (
    await page.request.get(`/api/nearby?compoundId=${compoundId}&kinds=pharmacy&openNow=true&tier=10`)
  ).json();
  if (found.total > 0) return;
  const created = await fetch(`${baseUrl}/api/facilities`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: `linli_session=${sessions[DEMO_PHONES.streetAdmin]}` },
    body: JSON.stringify({
      kind: "pharmacy",
      name: "测试24小时药店",
      lat: found.origin.lat + 0.001,
      lng: found.origin.lng,
      phone: "022-26399999",
      openingHours: {
        weekly: Object.fromEntries(
          ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]]),
        ),
        exceptions: [],
      },
    }),
  });
  expect(created.status).toBe(201);
}

describe("the 15-minute service circle", () => {
  it("a resident finds a pharmacy open now within 10 minutes and opens its page", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.resident]);
    const me = await (await page.request.get("/api/me")).json();
    expect(me.account.compoundId).toBeTruthy();
    await ensureOpenPharmacyNear(page, me.account.compoundId);

    await page.goto("/nearby");
    await page.getByRole("heading", { level: 1, name: "附近服务" }).waitFor();
    // The map: a figure named by its text summary, three rings, a marker per facility.
    await page.getByRole("figure", { name: /三个圆圈/ }).waitFor();
    expect(await page.locator(".walk-map__ring").count()).toBe(3);
    expect(await page.locator(".walk-map__marker").count()).toBeGreaterThan(0);

    await page.getByLabel("设施类型").selectOption("pharmacy");
    await page.waitForURL(/kinds=pharmacy/);
    const openNow = page.getByRole("switch", { name: "只看营业中" });
    await openNow.click();
    await page.getByRole("switch", { name: "只看营业中", checked: true }).waitFor();
    expect(page.url()).toMatch(/openNow=true/);

    const withinTen = page.getByRole("region", { name: /^步行 5 分钟内|^步行 5 到 10 分钟/ });
    await withinTen.first().waitFor();
    const links = withinTen.getByRole("link");
    expect(await links.count()).toBeGreaterThan(0);
    for (const text of await links.allInnerTexts()) {
      expect(text).toContain("药店");
      expect(text).toContain("营业中");
    }
    const first = links.first();
    const name = ((await first.locator(".list__title").textContent()) ?? "").trim();
    await first.click();

    await page.getByRole("heading", { level: 1, name }).waitFor();
    expect(await page.getByText("营业中").first().isVisible()).toBe(true);
    const call = page.getByRole("link", { name: /拨打电话/ });
    expect(await call.getAttribute("href")).toMatch(/^tel:[\d+]+$/);
    const hours = page.getByRole("table");
    expect(await hours.getByRole("row").count()).toBe(8);
    expect(await hours.locator('tr[aria-current="date"]').count()).toBe(1);
    await expectNoAxeViolations(page, "facility page");

    await page.getByRole("link", { name: "返回附近服务" }).click();
    await page.waitForURL(/\/nearby\?.*kinds=pharmacy/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("signed out: choose a community, then a compound", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await page.goto("/nearby");
    await page.getByRole("heading", { level: 1, name: "附近服务" }).waitFor();
    await page.getByLabel("社区", { exact: true }).selectOption({ index: 1 });
    await page.getByRole("figure", { name: /三个圆圈/ }).waitFor();
    await page.getByLabel("小区", { exact: true }).selectOption({ index: 1 });
    await page.waitForURL(/compoundId=/);
    await page.getByText(/共找到 \d+ 处/).waitFor();
    await expectNoAxeViolations(page, "nearby (signed out)");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("passes axe and fits 320 px on nearby, a facility and coverage, in both modes", async () => {
    for (const elderMode of [false, true]) {
      const locale = elderMode ? "en" : "zh-CN";
      const mode = `${elderMode ? "elder" : "normal"} mode, ${locale}`;
      const axe = { enhancedContrast: elderMode };
      const { context, page, problems } = await openPage(browser, baseUrl, { width: 320, elderMode, locale });
      await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.streetAdmin]);

      await page.goto("/nearby");
      await page.locator(".walk-map__marker").first().waitFor();
      const elderPace = page.getByRole("switch", { name: elderMode ? /elder's walking pace/ : /长辈步速/ });
      expect(await elderPace.getAttribute("aria-checked")).toBe(String(elderMode));
      await expectNoAxeViolations(page, `nearby (${mode})`, axe);
      expect(await scrollWidth(page)).toBe(320);

      await page.locator(".facility-link").first().click();
      await page.getByRole("table").waitFor();
      await expectNoAxeViolations(page, `facility (${mode})`, axe);
      expect(await scrollWidth(page)).toBe(320);

      await page.goto("/staff/coverage");
      const grid = page.getByRole("region", { name: elderMode ? /Compound table/ : /小区明细表/ });
      await grid.waitFor();
      await expectNoAxeViolations(page, `coverage (${mode})`, axe);
      expect(await scrollWidth(page)).toBe(320);
      // The grid scrolls sideways inside its own box, with the compound column kept in view.
      expect(await grid.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      expect(await grid.getByText(elderMode ? "gap" : "缺", { exact: true }).count()).toBeGreaterThan(0);

      if (!elderMode) {
        await page.emulateMedia({ media: "print" });
        expect(await page.getByRole("navigation", { name: "主导航" }).isVisible()).toBe(false);
        expect(await grid.evaluate((el) => getComputedStyle(el).overflowX)).toBe("visible");
        await page.emulateMedia({ media: "screen" });
      }
      expect(problems).toEqual([]);
      await context.close();
    }
  });
});
