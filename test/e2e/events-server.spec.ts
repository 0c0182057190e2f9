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
    await page.waitForURL(/view=month/);
    await page.getByRole("table").waitFor();
    await page.getByRole("link", { name: "下个月" }).click();
    await page.waitForURL(/month=\d{4}-\d{2}/);
    await page.getByRole("link", { name: "近期", exact: true }).click();
    await page.waitForURL((url) => url.search === "");

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
    // A browser without a share sheet (as desktop Linux Chromium): sharing needs the app.
    await opened.context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, "share", { value: undefined, configurable: true });
    });
    await opened.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    const scripts = scriptsLoaded(page);
    await page.goto(SCIENCE);
    await page.getByRole("heading", { level: 1, name: "周六亲子科普小课堂" }).waitFor();
    await page.waitForLoadState("networkidle");
    expect(await page.locator("#app").getAttribute("data-rendered")).toBe("server");
    expect(await scripts.others()).toEqual([]);
    await expectNoAxeViolations(page, "event page drawn by the Worker");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    const drawn = await page.locator("main").ariaSnapshot();
    const drawnLinks = await mainLinks(page);

    const share = page.getByRole("button", { name: "分享" });
    // In the middle of the screen, clear of the bottom navigation: the tap itself scrolls nothing.
    await share.evaluate((button) => button.scrollIntoView({ block: "center" }));
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled).toBeGreaterThan(0);
    await share.click();
    const copied = page.getByText("链接已复制，可以粘贴到微信发给家人朋友。");
    await copied.waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseUrl}${SCIENCE}`);
    expect((await scripts.others()).length).toBeGreaterThan(0);
    expect(await page.locator("#app").getAttribute("data-rendered")).toBeNull();
    // The reader is where they were, on the button they tapped, reading the same page.
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("分享");
    expect(await mainLinks(page)).toEqual(drawnLinks);
    await page.evaluate(() => document.querySelector('main [role="status"]')?.remove());
    expect(await page.locator("main").ariaSnapshot()).toBe(drawn);
    expect(opened.problems).toEqual([]);
    await opened.context.close();
  });

  it("share through the phone's share sheet without loading the app", async () => {
    const opened = await openPage(browser, baseUrl, { width: 320 });
    const { page } = opened;
    await opened.context.addInitScript(() => {
      const shared: unknown[] = [];
      Object.assign(window, { shared });
      Object.defineProperty(Navigator.prototype, "share", {
        value: async (data: unknown) => {
          shared.push(data);
        },
        configurable: true,
      });
    });
    const scripts = scriptsLoaded(page);
    await page.goto(SCIENCE);
    await page.getByRole("button", { name: "分享" }).click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { shared: unknown[] }).shared))
      .toEqual([{ title: "周六亲子科普小课堂", url: `${baseUrl}${SCIENCE}` }]);
    await page.waitForLoadState("networkidle");
    expect(await scripts.others()).toEqual([]);
    expect(await page.locator("#app").getAttribute("data-rendered")).toBe("server");
    expect(opened.problems).toEqual([]);
    await opened.context.close();
  });

  it("switch language without the app, and draw the calendar as the app does", async () => {
    // A visitor switches to English on the drawn calendar: the Worker draws it again in English.
    const visitor = await openPage(browser, baseUrl, { width: 360 });
    const { page } = visitor;
    const scripts = scriptsLoaded(page);
    await page.goto("/events");
    await page.getByRole("heading", { level: 1, name: "社区活动" }).waitFor();
    await page.getByRole("button", { name: /English/ }).click();
    await page.getByRole("heading", { level: 1, name: "Community events" }).waitFor();
    expect(await page.locator("#app").getAttribute("data-rendered")).toBe("server");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await page.waitForLoadState("networkidle");
    expect(await scripts.others()).toEqual([]);
    await expectNoAxeViolations(page, "events calendar drawn by the Worker (English)");

    // A signed-in resident reading English gets the app: the calendar reads and links the same.
    const member = await openPage(browser, baseUrl, { width: 360, locale: "en" });
    await signInWithSession(member.context, baseUrl, sessions[DEMO_PHONES.resident]);
    for (const path of ["/events", "/events?view=month", "/events?view=weekend"]) {
      await page.goto(path);
      await member.page.goto(path);
      for (const p of [page, member.page]) {
        await p.getByRole("heading", { level: 2 }).first().waitFor();
        await p.getByRole("status").first().waitFor();
      }
      expect(await page.locator("#app").getAttribute("data-rendered"), path).toBe("server");
      expect(await member.page.locator("#app").getAttribute("data-rendered"), path).toBeNull();
      expect(await member.page.locator("main").ariaSnapshot(), path).toBe(await page.locator("main").ariaSnapshot());
      expect(await mainLinks(member.page), path).toEqual(await mainLinks(page));
      await expectNoAxeViolations(page, `${path} drawn by the Worker (English)`);
    }
    expect(visitor.problems).toEqual([]);
    expect(member.problems).toEqual([]);
    await visitor.context.close();
    await member.context.close();
  });

  it("follow a device that remembered English before the cookie: the app at once, then drawn pages in English", async () => {
    const opened = await openPage(browser, baseUrl, { width: 360, locale: "en" });
    const { page } = opened;
    await page.goto("/events");
    await page.getByRole("heading", { level: 1, name: "Community events" }).waitFor();
    expect(await page.locator("#app").getAttribute("data-rendered")).toBeNull();
    await page.goto(SCIENCE);
    await page.getByRole("button", { name: "Share" }).waitFor();
    expect(await page.locator("#app").getAttribute("data-rendered")).toBe("server");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
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
