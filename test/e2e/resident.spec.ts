import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  expectNoAxeViolations,
  latestCode,
  launchBrowser,
  measure,
  openPage,
  randomPhone,
  scrollWidth,
  signInByApi,
} from "./helpers";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe("a resident on a phone", () => {
  it("signs up with a code, sets community and compound, switches language and elder mode", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    const phone = randomPhone();

    await page.goto("/login");
    await page.getByRole("heading", { level: 1, name: "登录" }).waitFor();
    await expectNoAxeViolations(page, "login");
    await page.getByLabel("手机号").fill(phone);
    await page.getByRole("button", { name: "获取验证码" }).click();
    const codeField = page.getByLabel("验证码");
    await codeField.waitFor();
    await codeField.fill(await latestCode(baseUrl, phone));
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page.waitForURL(`${baseUrl}/`);
    await page.getByRole("heading", { name: "我可以代办的人" }).waitFor();
    await expectNoAxeViolations(page, "home (signed in)");

    const nav = page.getByRole("navigation", { name: "主导航" });
    await nav.getByRole("link", { name: "我的" }).click();
    await page.getByRole("heading", { level: 1, name: "我的" }).waitFor();
    expect(await nav.getByRole("link", { name: "我的" }).getAttribute("aria-current")).toBe("page");

    await page.getByLabel("所在社区").selectOption({ index: 1 });
    const compound = page.getByLabel("所在小区");
    await page.waitForFunction(() => {
      const select = Array.from(document.querySelectorAll("select")).find(
        (s) => s.labels[0]?.textContent === "所在小区",
      );
      return select && !select.disabled && select.options.length > 1;
    });
    await compound.selectOption({ index: 1 });
    await page.getByRole("button", { name: "保存资料" }).click();
    await page.getByText("资料已保存。").waitFor();
    const saved = await (await page.request.get("/api/me")).json();
    expect(saved.account.communityId).toBe(await page.getByLabel("所在社区").inputValue());
    expect(saved.account.compoundId).toBe(await compound.inputValue());
    await expectNoAxeViolations(page, "me");

    await page.getByRole("radio", { name: "English" }).check();
    await page.getByRole("heading", { level: 1, name: "Me" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    const englishNav = page.getByRole("navigation", { name: "Main" });
    expect(await englishNav.getByRole("link", { name: "Nearby" }).isVisible()).toBe(true);
    await page.getByRole("radio", { name: "中文" }).check();
    await page.getByRole("heading", { level: 1, name: "我的" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");

    const normal = await measure(page);
    expect(normal.fontSize).toBeGreaterThanOrEqual(16);
    expect(normal.navTarget).toBeGreaterThanOrEqual(44);

    const elderSwitch = page.getByRole("switch", { name: /长辈模式/ });
    await elderSwitch.click();
    expect(await elderSwitch.getAttribute("aria-checked")).toBe("true");
    const elder = await measure(page);
    expect(elder.fontSize).toBeGreaterThanOrEqual(20);
    expect(elder.navTarget).toBeGreaterThanOrEqual(60);
    await expectNoAxeViolations(page, "me (elder mode)", { enhancedContrast: true });

    await page.reload();
    await page.getByRole("heading", { level: 1, name: "我的" }).waitFor();
    expect((await measure(page)).fontSize).toBeGreaterThanOrEqual(20);
    expect(await page.getByRole("switch", { name: /长辈模式/ }).getAttribute("aria-checked")).toBe("true");
    await page.waitForFunction(async () => (await (await fetch("/api/me")).json()).account.elderMode === true);

    await nav.getByRole("link", { name: "首页" }).click();
    await page.getByRole("heading", { name: "我可以代办的人" }).waitFor();
    await expectNoAxeViolations(page, "home (elder mode)", { enhancedContrast: true });

    expect(problems).toEqual([]);
    await context.close();
  });

  it("signed out: home and login pass axe in elder mode, and nothing scrolls sideways at 320 px", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl, { width: 320, elderMode: true });
    await page.goto("/");
    await page.getByRole("heading", { level: 1 }).waitFor();
    await expectNoAxeViolations(page, "home (signed out, elder mode)", { enhancedContrast: true });
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    await page.goto("/login");
    await page.getByLabel("手机号").waitFor();
    await expectNoAxeViolations(page, "login (elder mode)", { enhancedContrast: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("fits 320 px on home, nearby and me, in both modes", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl, { width: 320 });
    await signInByApi(page, baseUrl, randomPhone());
    await page.goto("/");
    for (const elderMode of [false, true]) {
      await page.evaluate(
        (on) => localStorage.setItem("linli.preferences", JSON.stringify({ locale: "en", elderMode: on })),
        elderMode,
      );
      for (const path of ["/", "/nearby", "/me"]) {
        await page.goto(path);
        await page.getByRole("heading", { level: 1 }).waitFor();
        expect({ path, elderMode, width: await scrollWidth(page) }).toEqual({ path, elderMode, width: 320 });
      }
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it("cannot open the staff console", async () => {
    const { context, page } = await openPage(browser, baseUrl);
    await page.goto("/staff");
    await page.waitForURL(/\/login\?redirect=%2Fstaff/);

    await signInByApi(page, baseUrl, randomPhone());
    await page.goto("/staff");
    await page.getByRole("heading", { level: 1, name: "无法打开工作台" }).waitFor();
    expect(await page.getByRole("navigation", { name: "工作台栏目" }).count()).toBe(0);
    await context.close();
  });
});
