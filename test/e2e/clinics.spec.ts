import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PHONES } from "./global-setup";
import { expectNoAxeViolations, launchBrowser, openPage, scrollWidth, signInByApi, signInWithSession } from "./helpers";

const baseUrl = inject("baseUrl");
const sessions = inject("sessions");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const CENTRE = "金钟街社区卫生服务中心";

describe("clinics and tele-consultations", () => {
  it("a daughter books an online consultation for her mother with consent and sees the room once the clinic confirms", async () => {
    // 李娜 acts for her mother 张桂兰.
    const daughter = await openPage(browser, baseUrl, { width: 320 });
    await signInWithSession(daughter.context, baseUrl, sessions[DEMO_PHONES.resident]);
    const page = daughter.page;
    await page.goto("/");
    await page.getByRole("link", { name: /社区医疗/ }).click();
    await page.getByRole("heading", { level: 1, name: "社区医疗" }).waitFor();
    await expectNoAxeViolations(page, "clinics");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    await page
      .getByRole("link", { name: new RegExp(CENTRE) })
      .first()
      .click();
    await page.getByRole("heading", { level: 1, name: CENTRE }).waitFor();
    await page.getByRole("heading", { level: 3, name: "全科" }).waitFor();
    await expectNoAxeViolations(page, "clinic page");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);

    await page.getByRole("link", { name: "线上问诊 林卫东" }).click();
    await page.getByRole("heading", { level: 1, name: /林卫东/ }).waitFor();
    await page.getByRole("radio", { name: "张桂兰" }).check();
    await page.getByText("为 张桂兰 预约").waitFor();
    await page.waitForURL(/person=/);
    await page
      .getByRole("link", { name: /^预约 / })
      .first()
      .click();
    // No place for symptoms in the booking form: they come after, with consent.
    await page.getByText("预约后，可以在预约详情里向医生描述症状", { exact: false }).waitFor();
    expect(await page.getByLabel("备注", { exact: false }).count()).toBe(0);
    await page.getByRole("button", { name: "下一步：核对信息" }).click();
    await page.getByRole("button", { name: "确认预约" }).click();
    await page.getByText("预约已提交，等待机构确认。").waitFor();
    const bookingId = page.url().split("/bookings/")[1]?.split(/[?#]/)[0] ?? "";
    expect(bookingId).not.toBe("");

    // Consent first; then the description for the doctor.
    const section = page.getByRole("region", { name: "线上问诊" });
    await section.getByText("同意保存健康信息").waitFor();
    expect(await section.getByLabel("症状描述").count()).toBe(0);
    await section.getByText("卫生服务站确认后，这里会显示线上诊室入口。").waitFor();
    await expectNoAxeViolations(page, "tele-consultation before consent");
    await section.getByRole("button", { name: "我同意" }).click();
    await section.getByLabel("症状描述").fill("头晕一周，早上量血压 150/95。");
    await section.getByRole("button", { name: "保存描述" }).click();
    await section.getByText("已保存，医生会在问诊前看到。").waitFor();
    expect(await section.getByRole("link", { name: "进入线上诊室" }).count()).toBe(0);
    await expectNoAxeViolations(page, "tele-consultation with symptoms");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);

    // 林卫东, the doctor (also the centre's staff), reads it and confirms the booking.
    const doctor = await openPage(browser, baseUrl);
    const dp = doctor.page;
    await dp.goto("/");
    await signInByApi(dp, baseUrl, "13900000008");
    const booking = (await (await dp.request.get(`/api/bookings/${bookingId}`)).json()) as { slot: { id: string } };
    await dp.goto("/staff/clinic");
    const consultations = dp.getByRole("region", { name: "我的线上问诊" });
    await consultations.getByText("头晕一周，早上量血压 150/95。").waitFor();
    await expectNoAxeViolations(dp, "doctor's consultations and clinic admin");
    await dp.goto(`/staff/slots/${booking.slot.id}`);
    await dp.getByRole("button", { name: /^确认/ }).first().click();
    await dp.getByText("已预约", { exact: true }).first().waitFor();

    // Now the daughter sees the room.
    await page.reload();
    const room = page.getByRole("region", { name: "线上问诊" }).getByRole("link", { name: "进入线上诊室" });
    await room.waitFor();
    expect(await room.getAttribute("href")).toBe("https://meeting.tencent.com/dm/jzhc-lin");

    // She withdraws the consent: the description is gone, for the doctor too.
    await page.getByRole("button", { name: "撤回同意并删除描述" }).click();
    await page.getByRole("button", { name: "撤回同意并删除描述" }).click();
    await page.getByRole("button", { name: "我同意" }).waitFor();
    const after = (await (await dp.request.get(`/api/teleconsults/${bookingId}`)).json()) as {
      symptoms: string | null;
    };
    expect(after.symptoms).toBeNull();

    for (const opened of [daughter, doctor]) {
      expect(opened.problems).toEqual([]);
      await opened.context.close();
    }
  });

  it("an elder asks to sign with a family doctor, in elder mode on a small phone", async () => {
    const elder = await openPage(browser, baseUrl, { width: 320, elderMode: true });
    await signInWithSession(elder.context, baseUrl, sessions[DEMO_PHONES.elder]);
    const page = elder.page;
    await page.goto("/clinics");
    await page.getByRole("link", { name: /德翔里社区卫生服务站/ }).click();
    await page.getByRole("heading", { level: 2, name: "家庭医生签约" }).waitFor();
    await page.getByLabel("备注（如方便联系的时间）").fill("工作日上午方便接电话");
    await page.getByRole("button", { name: "申请签约" }).click();
    await page.getByText("已提交签约申请，等待卫生服务站确认。").waitFor();
    await page.getByText("待确认", { exact: true }).waitFor();
    await expectNoAxeViolations(page, "family-doctor request (elder mode)", { enhancedContrast: true });
    expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    expect(elder.problems).toEqual([]);
    await elder.context.close();
  });
});
