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

describe("job postings", () => {
  it("an organisation publishes an opening, the street admin approves it, residents find it and see whom to call", async () => {
    const position = `助浴护理员${Date.now() % 100_000}`;

    // 吴静 of the elderly care centre writes the posting on her phone.
    const publisher = await openPage(browser, baseUrl, { width: 320 });
    await signInWithSession(publisher.context, baseUrl, sessions[DEMO_PHONES.elderlyAdmin]);
    const pp = publisher.page;
    await pp.goto("/staff");
    await pp.getByRole("navigation", { name: "工作台栏目" }).getByRole("link", { name: "招聘", exact: true }).click();
    await pp.getByRole("heading", { level: 1, name: "招聘信息" }).waitFor();
    await pp.getByRole("link", { name: "发布招聘信息" }).click();
    await pp.getByRole("heading", { level: 1, name: "发布招聘信息" }).waitFor();
    // Sent without the required fields: the form says so, nothing is saved.
    await pp.getByRole("button", { name: "提交审核" }).click();
    await pp.getByText("请检查标出的内容。").waitFor();
    expect(await pp.getByLabel("岗位名称").getAttribute("aria-invalid")).toBe("true");
    await expectNoAxeViolations(pp, "new job posting form with errors");
    expect(await scrollWidth(pp)).toBeLessThanOrEqual(320);

    await pp.getByLabel("岗位名称").fill(position);
    await expect.poll(() => pp.getByLabel("招聘单位").inputValue()).toBe("金钟街综合养老服务中心");
    await pp.getByLabel("行业").selectOption({ label: "养老护理" });
    await pp.getByLabel("招聘人数").fill("2");
    await pp.getByLabel("工作地点").fill("德悦路17号");
    await pp.getByLabel("所在社区").selectOption({ label: "德悦里社区" });
    // Lowest above highest: refused in the form.
    await pp.getByLabel("最低薪资（元）").fill("5000");
    await pp.getByLabel("最高薪资（元）").fill("4500");
    await pp.getByLabel("联系人").fill("吴女士");
    await pp.getByLabel("联系电话").fill("022-26391201");
    await pp.getByRole("button", { name: "提交审核" }).click();
    await pp.getByText("请填写金额并选择计薪方式，最低不能高于最高。").first().waitFor();
    await pp.getByLabel("最高薪资（元）").fill("5500");
    await pp.getByRole("button", { name: "提交审核" }).click();
    await pp.getByRole("heading", { level: 1, name: position }).waitFor();
    await pp.getByText("待审核", { exact: true }).first().waitFor();
    await expectNoAxeViolations(pp, "staff job page (waiting)");

    // Not public yet.
    const before = await fetch(`${baseUrl}/api/jobs?q=${encodeURIComponent(position)}`);
    expect(((await before.json()) as { total: number }).total).toBe(0);

    // 刘志刚, street admin, approves it from the review queue.
    const admin = await openPage(browser, baseUrl);
    await signInWithSession(admin.context, baseUrl, sessions[DEMO_PHONES.streetAdmin]);
    const ap = admin.page;
    await ap.goto("/staff/jobs");
    await ap.getByRole("heading", { level: 2, name: "待审核" }).waitFor();
    await ap.getByRole("link", { name: new RegExp(position) }).click();
    await ap.getByRole("heading", { level: 1, name: position }).waitFor();
    await expectNoAxeViolations(ap, "job review");
    await ap.getByRole("button", { name: "审核通过" }).click();
    await ap.getByText("已发布", { exact: true }).first().waitFor();

    // The publisher is told.
    await pp.goto("/inbox");
    await pp.getByText(`您提交的招聘信息“${position}”`, { exact: false }).first().waitFor();

    // A resident, not signed in, on a small phone: filters by field and finds it.
    const reader = await openPage(browser, baseUrl, { width: 320 });
    const rp = reader.page;
    await rp.goto("/");
    await rp.getByRole("link", { name: /招聘求职/ }).click();
    await rp.getByRole("heading", { level: 1, name: "招聘信息" }).waitFor();
    // The seeded posting still waiting and the one past its last day are not shown.
    await rp.getByText("社区配送员").waitFor();
    expect(await rp.getByText("超市理货员").count()).toBe(0);
    expect(await rp.getByText("节日促销员（临时）").count()).toBe(0);
    await rp.getByLabel("行业").selectOption({ label: "养老护理" });
    await rp.getByRole("button", { name: "查找" }).click();
    await rp.waitForURL(/category=elderly_care/);
    // The address changes first; the list follows once its data has come.
    await expect.poll(() => rp.getByText("社区配送员").count()).toBe(0);
    await expectNoAxeViolations(rp, "job list (filtered)");
    expect(await scrollWidth(rp)).toBeLessThanOrEqual(320);
    await rp.getByRole("link", { name: new RegExp(position) }).click();
    await rp.getByRole("heading", { level: 1, name: position }).waitFor();
    await rp.getByText("5,000–5,500 元/月").waitFor();
    // No phone number until signed in.
    expect(await rp.getByText("022-26391201").count()).toBe(0);
    await rp.getByRole("link", { name: "登录后查看联系电话" }).waitFor();
    await expectNoAxeViolations(rp, "job page (signed out)");
    expect(await scrollWidth(rp)).toBeLessThanOrEqual(320);

    // 王秀英, signed in and in elder mode, sees the number as a call button.
    const elder = await openPage(browser, baseUrl, { width: 320, elderMode: true });
    await signInWithSession(elder.context, baseUrl, sessions[DEMO_PHONES.elder]);
    const ep = elder.page;
    await ep.goto(rp.url());
    const call = ep.getByRole("link", { name: "拨打 022-26391201" });
    await call.waitFor();
    expect(await call.getAttribute("href")).toBe("tel:02226391201");
    expect((await call.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(60);
    await expectNoAxeViolations(ep, "job page (elder mode)", { enhancedContrast: true });
    expect(await scrollWidth(ep)).toBeLessThanOrEqual(320);

    // The publisher withdraws it: residents no longer find it.
    await pp.goBack();
    await pp.getByRole("heading", { level: 1, name: position }).waitFor();
    await pp.getByRole("button", { name: "撤下" }).click();
    await pp.getByRole("button", { name: "撤下" }).click();
    await pp.getByText("已撤下", { exact: true }).first().waitFor();
    const after = await fetch(`${baseUrl}/api/jobs?q=${encodeURIComponent(position)}`);
    expect(((await after.json()) as { total: number }).total).toBe(0);

    for (const opened of [publisher, admin, reader, elder]) {
      expect(opened.problems).toEqual([]);
      await opened.context.close();
    }
  });
});
