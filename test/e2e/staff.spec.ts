import type { Browser } from "playwright-core";
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

describe("the staff console", () => {
  it("opens for the street admin, with grants, residents and the audit log", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.streetAdmin]);
    await page.goto("/staff");
    await page.getByRole("heading", { level: 1, name: "工作台" }).waitFor();
    await expectNoAxeViolations(page, "staff overview");

    const sections = page.getByRole("navigation", { name: "工作台栏目" });
    expect(await page.getByRole("link", { name: /各小区步行 5、10、15 分钟内缺少哪些设施/ }).count()).toBe(1);
    await sections.getByRole("link", { name: "服务覆盖" }).click();
    await page.getByRole("heading", { level: 1, name: "十五分钟生活圈覆盖" }).waitFor();

    await sections.getByRole("link", { name: "角色授权" }).click();
    await page.getByRole("heading", { level: 1, name: "角色授权" }).waitFor();
    expect(await page.getByRole("list").last().getByRole("listitem").count()).toBeGreaterThan(0);

    await sections.getByRole("link", { name: "居民" }).click();
    await page.getByRole("heading", { level: 1, name: "居民" }).waitFor();
    await expectNoAxeViolations(page, "staff residents");

    await sections.getByRole("link", { name: "审计日志" }).click();
    await page.getByRole("heading", { level: 1, name: "审计日志" }).waitFor();

    expect(problems).toEqual([]);
    await context.close();
  });

  it("the street admin sends again a text the carrier refused, in elder mode at 320 px", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl, { width: 320, elderMode: true });
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.streetAdmin]);
    await page.goto("/staff");
    await page.getByRole("navigation", { name: "工作台栏目" }).getByRole("link", { name: "短信发送" }).click();
    await page.getByRole("heading", { level: 1, name: "短信发送" }).waitFor();
    const failed = page.getByRole("region", { name: "发送失败" });
    const item = failed.getByRole("listitem").filter({ hasText: "139****0014" });
    await item.getByText("原因：运营商退回：号码已停机").waitFor();
    // Numbers masked, and never a message's text (it may hold a code).
    expect(await page.getByText("13900000014").count()).toBe(0);
    expect(await page.getByText("办理预约等服务").count()).toBe(0);
    await expectNoAxeViolations(page, "text messages, elder mode", { enhancedContrast: true });
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);

    // A second admin has the page open too, with the list as it was.
    const other = await openPage(browser, baseUrl);
    await signInWithSession(other.context, baseUrl, sessions[DEMO_PHONES.streetAdmin]);
    await other.page.goto("/staff/messages");
    const stale = other.page.getByRole("button", { name: "重新发送 代办登记（告知代办人） 139****0014" });
    await stale.waitFor();

    await item.getByRole("button", { name: "重新发送 代办登记（告知代办人） 139****0014" }).click();
    const notice = page.getByText("已重新排队发送：代办登记（告知代办人） 139****0014");
    await notice.waitFor();
    // The button went with its message: the focus is on what the page says now.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ""))
      .toBe("已重新排队发送：代办登记（告知代办人） 139****0014");
    await expect.poll(() => item.count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();

    // The second admin's tap comes too late: told why at the top, where the focus goes, and the list is fresh.
    await stale.click();
    const refusal = other.page.getByRole("alert").filter({ hasText: "这条短信刚才已经重新发送，或者已经过期" });
    await refusal.waitFor();
    await expect
      .poll(() => other.page.evaluate(() => document.activeElement?.textContent ?? ""))
      .toContain("这条短信刚才已经重新发送");
    await expect.poll(() => stale.count()).toBe(0);
    expect(other.problems).toEqual(["Failed to load resource: the server responded with a status of 409 (Conflict)"]);
    await other.context.close();
  });
});
