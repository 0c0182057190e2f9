import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PHONES } from "./global-setup";
import { expectNoAxeViolations, launchBrowser, openPage, scrollWidth, signInWithSession } from "./helpers";

// The public calendar and event pages the Worker draws for readers not signed in
// (worker/features/pages): they work without JavaScript, the app is loaded only when the reader
// asks for something only it does, and it then replaces the drawn page without a visible change.

const baseUrl = inject("baseUrl");
const sessions = inject("sessions");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const SCIENCE = "/events/off_event_dexiangli_science_saturday";

/** What the reader reads in the page's main part, whitespace evened out. */
async function mainText(page: Page): Promise<string> {
  return ((await page.locator("main").textContent()) ?? "").replace(/\s+/g, " ").trim();
}

/** Where each link in the main part goes and whether it is marked current: what the app must keep. */
async function mainLinks(page: Page): Promise<string[]> {
  return page
    .locator("main a")
    .evaluateAll((links) => links.map((a) => `${a.getAttribute("href")} ${a.getAttribute("aria-current") ?? ""}`));
}

/** The scripts this page has loaded so far but its entry (the one index.html names): the app's. */
function scriptsLoaded(page: Page): { others: () => Promise<string[]> } {
  const loaded: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith(".js")) loaded.push(url.pathname);
  });
  return {
    others: async () => {
      const entry = await page.locator('script[type="module"]').getAttribute("src");
      expect(entry).toMatch(/^\/assets\/index-/);
      return loaded.filter((path) => path !== entry);
    },
  };
}

describe("events pages drawn by the Worker", () => {
  it("work without JavaScript: views, months, filters, an event and its way to sign in", async () => {
    const context = await browser.newContext({
      baseURL: baseUrl,
      javaScriptEnabled: false,
      viewport: { width: 320, height: 640 },
    });
    const page = await context.newPage();
    await page.goto("/events");
    await page.getByRole("heading", { level: 1, name: "社区活动" }).waitFor();
    await page
      .getByRole("link", { name: /周六亲子科普小课堂/ })
      .first()
      .waitFor();

    await page.getByRole("link", { name: "按月", exact: true }).click();
    await page.getByRole("table").waitFor();
    const month = new URL(page.url()).searchParams;
    expect(month.get("view")).toBe("month");
    await page.getByRole("link", { name: "下个月" }).click();
    expect(new URL(page.url()).searchParams.get("month")).toMatch(/^\d{4}-\d{2}$/);
    await page.getByRole("link", { name: "近期", exact: true }).click();

    // Filters are a form: choose, then ask for them.
    await page.getByText("按社区、类别和人群筛选").click();
    await page.getByLabel("社区", { exact: true }).selectOption({ label: "德翔里社区" });
    await page.getByLabel("类别", { exact: true }).selectOption({ label: "科普" });
    await page.getByRole("button", { name: "按所选条件查看" }).click();
    await page.waitForURL(/category=science/);
    expect(new URL(page.url()).searchParams.get("community")).toBe("com_dexiangli");
    await page
      .getByRole("link", { name: /周六亲子科普小课堂/ })
      .first()
      .waitFor();
    expect(await page.getByRole("link", { name: /健康/ }).count()).toBe(0);

    await page
      .getByRole("link", { name: /周六亲子科普小课堂/ })
      .first()
      .click();
    await page.getByRole("heading", { level: 1, name: "周六亲子科普小课堂" }).waitFor();
    await page.getByText("每周星期六").waitFor();
    expect(await page.getByRole("link", { name: "登录" }).getAttribute("href")).toBe(
      `/login?redirect=${encodeURIComponent(SCIENCE)}`,
    );
    expect(await page.getByRole("link", { name: "添加到我的日历" }).getAttribute("href")).toBe(
      `/api${SCIENCE}/calendar.ics`,
    );

    const missing = await page.goto("/events/off_no_such_event");
    expect(missing?.status()).toBe(404);
    await page.getByRole("heading", { level: 1, name: "页面不存在" }).waitFor();
    await context.close();
  });

  it("load no app code until asked, pass axe at 320 px, and the app takes over sharing without a visible change", async () => {
    const opened = await openPage(browser, baseUrl, { width: 320 });
    const { page } = opened;
    await opened.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    const scripts = scriptsLoaded(page);
    await page.goto(SCIENCE);
    await page.getByRole("heading", { level: 1, name: "周六亲子科普小课堂" }).waitFor();
    await page.waitForLoadState("networkidle");
    expect(await page.locator("#app").getAttribute("data-rendered")).toBe("server");
    expect(await scripts.others()).toEqual([]);
    await expectNoAxeViolations(page, "event page drawn by the Worker");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    const drawn = await mainText(page);
    const drawnLinks = await mainLinks(page);

    // No share sheet in this browser: the app copies the link, and the reader stays where they were.
    const share = page.getByRole("button", { name: "分享" });
    // In the middle of the screen, clear of the bottom navigation: the tap itself scrolls nothing.
    await share.evaluate((button) => button.scrollIntoView({ block: "center" }));
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled).toBeGreaterThan(0);
    await share.click();
    await page.getByText(/链接已复制|请长按复制链接/).waitFor();
    expect((await scripts.others()).length).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("分享");
    expect(await mainLinks(page)).toEqual(drawnLinks);
    expect(await page.locator("#app").getAttribute("data-rendered")).toBeNull();
    // The app's page reads as the drawn one did, but for what sharing added.
    const notice = ((await page.getByText(/链接已复制|请长按复制链接/).textContent()) ?? "")
      .replace(/\s+/g, " ")
      .trim();
    expect((await mainText(page)).replace(notice, "").replace(/\s+/g, " ").trim()).toBe(drawn);
    expect(opened.problems).toEqual([]);
    await opened.context.close();
  });

  it("switch language through the app, and the Worker then draws the calendar in it, as the app does", async () => {
    const opened = await openPage(browser, baseUrl, { width: 360 });
    const { page } = opened;
    await page.goto("/events");
    await page.getByRole("heading", { level: 1, name: "社区活动" }).waitFor();
    expect(await page.locator("#app").getAttribute("data-rendered")).toBe("server");
    await page.getByRole("button", { name: /English/ }).click();
    await page.getByRole("heading", { level: 1, name: "Community events" }).waitFor();
    expect(await page.locator("#app").getAttribute("data-rendered")).toBeNull();
    const app = await mainText(page);
    const appLinks = await mainLinks(page);

    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Community events" }).waitFor();
    expect(await page.locator("#app").getAttribute("data-rendered")).toBe("server");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await mainText(page)).toBe(app);
    expect(await mainLinks(page)).toEqual(appLinks);
    await expectNoAxeViolations(page, "events calendar drawn by the Worker (English)");

    // The month view, drawn, and as the app draws it after a switch back to Chinese.
    await page.goto("/events?view=month");
    await page.getByRole("table").waitFor();
    const drawnMonth = await mainLinks(page);
    expect(drawnMonth.filter((link) => link.endsWith(" page"))).toEqual(["/events?view=month page"]);
    await page.getByRole("button", { name: /中文/ }).click();
    await page.getByRole("heading", { level: 1, name: "社区活动" }).waitFor();
    expect(await mainLinks(page)).toEqual(drawnMonth);
    await page.getByRole("link", { name: "下个月" }).click();
    await page.waitForURL(/month=\d{4}-\d{2}/);
    await page.getByRole("table").waitFor();
    await expectNoAxeViolations(page, "month view drawn by the Worker (English)");
    expect(opened.problems).toEqual([]);
    await opened.context.close();
  });

  it("give a signed-in reader the app, with what is theirs", async () => {
    const opened = await openPage(browser, baseUrl, { width: 360 });
    const { page } = opened;
    await signInWithSession(opened.context, baseUrl, sessions[DEMO_PHONES.resident]);
    await page.goto(SCIENCE);
    await page.getByRole("heading", { level: 1, name: "周六亲子科普小课堂" }).waitFor();
    expect(await page.locator("#app").getAttribute("data-rendered")).toBeNull();
    await page.getByRole("heading", { level: 2, name: "为谁预约" }).waitFor();
    expect(await page.getByRole("link", { name: "登录" }).count()).toBe(0);
    expect(opened.problems).toEqual([]);
    await opened.context.close();
  });
});
