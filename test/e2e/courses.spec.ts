import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  expectNoAxeViolations,
  launchBrowser,
  measure,
  newElderlyResident,
  openPage,
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

const SMARTPHONE = "智能手机入门：用手机预约服务和挂号";

describe("training courses", () => {
  it("a senior in elder mode enrols in the smartphone course on a small phone", async () => {
    const elder = await openPage(browser, baseUrl, { width: 320, elderMode: true });
    const page = elder.page;
    await page.goto("/");
    const { name } = await newElderlyResident(page, baseUrl);
    await page.goto("/");
    await page.getByRole("link", { name: /技能培训/ }).click();
    await page.getByRole("heading", { level: 1, name: "技能培训" }).waitFor();
    await page.getByRole("navigation", { name: "课程类别" }).getByRole("link", { name: "老年人智能技术" }).click();
    await page.waitForURL(/category=digital_seniors/);
    // The address changes first; the list follows once its data has come.
    await expect.poll(() => page.getByText("电商直播创业入门（线上）").count()).toBe(0);
    await page.getByRole("link", { name: new RegExp(SMARTPHONE) }).waitFor();
    await expectNoAxeViolations(page, "courses (elder mode)", { enhancedContrast: true });
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);

    await page.getByRole("link", { name: new RegExp(SMARTPHONE) }).click();
    await page.getByRole("heading", { level: 1, name: SMARTPHONE }).waitFor();
    // Six sessions, listed; one enrolment covers them all.
    expect(await page.getByRole("region", { name: "课程安排" }).getByRole("listitem").count()).toBe(6);
    await page.getByText("报名一次即包含全部 6 次课", { exact: false }).waitFor();
    await expectNoAxeViolations(page, "course page (elder mode)", { enhancedContrast: true });
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    const sizes = await measure(page);
    expect(sizes.fontSize).toBeGreaterThanOrEqual(20);

    const enrol = page.getByRole("link", { name: /^预约 / }).first();
    expect((await enrol.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(60);
    await enrol.click();
    await page.getByRole("button", { name: "下一步：核对信息" }).click();
    await page.getByRole("button", { name: "确认预约" }).click();
    await page.getByText("预约成功。").waitFor();
    await expectNoAxeViolations(page, "course enrolment (elder mode)", { enhancedContrast: true });

    // Back on the course: her enrolment, nothing attended yet.
    await page.goto("/courses?category=digital_seniors");
    await page.getByRole("link", { name: new RegExp(SMARTPHONE) }).click();
    const mine = page.getByRole("region", { name: "我的报名" });
    await mine.getByText(name).waitFor();
    await mine.getByText("已报名", { exact: true }).waitFor();
    await mine.getByText("已出勤 0 次").waitFor();
    await expectNoAxeViolations(page, "course page with an enrolment (elder mode)", { enhancedContrast: true });

    expect(elder.problems).toEqual([]);
    await elder.context.close();
  });

  it("a training school publishes a course from its phone; residents find it; a wrong certificate number is not found", async () => {
    const title = `家政服务员培训${Date.now() % 100_000}`;
    const staff = await openPage(browser, baseUrl, { width: 320 });
    const sp = staff.page;
    await sp.goto("/");
    // 马晓东, admin of the vocational school.
    await signInByApi(sp, baseUrl, "13900000009");
    await sp.goto("/staff");
    await sp.getByRole("navigation", { name: "工作台栏目" }).getByRole("link", { name: "培训", exact: true }).click();
    await sp.getByRole("heading", { level: 1, name: "培训课程" }).waitFor();
    await sp.getByRole("link", { name: "开设课程" }).click();
    await sp.getByRole("heading", { level: 1, name: "开设课程" }).waitFor();
    await sp.getByRole("button", { name: "发布课程" }).click();
    await sp.getByText("请检查标出的内容。").waitFor();
    await expectNoAxeViolations(sp, "new course form with errors");
    expect(await scrollWidth(sp)).toBeLessThanOrEqual(320);

    await sp.getByLabel("课程名称").fill(title);
    await sp.getByLabel("课程类别").selectOption({ label: "职业技能" });
    await sp.getByLabel("上课地点").fill("职业技能培训学校实训室");
    await sp.getByLabel("名额").fill("12");
    await sp.getByLabel("咨询电话或联系人").fill("马老师 022-26391501");
    // Weekly (on Saturdays, the form's first choice) for three weeks from a week ahead.
    const from = new Date(Date.now() + 8 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    const until = new Date(Date.parse(from) + 20 * 86_400_000).toISOString().slice(0, 10);
    await sp.getByLabel("开始日期").fill(from);
    await sp.getByLabel("结束日期").fill(until);
    await sp.getByRole("status").filter({ hasText: "共 " }).waitFor();
    await sp.getByRole("button", { name: "发布课程" }).click();
    await sp.getByRole("heading", { level: 1, name: title }).waitFor();
    await sp.getByText("还没有人报名。").first().waitFor();
    await expectNoAxeViolations(sp, "staff course page");

    // A resident finds it among the vocational courses.
    const reader = await openPage(browser, baseUrl, { width: 320 });
    await reader.page.goto("/courses?category=vocational");
    await reader.page.getByRole("link", { name: new RegExp(title) }).waitFor();
    await reader.page.goto("/verify/JZT-2026-00000-00000");
    await reader.page.getByText("没有找到", { exact: false }).first().waitFor();
    await expectNoAxeViolations(reader.page, "course certificate check (unknown)");

    expect(staff.problems).toEqual([]);
    // The unknown number's 404 is the one failed load.
    expect(reader.problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
    for (const opened of [staff, reader]) await opened.context.close();
  });
});
