import { readFileSync } from "node:fs";
import type { Browser, Download } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { randomIdNumber } from "../id-numbers";
import { DEMO_PHONES } from "./global-setup";
import {
  DEXIANGLI,
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

/** The first eight bytes of a downloaded file ("%PDF-1.7" for ours). */
async function pdfHead(download: Download): Promise<string> {
  const path = await download.path();
  return readFileSync(path).subarray(0, 8).toString("latin1");
}

/** The birth date (YYYYMMDD) of someone `age` years old today. */
function bornYearsAgo(age: number): string {
  const today = new Date(Date.now() + 8 * 3_600_000);
  return `${today.getUTCFullYear() - age}0101`;
}

describe("volunteer registration", () => {
  it("a resident applies on a 320 px phone, community staff approve, and she sees her volunteer number", async () => {
    const resident = await openPage(browser, baseUrl, { width: 320 });
    const phone = randomPhone();
    await signInByApi(resident.page, baseUrl, phone);
    const realName = `周志愿${phone.slice(-4)}`;
    await resident.page.request.patch("/api/me", { data: { displayName: realName, ...DEXIANGLI } });
    const page = resident.page;

    await page.goto("/");
    await page.getByRole("link", { name: /志愿服务/ }).click();
    await page.getByRole("heading", { level: 1, name: "志愿服务" }).waitFor();

    // Sent without agreeing to the code: the form says so, nothing is sent.
    await page.getByLabel("身份证号").fill(randomIdNumber(bornYearsAgo(30)));
    await page.getByRole("button", { name: "提交申请" }).click();
    await page.getByText("请先阅读并同意志愿者守则。").waitFor();
    await page.getByText("请填写紧急联系人姓名。").waitFor();

    await expect(page.getByLabel("真实姓名").inputValue()).resolves.toBe(realName);
    await page.getByRole("checkbox", { name: "教用智能手机" }).check();
    await page.getByRole("checkbox", { name: "周六 上午" }).check();
    await page.getByRole("checkbox", { name: "周日 下午" }).check();
    await page.getByLabel("联系人姓名").fill("周母");
    await page.getByLabel("联系人手机号").fill("13812340000");
    await page.getByLabel("与您的关系").selectOption({ label: "父母" });
    await page.getByRole("checkbox", { name: "我已阅读并同意志愿者守则" }).check();
    await expectNoAxeViolations(page, "volunteer application");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    await page.getByRole("button", { name: "提交申请" }).click();
    await page.getByRole("heading", { level: 2, name: "等待审核" }).waitFor();
    await page.getByText(/等待德翔里社区审核/).waitFor();

    // 陈丽华, community staff of 德翔里社区, approves it.
    const staff = await openPage(browser, baseUrl);
    await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.communityStaff]);
    await staff.page.goto("/staff");
    await staff.page
      .getByRole("navigation", { name: "工作台栏目" })
      .getByRole("link", { name: "志愿者", exact: true })
      .click();
    await staff.page.getByRole("heading", { level: 1, name: "志愿者注册" }).waitFor();
    await staff.page.getByLabel("姓名或志愿者编号").fill(realName);
    await staff.page.getByRole("button", { name: "搜索" }).click();
    const item = staff.page.getByRole("link", { name: new RegExp(realName) });
    await expectNoAxeViolations(staff.page, "staff volunteer list");
    // The applicant's phone is masked in the list.
    expect(await staff.page.getByText(phone).count()).toBe(0);
    await item.click();
    await staff.page.getByRole("heading", { level: 1, name: realName }).waitFor();
    await staff.page.getByText("教用智能手机").waitFor();
    await staff.page.getByText("周六上午、周日下午").waitFor();
    await expectNoAxeViolations(staff.page, "staff volunteer page");
    await staff.page.getByRole("button", { name: "批准注册" }).click();
    await staff.page.getByText("已批准，志愿者编号已生成并通知本人。").waitFor();
    const number = await staff.page.getByText(/^JZ\d{4}-\d{5}$/).textContent();
    expect(number).toMatch(/^JZ\d{4}-\d{5}$/);
    expect(staff.problems).toEqual([]);
    await staff.context.close();

    // Back on her phone, in elder mode: the number, and her own changes.
    await page.evaluate(() =>
      localStorage.setItem("linli.preferences", JSON.stringify({ locale: "zh-CN", elderMode: true })),
    );
    await page.reload();
    await page.getByRole("heading", { level: 2, name: "注册志愿者" }).waitFor();
    await page.getByText(number ?? "").waitFor();
    await page.getByRole("switch", { name: /在社区服务时长榜上显示我/ }).click();
    await page.getByRole("button", { name: "保存" }).click();
    await page.getByText("已保存。").waitFor();
    await expectNoAxeViolations(page, "volunteer page, elder mode", { enhancedContrast: true });
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    const inbox = await page.request.get("/api/notifications");
    const notices = (await inbox.json()) as { notifications: Array<{ kind: string; body: string }> };
    expect(notices.notifications[0]).toMatchObject({ kind: "volunteer_approved" });
    expect(resident.problems).toEqual([]);
    await resident.context.close();
  });

  it("a 16-year-old is asked for a guardian; a 13-year-old is told they are too young", async () => {
    // 王秀英 has never applied; nothing typed here is sent (the page itself says what is missing).
    const { context, page, problems } = await openPage(browser, baseUrl, { locale: "en" });
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elder]);
    await page.goto("/volunteer");
    await page.getByRole("heading", { level: 1, name: "Volunteering" }).waitFor();
    expect(await page.getByLabel("Guardian's name").count()).toBe(0);
    await page.getByLabel("ID card number").fill(randomIdNumber(bornYearsAgo(16)));
    await page.getByRole("group", { name: "Guardian" }).waitFor();
    await page.getByRole("button", { name: "Send application" }).click();
    await page
      .getByText("Under 18, give a parent or guardian's name, mobile number and relationship.")
      .first()
      .waitFor();

    await page.getByLabel("ID card number").fill(randomIdNumber(bornYearsAgo(13)));
    await page.getByRole("button", { name: "Send application" }).click();
    await page.getByText("Volunteers must be at least 14.").waitFor();
    await expectNoAxeViolations(page, "volunteer application, errors, English");
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe("a volunteer's shift, from sign-up to approved hours", () => {
  it("staff publish a shift, the volunteer signs up, checks in and out with the lead's code, staff approve the hours, and his certificate's number verifies on the public page", async () => {
    // The organisation (金钟街志愿者协会) publishes a shift on the site; its time is added through the API.
    const staff = await openPage(browser, baseUrl);
    await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.socialOrgStaff]);
    await staff.page.goto("/staff/volunteer-work");
    await staff.page.getByRole("heading", { level: 1, name: "志愿服务" }).waitFor();
    await expectNoAxeViolations(staff.page, "staff volunteer work");
    const title = `助老探访${randomPhone().slice(-5)}`;
    await staff.page.getByLabel("岗位名称").fill(title);
    await staff.page.getByLabel("服务类别").selectOption({ label: "助老服务" });
    await staff.page.getByRole("checkbox", { name: "陪伴探访" }).check();
    await staff.page.getByRole("button", { name: "发布并添加时间" }).click();
    await staff.page.getByRole("heading", { level: 1, name: title }).waitFor();
    const offeringId = staff.page.url().split("/").pop() ?? "";
    const startsAt = Date.now() + 20 * 60_000;
    const created = await staff.page.request.post(`/api/offerings/${offeringId}/slots`, {
      data: { startsAt, endsAt: startsAt + 2 * 3_600_000, capacity: 3 },
    });
    expect(created.status()).toBe(201);
    const slotId = ((await created.json()) as { id: string }).id;

    // 杨帆, a registered volunteer, signs up on his phone.
    const volunteer = await openPage(browser, baseUrl, { width: 320 });
    await signInWithSession(volunteer.context, baseUrl, sessions[DEMO_PHONES.volunteer]);
    const page = volunteer.page;
    await page.goto("/volunteer");
    await page.getByRole("link", { name: "报名志愿服务" }).click();
    await page.getByRole("heading", { level: 1, name: "志愿服务报名" }).waitFor();
    const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: title }) });
    await item.getByText("还需 3 人（共 3 人）").waitFor();
    await expectNoAxeViolations(page, "volunteer shifts");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    await item.getByRole("button", { name: "报名" }).click();
    await page.getByRole("heading", { level: 2, name: "志愿服务签到" }).waitFor();

    // The lead shows the code from the shift's page.
    const date = new Date(startsAt + 8 * 3_600_000).toISOString().slice(0, 10);
    await staff.page.goto(`/staff/slots/${slotId}?date=${date}`);
    await staff.page.getByRole("button", { name: "显示签到码" }).click();
    const code = (await staff.page.locator(".check-in-code__value [aria-hidden]").textContent())?.trim() ?? "";
    expect(code).toMatch(/^\d{6}$/);
    // The shift accompanies 张桂兰 (no phone; found by name and birth year): its records will name her.
    await staff.page.getByRole("button", { name: "登记本班的服务对象" }).click();
    await staff.page.getByRole("radio", { name: "出生年份（没有手机号）" }).check();
    await staff.page.getByLabel("姓名").fill("张桂兰");
    await staff.page.getByLabel("出生年份", { exact: true }).fill("1941");
    await staff.page.getByRole("button", { name: "搜索" }).click();
    await staff.page.getByRole("button", { name: "选择 张桂兰 为服务对象" }).click();
    await staff.page.getByText("已登记服务对象：张桂兰。").waitFor();
    await expectNoAxeViolations(staff.page, "staff shift slot, person served");

    await page.getByRole("textbox", { name: "现场签到码" }).fill(code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "签到" }).click();
    await page.getByText("签到码不对，请向现场负责人确认。").waitFor();
    await page.getByRole("textbox", { name: "现场签到码" }).fill(code);
    await page.getByRole("button", { name: "签到" }).click();
    await page.getByText(/^已签到（/).waitFor();
    await page.getByRole("heading", { level: 2, name: "志愿服务签退" }).waitFor();
    await expectNoAxeViolations(page, "shift check-out");
    await page.getByRole("textbox", { name: "现场签到码" }).fill(code);
    await page.getByRole("button", { name: "签退" }).click();
    await page.getByText(/^已签退，本次服务/).waitFor();

    // The organisation approves the hours, and enters yesterday's paper sign-in sheet for him too.
    await staff.page.goto("/staff/volunteer-work");
    const name = "杨帆";
    await staff.page.getByRole("button", { name: `认可${name}的时长`, exact: true }).click();
    await staff.page.getByRole("button", { name: `认可${name}的时长`, exact: true }).waitFor({ state: "detached" });
    const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    const paper = staff.page.getByRole("region", { name: "补录服务记录" });
    await paper.getByLabel("志愿者编号").fill("jz2026-00001");
    await paper.getByLabel("服务内容").fill(`${title}（纸质签到）`);
    await paper.getByLabel("日期").fill(yesterday);
    await paper.getByLabel("开始时间").fill("09:00");
    await paper.getByLabel("结束时间").fill("11:30");
    await paper.getByRole("button", { name: "提交记录" }).click();
    await paper.getByText("已为杨帆补录 2.5 小时，等待审核。").waitFor();
    await staff.page.getByRole("button", { name: `认可${name}的时长`, exact: true }).click();
    await staff.page.getByText("没有待审核的服务记录。").waitFor();
    expect(staff.problems).toEqual([]);
    await staff.context.close();

    await page.goto("/volunteer/hours");
    await page.getByRole("heading", { level: 1, name: "我的服务时长" }).waitFor();
    // The shift's record and the paper sheet's, both approved.
    const records = page.getByRole("listitem").filter({ hasText: title });
    await records.first().getByText("已认可").waitFor();
    expect(await records.getByText("已认可").count()).toBe(2);
    await expectNoAxeViolations(page, "volunteer hours");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    await page.goto("/volunteer/teams");
    await page.getByRole("heading", { level: 1, name: "志愿服务队" }).waitFor();
    await expectNoAxeViolations(page, "volunteer teams");

    // A certificate of the association's approved hours, and its number checked by anyone.
    await page.goto("/volunteer/certificates");
    await page.getByRole("heading", { level: 1, name: "志愿服务证明" }).waitFor();
    await expectNoAxeViolations(page, "volunteer certificates");
    await page.getByRole("button", { name: "开具证明" }).click();
    await page.getByRole("heading", { level: 2, name: "志愿服务证明" }).waitFor();
    const certificateNumber =
      (await page
        .getByText(/^JZC-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
        .first()
        .textContent()) ?? "";
    const body = (await page.locator(".certificate__body").textContent()) ?? "";
    expect(body).toMatch(
      /^兹证明 杨帆 于 .+ 至 .+ 期间在金钟街志愿者协会参加志愿服务 \d+ 次，经该机构审核认可的服务时长共计 \d+\.\d 小时。$/,
    );
    await expectNoAxeViolations(page, "certificate");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    // He downloads it as a PDF file (made by the server, named by its number).
    const [certificateFile] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "下载 PDF 文件" }).click(),
    ]);
    expect(certificateFile.suggestedFilename()).toBe(`${certificateNumber}.pdf`);
    expect(await pdfHead(certificateFile)).toBe("%PDF-1.7");
    const qr = await page.request.get(`/api/certificates/verify/${certificateNumber}/qr.svg`);
    expect(qr.headers()["content-type"]).toContain("image/svg+xml");

    // His statement for the year lists both approved records; the leaderboard shows him (opted in).
    await page.goto("/volunteer/statement");
    await page.getByRole("heading", { level: 2, name: "志愿服务时长明细" }).waitFor();
    expect(await page.getByRole("row").filter({ hasText: title }).count()).toBe(2);
    const [statementFile] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "下载 PDF 文件" }).click(),
    ]);
    expect(statementFile.suggestedFilename()).toMatch(/^statement-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf$/);
    expect(await pdfHead(statementFile)).toBe("%PDF-1.7");
    await expectNoAxeViolations(page, "hour statement");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    await page.goto("/volunteer/leaderboard");
    await page.getByRole("row").filter({ hasText: "JZ2026-00001" }).getByText("杨*").waitFor();
    await expectNoAxeViolations(page, "leaderboard");

    const anyone = await openPage(browser, baseUrl);
    await anyone.page.goto("/verify");
    await anyone.page.getByLabel("证明编号").fill(certificateNumber.toLowerCase());
    await anyone.page.getByRole("button", { name: "查验" }).click();
    await anyone.page.getByRole("heading", { level: 2, name: "证明有效" }).waitFor();
    await anyone.page.getByText("杨*").waitFor();
    await anyone.page.getByText("金钟街志愿者协会").waitFor();
    await expectNoAxeViolations(anyone.page, "certificate verification");
    await anyone.page.goto("/verify/JZC-2026-0000-0000");
    await anyone.page.getByText("没有找到这份证明").waitFor();

    // The association revokes it; the same number then checks as revoked.
    const issuer = await openPage(browser, baseUrl);
    await signInWithSession(issuer.context, baseUrl, sessions[DEMO_PHONES.socialOrgStaff]);
    await issuer.page.goto("/staff/volunteer-work");
    const issued = issuer.page.getByRole("region", { name: "已出具的志愿服务证明" });
    await issued.getByLabel("撤销原因（撤销时必填，志愿者会看到）").fill("时长记录有误");
    await issued.getByRole("button", { name: `撤销证明 ${certificateNumber}` }).click();
    await issued.getByRole("button", { name: "确定撤销" }).click();
    await issued.getByText(`${certificateNumber} · 已撤销`).waitFor();
    await expectNoAxeViolations(issuer.page, "staff certificates");
    expect(issuer.problems).toEqual([]);
    await issuer.context.close();
    await anyone.page.goto(`/verify/${certificateNumber}`);
    await anyone.page.getByRole("heading", { level: 2, name: "证明已撤销" }).waitFor();
    await anyone.context.close();
    // The one refusal is the wrong code typed on purpose (Chromium logs the 400).
    expect(volunteer.problems).toEqual([
      "Failed to load resource: the server responded with a status of 400 (Bad Request)",
    ]);
    await volunteer.context.close();
  });
});

describe("evaluating volunteers", () => {
  it("the association names whom 杨帆 served, her daughter rates it, his team evaluates him, the street assesses him, and he sees all three", async () => {
    const title = `陪同就医${randomPhone().slice(-5)}`;
    // The association enters his paper sign-in sheet and names the elder he accompanied.
    const staff = await openPage(browser, baseUrl);
    await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.socialOrgStaff]);
    await staff.page.goto("/staff/volunteer-work");
    const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    const paper = staff.page.getByRole("region", { name: "补录服务记录" });
    await paper.getByLabel("志愿者编号").fill("JZ2026-00001");
    await paper.getByLabel("服务内容").fill(title);
    await paper.getByLabel("日期").fill(yesterday);
    await paper.getByLabel("开始时间").fill("14:00");
    await paper.getByLabel("结束时间").fill("17:00");
    await paper.getByRole("button", { name: "提交记录" }).click();
    await paper.getByText("已为杨帆补录 3.0 小时，等待审核。").waitFor();
    const pending = staff.page.getByRole("listitem").filter({ hasText: title });
    await pending.getByText("服务对象：未登记").waitFor();
    await pending.getByRole("button", { name: "登记 杨帆 的服务对象" }).click();
    await pending.getByRole("radio", { name: "出生年份（没有手机号）" }).check();
    await pending.getByLabel("姓名").fill("张桂兰");
    await pending.getByLabel("出生年份", { exact: true }).fill("1941");
    await pending.getByRole("button", { name: "搜索" }).click();
    await pending.getByRole("button", { name: "选择 张桂兰 为服务对象" }).click();
    await pending.getByText("服务对象：张**").waitFor();
    await expectNoAxeViolations(staff.page, "staff volunteer work, person served");
    await pending.getByRole("button", { name: "认可杨帆的时长", exact: true }).click();
    await staff.page.getByRole("listitem").filter({ hasText: title }).waitFor({ state: "detached" });

    // Her daughter 李娜, who acts for her, rates the service on her phone in elder mode.
    const daughter = await openPage(browser, baseUrl, { width: 320, elderMode: true });
    await signInWithSession(daughter.context, baseUrl, sessions[DEMO_PHONES.resident]);
    await daughter.page.goto("/me");
    await daughter.page.getByRole("link", { name: "为收到的志愿服务评分" }).click();
    await daughter.page.getByRole("heading", { level: 1, name: "收到的志愿服务" }).waitFor();
    const service = daughter.page
      .getByRole("listitem")
      .filter({ has: daughter.page.getByRole("heading", { name: title }) });
    await service.getByText("服务对象：张桂兰").waitFor();
    await service.getByText("志愿者 杨*（JZ2026-00001）").waitFor();
    await expectNoAxeViolations(daughter.page, "services received (elder mode)", { enhancedContrast: true });
    expect(await scrollWidth(daughter.page)).toBeLessThanOrEqual(320);
    const scores = service.locator("label.choice");
    expect(await scores.count()).toBe(5);
    for (const box of await Promise.all((await scores.all()).map((c) => c.boundingBox()))) {
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(60);
    }
    await service.getByRole("button", { name: "提交评分" }).click();
    await service.getByText("请选择 1 到 5 分").waitFor();
    await service.getByRole("radio", { name: "5 很好" }).check();
    await service.getByLabel("想说的话").fill("小杨很细心，一路扶着我妈。");
    await service.getByRole("button", { name: "提交评分" }).click();
    await service.getByText("谢谢您的评分。").waitFor();
    await service.getByRole("img", { name: "5 星（满分 5 星）" }).waitFor();
    expect(await service.getByRole("button", { name: "提交评分" }).count()).toBe(0);
    expect(daughter.problems).toEqual([]);
    await daughter.context.close();

    // The association evaluates him as a member of its elder-care team for this quarter.
    await staff.page.goto("/staff");
    await staff.page.getByRole("link", { name: /志愿服务队/ }).click();
    await staff.page.getByRole("link", { name: "评价“金钟街助老志愿服务队”的队员" }).click();
    await staff.page.getByRole("heading", { level: 1, name: "评价队员：金钟街助老志愿服务队" }).waitFor();
    const member = staff.page.getByRole("listitem").filter({ has: staff.page.getByRole("heading", { name: /杨帆/ }) });
    for (const [part, score] of [
      ["守时", "4 好"],
      ["态度", "5 很好"],
      ["技能", "4 好"],
    ] as const) {
      await member.getByRole("group", { name: part }).getByRole("radio", { name: score }).check();
    }
    await member.getByLabel("评语").fill("守时可靠，会用手机帮老人挂号。");
    await member.getByRole("button", { name: "保存对 杨帆 的评价" }).click();
    await member.getByText("已保存对 杨帆 的评价。").waitFor();
    await expectNoAxeViolations(staff.page, "team evaluation");
    expect(staff.problems).toEqual([]);
    await staff.context.close();

    // The street computes this year's assessment (provisional: the year is not over).
    const year = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4);
    const admin = await openPage(browser, baseUrl);
    await signInWithSession(admin.context, baseUrl, sessions[DEMO_PHONES.streetAdmin]);
    await admin.page.goto(`/staff/assessments?period=${year}`);
    await admin.page.getByRole("heading", { level: 1, name: "志愿者考核" }).waitFor();
    await admin.page.getByRole("button", { name: `计算 ${year} 年 考核` }).click();
    await admin.page.getByText(/^已计算，共 \d+ 人。$/).waitFor();
    const row = admin.page.getByRole("row").filter({ hasText: "JZ2026-00001" });
    await row.getByText("杨帆").waitFor();
    await admin.page.getByText(/考核期尚未结束，结果为暂定。/).waitFor();
    await admin.page.getByRole("button", { name: "保存权重" }).waitFor();
    await expectNoAxeViolations(admin.page, "staff assessments");
    expect(admin.problems).toEqual([]);
    await admin.context.close();

    // 杨帆 sees the assessment, his team's evaluation and the family's words (not whom they came from).
    const volunteer = await openPage(browser, baseUrl, { width: 320 });
    await signInWithSession(volunteer.context, baseUrl, sessions[DEMO_PHONES.volunteer]);
    await volunteer.page.goto("/volunteer");
    await volunteer.page.getByRole("link", { name: "我的评价与考核" }).click();
    await volunteer.page.getByRole("heading", { level: 1, name: "我的评价" }).waitFor();
    await volunteer.page.getByRole("heading", { level: 3, name: `${year} 年` }).waitFor();
    await volunteer.page.getByText("守时可靠，会用手机帮老人挂号。").waitFor();
    await volunteer.page.getByText("小杨很细心，一路扶着我妈。").waitFor();
    expect(await volunteer.page.getByText("张桂兰").count()).toBe(0);
    await expectNoAxeViolations(volunteer.page, "my evaluations");
    expect(await scrollWidth(volunteer.page)).toBeLessThanOrEqual(320);
    expect(volunteer.problems).toEqual([]);
    await volunteer.context.close();
  });
});

describe("a team leader on the day", () => {
  it("a volunteer made leader of the association's team shows the team shift's code from the shift list", async () => {
    // A resident registers as a volunteer (through the API: the page is covered above).
    const leader = await openPage(browser, baseUrl, { width: 320 });
    await signInByApi(leader.page, baseUrl, randomPhone());
    const realName = `孔队长${randomPhone().slice(-3)}`;
    await leader.page.request.patch("/api/me", { data: { displayName: realName, ...DEXIANGLI } });
    const applied = await leader.page.request.post("/api/volunteers/me", {
      data: {
        realName,
        idNumber: randomIdNumber(bornYearsAgo(35)),
        communityId: DEXIANGLI.communityId,
        emergencyName: "孔母",
        emergencyPhone: "13912345678",
        emergencyRelationship: "parent",
        agreeToCode: true,
      },
    });
    expect(applied.status()).toBe(201);
    const { volunteer } = (await applied.json()) as { volunteer: { id: string } };
    const community = await openPage(browser, baseUrl);
    await signInWithSession(community.context, baseUrl, sessions[DEMO_PHONES.communityStaff]);
    expect(
      (await community.page.request.post(`/api/staff/volunteers/${volunteer.id}/approve`, { data: {} })).status(),
    ).toBe(200);
    await community.context.close();

    // The association accepts them into its team, makes them a leader, and publishes a team shift.
    const team = "vtm_demo_elder_care";
    const joined = await leader.page.request.post(`/api/volunteer-teams/${team}/join`);
    expect(joined.status()).toBe(201);
    const { myMembership } = (await joined.json()) as { myMembership: { id: string } };
    const staff = await openPage(browser, baseUrl);
    await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.socialOrgStaff]);
    const member = `/api/volunteer-teams/${team}/members/${myMembership.id}`;
    expect((await staff.page.request.post(`${member}/decision`, { data: { decision: "approve" } })).status()).toBe(200);
    expect((await staff.page.request.post(`${member}/role`, { data: { role: "leader" } })).status()).toBe(200);
    const title = `助老队例行探访${randomPhone().slice(-4)}`;
    const offering = await staff.page.request.post("/api/offerings", {
      data: {
        organisationId: "org_jinzhong_volunteers",
        kind: "volunteer_shift",
        title,
        teamId: team,
        waitlist: false,
      },
    });
    expect(offering.status()).toBe(201);
    const { id: offeringId } = (await offering.json()) as { id: string };
    const startsAt = Date.now() + 2 * 3_600_000;
    const slot = await staff.page.request.post(`/api/offerings/${offeringId}/slots`, {
      data: { startsAt, endsAt: startsAt + 2 * 3_600_000, capacity: 4 },
    });
    expect(slot.status()).toBe(201);
    await staff.context.close();

    // On the day, the leader opens the shift list on a phone and shows the code.
    const page = leader.page;
    await page.goto("/volunteer/shifts");
    const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: title }) });
    await item.getByText("您是这个服务队的队长：到场后出示签到码，队员用它签到、签退。").waitFor();
    await item.getByRole("button", { name: `显示“${title}”的签到码` }).click();
    const code = (await item.locator(".check-in-code__value [aria-hidden]").textContent())?.trim() ?? "";
    expect(code).toMatch(/^\d{6}$/);
    await expectNoAxeViolations(page, "shift list, leader's code");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    expect(leader.problems).toEqual([]);
    await leader.context.close();
  });
});
