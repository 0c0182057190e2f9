import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PHONES } from "./global-setup";
import { expectNoAxeViolations, launchBrowser, openPage, signInWithSession } from "./helpers";

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
});
