import { readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DEMO_PHONES } from "./global-setup";
import {
  createOwnOffering,
  expectNoAxeViolations,
  launchBrowser,
  newElderlyResident,
  type OpenedPage,
  openPage,
  scrollWidth,
  signInWithSession,
  writeQrVideo,
} from "./helpers";

const baseUrl = inject("baseUrl");
const sessions = inject("sessions");
let browser: Browser;

/** Seed data (db/seed/demo.ts, db/seed/care.ts). */
const MOTHER = { id: "per_zhang_guilan", name: "张桂兰" };
const STATION_DAY_CARE = "off_dexiangli_station_day_care";
const MOTHER_DAY_CARE = "bkg_demo_zhang_day_care";
/** 王秀英's confirmed bathing at 金钟街综合养老服务中心, the organisation 郑小红 works for. */
const WANG_BATHING = { id: "bkg_demo_wang_bathing", code: "WX5BTH", phone: "13900000013" };
/** 张桂兰's home visit from the same centre: waiting for confirmation, nobody assigned yet. */
const ZHANG_HOME_VISIT = {
  id: "bkg_demo_zhang_home_visit",
  address: "天津市东丽区金钟街德翔里一区5号楼2门301",
  needs: "换洗床单被罩，陪老人聊聊天。",
};
/** 刘德福 has no phone: staff find him by his exact name and birth year. His home visit is 郑小红's. */
const LIU = { name: "刘德福", birthYear: "1938" };
/** 王秀英 has her own account (elder mode); 金钟街综合养老服务中心's rehabilitation sessions. */
const WANG = { personId: "per_demo_resident_elder", name: "王秀英" };
const CENTRE_REHABILITATION = "off_jinzhong_centre_rehabilitation";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Who works for 金钟街综合养老服务中心: its admin (DEMO_PHONES.elderlyAdmin) and staff (elderlyStaff). */
const COLLEAGUES = { admin: "吴静", staff: "郑小红" };

/** The Shanghai date (YYYY-MM-DD) of an instant, as the staff slot pages take it. */
const shanghaiDate = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);

/** The text of a select's chosen option. */
const selectedLabel = (select: Locator) =>
  select.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent ?? "");

/** The staff page of the slot the seeded home visits share. */
async function homeVisitSlotPath(): Promise<string> {
  const probe = await fetch(`${baseUrl}/api/bookings/${ZHANG_HOME_VISIT.id}`, {
    headers: { cookie: `linli_session=${sessions[DEMO_PHONES.elderlyAdmin]}` },
  });
  const { slot } = (await probe.json()) as { slot: { id: string; startsAt: number } };
  return `/staff/slots/${slot.id}?date=${shanghaiDate(slot.startsAt)}`;
}

/** The task notice the account with this phone was sent when assigned to `personName`'s booking. */
async function assignedTask(phone: string, personName: string) {
  const inbox = await fetch(`${baseUrl}/api/notifications`, {
    headers: { cookie: `linli_session=${sessions[phone]}` },
  });
  const { notifications } = (await inbox.json()) as { notifications: Array<{ kind: string; body: string }> };
  return notifications.find((n) => n.kind === "booking_assigned" && n.body.startsWith(personName));
}

/**
 * The centre's staff at the door with a phone whose camera sees `qrText` as a QR code: their
 * check-in page, scanning started, for `journey` to follow.
 */
async function scanAtTheDoor(
  qrText: string,
  journey: (opened: OpenedPage) => Promise<void>,
  { worker = "real" }: { worker?: "real" | "blocked" | "silent" } = {},
) {
  const camera = path.join(os.tmpdir(), `linli-qr-${process.pid}-${Date.now()}.y4m`);
  writeQrVideo(camera, qrText);
  const withCamera = await launchBrowser({ camera });
  try {
    const opened = await openPage(withCamera, baseUrl);
    await signInWithSession(opened.context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    // As if the decoder's worker could not be had (e.g. the site was updated under the page), or
    // started and never answered.
    if (worker === "blocked") await opened.page.route(/qr-decode\.worker/, (route) => route.abort());
    if (worker === "silent") {
      await opened.page.route(/qr-decode\.worker/, (route) =>
        route.fulfill({ contentType: "text/javascript", body: "self.onmessage = () => {};" }),
      );
    }
    await opened.page.goto("/staff/check-in");
    await opened.page.getByRole("button", { name: "扫码签到" }).click();
    await journey(opened);
    await opened.context.close();
  } finally {
    await withCamera.close();
    rmSync(camera, { force: true });
  }
}

/** Everything the page (not its workers) has fetched: scripts, module preloads and the rest. */
function pageScripts(page: Page): Promise<string[]> {
  return page.evaluate(() => performance.getEntriesByType("resource").map((entry) => entry.name));
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe("booking elderly care", () => {
  it("the daughter books day care for her mother, finds it in her bookings and cancels it", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.resident]);

    await page.goto("/");
    await page.getByRole("link", { name: /^养老服务/ }).click();
    await page.getByRole("heading", { level: 1, name: "养老服务预约" }).waitFor();
    await expectNoAxeViolations(page, "services");
    await page
      .getByRole("region", { name: "日间照料" })
      .getByRole("link", { name: /德翔里社区养老服务驿站/ })
      .click();

    await page.getByRole("heading", { level: 1, name: "日间照料" }).waitFor();
    // Nothing can be booked until the person is chosen, explicitly.
    expect(await page.getByRole("link", { name: /^预约 / }).count()).toBe(0);
    await page.getByRole("radio", { name: MOTHER.name }).check();
    await page.getByText(`为 ${MOTHER.name} 预约`).waitFor();
    await page.waitForURL(new RegExp(`person=${MOTHER.id}`));
    // Her seeded booking shows on its day instead of a booking button.
    expect(await page.getByRole("link", { name: /^已预约，查看/ }).count()).toBe(1);
    await expectNoAxeViolations(page, "offering");

    const book = page.getByRole("link", { name: /^预约 / }).first();
    const when = ((await book.textContent()) ?? "").replace(/^预约\s*/, "");
    await book.click();
    await page.getByRole("heading", { level: 1, name: `为 ${MOTHER.name} 预约` }).waitFor();
    await page.getByLabel(/备注/).fill("第一次来，女儿陪同。");
    await page.getByRole("button", { name: "下一步：核对信息" }).click();
    await page.getByRole("heading", { name: "请核对后确认" }).waitFor();
    expect(await page.getByText(`为 ${MOTHER.name} 预约`).first().isVisible()).toBe(true);
    expect(await page.getByText("第一次来，女儿陪同。").isVisible()).toBe(true);
    await page.getByRole("button", { name: "确认预约" }).click();

    await page.waitForURL(/\/bookings\/bkg_/);
    const bookingId = new URL(page.url()).pathname.split("/").pop() ?? "";
    await page.getByText("预约成功。").waitFor();
    expect(await page.getByText(`为 ${MOTHER.name} 预约`).isVisible()).toBe(true);
    expect(await page.locator(".badge").first().textContent()).toBe("已预约");
    expect(await page.getByText(when).isVisible()).toBe(true);
    const code = (await page.locator(".check-in-code__value [aria-hidden]").textContent()) ?? "";
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    const qr = page.getByRole("img", { name: /签到码 .* 的二维码/ });
    await qr.waitFor();
    await page.waitForFunction(
      () => (document.querySelector(".check-in-code__qr") as HTMLImageElement)?.naturalWidth > 0,
    );
    await expectNoAxeViolations(page, "booking");

    // She made it herself, so nothing new is waiting in her inbox (the bell has no count).
    await page.getByRole("link", { name: "消息通知", exact: true }).waitFor();

    await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "预约" }).click();
    await page.getByRole("heading", { level: 1, name: "我的预约" }).waitFor();
    await page.getByLabel("服务对象").selectOption(MOTHER.id);
    await page.waitForURL(new RegExp(`person=${MOTHER.id}`));
    const item = page.locator(`a[href="/bookings/${bookingId}"]`);
    await item.waitFor();
    const text = (await item.textContent()) ?? "";
    expect(text).toContain(`为 ${MOTHER.name}`);
    expect(text).toContain("已预约");
    expect(await page.locator(`a[href="/bookings/${MOTHER_DAY_CARE}"]`).count()).toBe(1);
    await expectNoAxeViolations(page, "my bookings");

    await item.click();
    await page.getByRole("heading", { name: "取消预约" }).waitFor();
    expect(await page.getByText(/以前可以在网上取消/).isVisible()).toBe(true);
    await page.getByRole("button", { name: "取消预约" }).click();
    await page.getByRole("button", { name: "确定取消" }).click();
    await page.getByText(/^已取消。/).waitFor();
    expect(await page.locator(".badge").first().textContent()).toBe("已取消");
    const saved = await (await page.request.get(`/api/bookings/${bookingId}`)).json();
    expect(saved.status).toBe("cancelled");

    expect(problems).toEqual([]);
    await context.close();
  });

  it("a centre books 王秀英 in by phone: her bell counts it and her inbox words it, in Chinese and English", async () => {
    // 郑小红 takes her call and books a rehabilitation session for her (the staff API the
    // console's walk-in form uses).
    const staff = { cookie: `linli_session=${sessions[DEMO_PHONES.elderlyStaff]}` };
    const listed = await fetch(`${baseUrl}/api/offerings/${CENTRE_REHABILITATION}/slots`, { headers: staff });
    const { slots } = (await listed.json()) as { slots: Array<{ id: string; bookable: boolean; free: number }> };
    // (The last one: the walk-in journey below books her into the first.)
    const slot = slots.filter((s) => s.bookable && s.free > 0).at(-1);
    if (!slot) throw new Error("no bookable rehabilitation slot in the demo");
    const booked = await fetch(`${baseUrl}/api/bookings`, {
      method: "POST",
      headers: { ...staff, "content-type": "application/json" },
      body: JSON.stringify({ slotId: slot.id, personId: WANG.personId, channel: "phone" }),
    });
    expect(booked.status).toBe(201);
    const { code } = (await booked.json()) as { code: string };

    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elder]);
    await page.goto("/");
    await page.getByRole("link", { name: /^消息通知，\d+ 条未读$/ }).click();
    await page.getByRole("heading", { level: 1, name: "消息通知" }).waitFor();
    // (The demo's earlier bookings left notices too, already read: find this booking's by its code.)
    const chineseNotice = page.locator(".notice-item").filter({ hasText: code });
    expect(await chineseNotice.locator(".list__title").textContent()).toBe("预约成功");
    expect(await chineseNotice.locator("p").textContent()).toMatch(
      new RegExp(`^${WANG.name}：“康复护理训练”.*\\d{2}:\\d{2}，签到码 ${code}。$`),
    );
    await expectNoAxeViolations(page, "inbox, elder mode");

    // In English the notice is worded from its params; the offering's own title stays as named.
    const switchLanguage = async (name: RegExp) => {
      const saved = page.waitForResponse((r) => r.url().endsWith("/api/me") && r.request().method() === "PATCH");
      await page.getByRole("button", { name }).click();
      expect((await saved).ok()).toBe(true);
    };
    await switchLanguage(/^切换语言：\s*English$/);
    await page.getByRole("heading", { level: 1, name: "Notifications" }).waitFor();
    const englishNotice = page.locator(".notice-item").filter({ hasText: code });
    expect(await englishNotice.locator(".list__title").textContent()).toBe("Booked");
    const englishBody = (await englishNotice.locator("p").textContent()) ?? "";
    expect(englishBody).toMatch(
      new RegExp(`^${WANG.name}: “康复护理训练”, .*\\d{2}:\\d{2}\\. Check-in code ${code}\\.$`),
    );
    expect(await englishNotice.getByRole("button", { name: /^Mark as read\s*: Booked$/ }).isVisible()).toBe(true);
    await expectNoAxeViolations(page, "inbox, en, elder mode");
    await switchLanguage(/^Switch language:\s*中文$/);
    await page.getByRole("heading", { level: 1, name: "消息通知" }).waitFor();

    await page.getByRole("button", { name: "全部标为已读" }).click();
    await page.getByRole("link", { name: "消息通知", exact: true }).waitFor();

    // The staff member who booked it was told nothing.
    const staffInbox = await fetch(`${baseUrl}/api/notifications`, { headers: staff });
    const { notifications } = (await staffInbox.json()) as { notifications: Array<{ body: string }> };
    expect(notifications.filter((n) => n.body.includes(code))).toEqual([]);

    expect(problems).toEqual([]);
    await context.close();
  });

  it("staff of the organisation check a resident in by code, then see it on the slot's list", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);

    await page.goto("/staff");
    await page.getByRole("navigation", { name: "工作台栏目" }).getByRole("link", { name: "签到" }).click();
    await page.getByRole("heading", { level: 1, name: "签到" }).waitFor();
    await expectNoAxeViolations(page, "staff check-in");

    const codeField = page.getByLabel("签到码");
    const submit = page.getByRole("button", { name: "签到", exact: true });
    // A code of another organisation's booking is not found here.
    await codeField.fill("ZG3DCA");
    await submit.click();
    await page.getByText(/没有找到这个签到码/).waitFor();

    // Check-in opens 2 hours before a slot: tomorrow's bathing cannot be checked in yet…
    await codeField.fill(WANG_BATHING.code);
    await submit.click();
    await page.getByText(/现在不能签到/).waitFor();
    // The server's English words go in the small print for whoever helps, not beside the Chinese.
    const english = page.getByText(/Check-in opens at/);
    expect(await english.getAttribute("class")).toBe("alert__meta");
    expect(await english.textContent()).toMatch(/^技术信息（供工作人员参考）：Check-in opens at/);
    await expectNoAxeViolations(page, "staff check-in too early");

    // …so move the seeded bathing slot to start soon.
    const seeded = await (await page.request.get(`/api/bookings/${WANG_BATHING.id}`)).json();
    const soon = Math.ceil((Date.now() + 30 * 60_000) / 60_000) * 60_000;
    const moved = await page.request.patch(`/api/slots/${seeded.slot.id}`, {
      data: { startsAt: soon, endsAt: soon + 60 * 60_000 },
    });
    expect(moved.status()).toBe(200);

    await codeField.fill(WANG_BATHING.code.toLowerCase());
    await submit.click();
    await page.getByRole("heading", { name: "王秀英 已签到" }).waitFor();
    expect(await codeField.inputValue()).toBe("");

    const booking = await (await page.request.get(`/api/bookings/${WANG_BATHING.id}`)).json();
    expect(booking.status).toBe("checked_in");
    const date = new Date(booking.slot.startsAt + 8 * 3_600_000).toISOString().slice(0, 10);
    await page.goto(`/staff/slots?date=${date}`);
    // By its own link: on Tuesdays and Thursdays the day also has the seeded 09:00 bathing session.
    await page.locator(`a[href^="/staff/slots/${booking.slot.id}"]`).click();
    await page.getByRole("heading", { level: 1, name: "助浴服务" }).waitFor();
    const row = page.getByRole("listitem").filter({ hasText: "王秀英" });
    expect(await row.locator(".badge").textContent()).toBe("已签到");
    expect(await row.getByText("139****0013").isVisible()).toBe(true);
    await row.getByRole("button", { name: /显示号码/ }).click();
    const number = row.getByRole("link", { name: WANG_BATHING.phone });
    await number.waitFor();
    // The number takes the focus its button had.
    await expect.poll(() => number.evaluate((a) => a === document.activeElement)).toBe(true);
    expect(await row.getByText("已记入审计日志。").isVisible()).toBe(true);
    await expectNoAxeViolations(page, "staff slot");

    // Chromium logs the expected 404 (the other organisation's code) and 409 (too early).
    expect(problems).toEqual([
      "Failed to load resource: the server responded with a status of 404 (Not Found)",
      "Failed to load resource: the server responded with a status of 409 (Conflict)",
    ]);
    await context.close();
  });

  it("staff scan a resident's check-in QR code with the phone's camera", async () => {
    const resident = await openPage(browser, baseUrl);
    const { name, personId } = await newElderlyResident(resident.page, baseUrl);
    await resident.context.close();
    const staff = await openPage(browser, baseUrl);
    await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    // The centre's own new service (no other journey lists it), a session in half an hour.
    const offeringId = await createOwnOffering(staff.page, {
      title: `理发服务${Date.now() % 10_000}`,
      category: "check_up",
    });
    const soon = Math.ceil((Date.now() + 30 * MINUTE) / MINUTE) * MINUTE;
    const created = await staff.page.request.post(`/api/offerings/${offeringId}/slots`, {
      data: { startsAt: soon, endsAt: soon + HOUR, capacity: 2 },
    });
    expect(created.status()).toBe(201);
    const slot = (await created.json()) as { id: string };
    const booked = await staff.page.request.post("/api/bookings", {
      data: { slotId: slot.id, personId, channel: "walk_in" },
    });
    expect(booked.status()).toBe(201);
    const booking = (await booked.json()) as { id: string; code: string };
    // A device without a camera says so, and the code can still be typed.
    await staff.page.goto("/staff/check-in");
    await staff.page.getByRole("button", { name: "扫码签到" }).click();
    await staff.page
      .getByRole("alert")
      .filter({ hasText: /摄像头/ })
      .waitFor();
    await expectNoAxeViolations(staff.page, "staff check-in without a camera");
    await staff.page.getByRole("button", { name: "关闭扫码" }).click();
    await staff.page.getByLabel("签到码").waitFor();
    expect(staff.problems).toEqual([]);
    await staff.context.close();

    // Her phone, held up to the staff's camera, shows the booking's QR code.
    try {
      await scanAtTheDoor(booking.code, async ({ page, problems }) => {
        await page.getByRole("heading", { name: `${name} 已签到` }).waitFor();
        expect(await page.getByLabel("签到码").inputValue()).toBe("");
        const after = (await (await page.request.get(`/api/bookings/${booking.id}`)).json()) as { status: string };
        expect(after.status).toBe("checked_in");
        // The camera is off again; the next scan is one tap away, and has the focus.
        expect(await page.locator("video").count()).toBe(0);
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("扫码签到");
        await expectNoAxeViolations(page, "staff check-in after a scan");

        // The same code scanned again is refused, with the reason.
        await page.getByRole("button", { name: "扫码签到" }).click();
        await page.getByText(/现在不能签到/).waitFor();
        expect(problems).toEqual(["Failed to load resource: the server responded with a status of 409 (Conflict)"]);
      });
    } finally {
      // Archived whatever happened: the journeys after this one share the centre's data.
      const admin = await openPage(browser, baseUrl);
      await signInWithSession(admin.context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
      expect((await admin.page.request.post(`/api/offerings/${offeringId}/archive`, { data: {} })).status()).toBe(200);
      await admin.context.close();
    }
  });

  it("a QR code that is not a check-in code is looked past, with a word on what to scan", async () => {
    await scanAtTheDoor("https://example.com/", async ({ page, problems }) => {
      await page.getByRole("alert").filter({ hasText: "扫到的二维码不是签到码" }).waitFor();
      // Still looking: the camera stays on for the right code.
      expect(await page.locator("video").count()).toBe(1);
      await expectNoAxeViolations(page, "staff scanning, a QR code that is not a check-in code");
      // Decoded in a Web Worker, off the page's thread: the page itself never loaded jsQR.
      expect(page.workers().map((worker) => worker.url())).toEqual([expect.stringMatching(/qr-decode\.worker/)]);
      expect(await pageScripts(page)).not.toContainEqual(expect.stringMatching(/jsqr/i));
      await page.getByRole("button", { name: "关闭扫码" }).click();
      await page.getByRole("button", { name: "扫码签到" }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("扫码签到");
      expect(problems).toEqual([]);
    });
  });

  it.each([
    ["cannot be loaded", "blocked"],
    ["never answers", "silent"],
  ] as const)("when the decoder's worker %s, the page decodes the codes itself", async (_label, worker) => {
    await scanAtTheDoor(
      "https://example.com/",
      async ({ page, problems }) => {
        await page.getByRole("alert").filter({ hasText: "扫到的二维码不是签到码" }).waitFor();
        expect(await pageScripts(page)).toContainEqual(expect.stringMatching(/jsqr/i));
        await page.getByRole("button", { name: "关闭扫码" }).click();
        expect(problems).toEqual([]);
      },
      { worker },
    );
  });

  it("once a session has started, staff mark someone who came but was not scanned as completed", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    // A bathing session that began half an hour ago, with 王秀英 booked at the desk (bathing: the
    // walk-in journey below books her for rehabilitation and must not meet this slot).
    const seeded = (await (await page.request.get(`/api/bookings/${WANG_BATHING.id}`)).json()) as {
      offering: { id: string };
    };
    const started = Math.floor((Date.now() - 30 * 60_000) / 60_000) * 60_000;
    const created = await page.request.post(`/api/offerings/${seeded.offering.id}/slots`, {
      data: { startsAt: started, endsAt: started + 2 * 3_600_000, capacity: 4 },
    });
    expect(created.status()).toBe(201);
    const slot = (await created.json()) as { id: string };
    const booked = await page.request.post("/api/bookings", {
      data: { slotId: slot.id, personId: WANG.personId, channel: "walk_in" },
    });
    expect(booked.status()).toBe(201);
    const booking = (await booked.json()) as { id: string; status: string };
    if (booking.status === "pending") {
      expect((await page.request.post(`/api/bookings/${booking.id}/confirm`)).status()).toBe(200);
    }

    await page.goto(`/staff/slots/${slot.id}?date=${shanghaiDate(started)}`);
    const row = page.getByRole("listitem").filter({ hasText: WANG.name });
    // Still checkable in, and now also completed or a no-show.
    for (const action of ["签到", "完成", "未到"]) {
      await row.getByRole("button", { name: `${action} ${WANG.name}` }).waitFor();
    }
    await expectNoAxeViolations(page, "staff slot under way");
    await row.getByRole("button", { name: `完成 ${WANG.name}` }).click();
    await row.locator(".badge", { hasText: "已完成" }).waitFor();
    expect(await row.getByRole("button", { name: `未到 ${WANG.name}` }).count()).toBe(0);
    const after = (await (await page.request.get(`/api/bookings/${booking.id}`)).json()) as { status: string };
    expect(after.status).toBe("completed");

    // Staff looking at the completed booking are not offered to rate it (only she or her proxy can).
    await page.goto(`/bookings/${booking.id}`);
    await page.getByText("服务已完成。", { exact: true }).waitFor();
    expect(await page.getByRole("heading", { name: "服务评价" }).count()).toBe(0);

    // Tomorrow's session: nothing to record yet, and no check-in until two hours before it.
    const tomorrow = started + 24 * 3_600_000;
    const later = await page.request.post(`/api/offerings/${seeded.offering.id}/slots`, {
      data: { startsAt: tomorrow, endsAt: tomorrow + 2 * 3_600_000, capacity: 4 },
    });
    const laterSlot = (await later.json()) as { id: string };
    const next = await page.request.post("/api/bookings", {
      data: { slotId: laterSlot.id, personId: WANG.personId, channel: "walk_in" },
    });
    expect(next.status()).toBe(201);
    const nextBooking = (await next.json()) as { id: string; status: string };
    if (nextBooking.status === "pending") {
      expect((await page.request.post(`/api/bookings/${nextBooking.id}/confirm`)).status()).toBe(200);
    }
    // An address with another day (bookmarked, sent on) opens the slot's own day.
    await page.goto(`/staff/slots/${laterSlot.id}?date=${shanghaiDate(tomorrow - 2 * 24 * 3_600_000)}`);
    await page.waitForURL((url) => url.searchParams.get("date") === shanghaiDate(tomorrow));
    const nextRow = page.getByRole("listitem").filter({ hasText: WANG.name });
    await nextRow.getByRole("button", { name: "取消预约" }).waitFor();
    for (const action of ["签到", "完成", "未到"]) {
      expect(await nextRow.getByRole("button", { name: `${action} ${WANG.name}` }).count()).toBe(0);
    }
    // Asked twice; "返回" keeps it, "确定取消" cancels it.
    await nextRow.getByRole("button", { name: "取消预约" }).click();
    await nextRow.getByRole("button", { name: "返回" }).click();
    await nextRow.getByRole("button", { name: "取消预约" }).click();
    await nextRow.getByRole("button", { name: "确定取消" }).click();
    await nextRow.locator(".badge", { hasText: "已取消" }).waitFor();
    expect(problems).toEqual([]);
    await context.close();

    // She reads who cancelled it, not as if she had.
    const wang = await openPage(browser, baseUrl);
    await signInWithSession(wang.context, baseUrl, sessions[DEMO_PHONES.elder]);
    await wang.page.goto(`/bookings/${nextBooking.id}`);
    await wang.page.getByText(/^服务机构已于 .+ 取消这个预约。如有疑问，请联系服务机构。$/).waitFor();
    expect(wang.problems).toEqual([]);
    await wang.context.close();
  });

  it("a service's page left open shows the book button when booking opens, with the places read again", async () => {
    const staff = await openPage(browser, baseUrl);
    await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    // The centre's own new service, bookable from one day before: its one slot opens in 5 minutes.
    const offeringId = await createOwnOffering(staff.page, {
      title: `助浴加场${Date.now() % 10_000}`,
      category: "bathing",
      opensDaysBefore: 1,
    });
    const startsAt = Math.ceil((Date.now() + DAY + 5 * MINUTE) / MINUTE) * MINUTE;
    const created = await staff.page.request.post(`/api/offerings/${offeringId}/slots`, {
      data: { startsAt, endsAt: startsAt + HOUR, capacity: 3 },
    });
    expect(created.status()).toBe(201);
    await staff.context.close();

    const { context, page, problems } = await openPage(browser, baseUrl);
    await newElderlyResident(page, baseUrl);
    await page.clock.install();
    await page.goto(`/services/${offeringId}`);
    const slot = page.locator(".slot");
    await slot.getByText("开放预约").waitFor();
    expect(await slot.getByRole("link", { name: /^预约/ }).count()).toBe(0);
    let slotReads = 0;
    page.on("request", (r) => {
      if (r.url().endsWith(`/api/offerings/${offeringId}/slots`)) slotReads++;
    });

    await page.clock.fastForward(6 * MINUTE);
    await slot.getByRole("link", { name: /^预约/ }).waitFor();
    await slot.getByText("剩余 3 个名额").waitFor();
    expect(slotReads).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("calling a slot off from its page leaves the focus on the word that it was called off", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    // The centre's own new service (no other journey lists it), one slot tomorrow.
    const offeringId = await createOwnOffering(page, { title: `理发${Date.now() % 10_000}`, category: "check_up" });
    const startsAt = Math.ceil((Date.now() + DAY) / MINUTE) * MINUTE;
    const created = await page.request.post(`/api/offerings/${offeringId}/slots`, {
      data: { startsAt, endsAt: startsAt + HOUR, capacity: 2 },
    });
    expect(created.status()).toBe(201);
    const slot = (await created.json()) as { id: string };
    await page.goto(`/staff/slots/${slot.id}?date=${shanghaiDate(startsAt)}`);
    await page.getByRole("button", { name: "取消这个时段" }).click();
    await page.getByRole("button", { name: "确定取消时段" }).click();
    await page.getByText("时段已取消，已通知相关居民。").waitFor();
    expect(await page.getByRole("heading", { name: "取消这个时段" }).count()).toBe(0);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ""))
      .toBe("时段已取消，已通知相关居民。");
    expect((await page.request.post(`/api/offerings/${offeringId}/archive`, { data: {} })).status()).toBe(200);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a slot's page left open follows the clock: check-in opens, then outcomes, then nothing to cancel", async () => {
    const resident = await openPage(browser, baseUrl);
    const { name, personId } = await newElderlyResident(resident.page, baseUrl);
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    // The centre's own new service (no other journey lists it), cancellable online until an hour
    // before, with a session in 2 h 5 min: check-in opens in 5 minutes, cancelling closes in 65.
    const offeringId = await createOwnOffering(page, {
      title: `体检加场${Date.now() % 10_000}`,
      category: "check_up",
      cancelCutoffHours: 1,
    });
    const startsAt = Math.ceil((Date.now() + 2 * HOUR + 5 * MINUTE) / MINUTE) * MINUTE;
    const created = await page.request.post(`/api/offerings/${offeringId}/slots`, {
      data: { startsAt, endsAt: startsAt + HOUR, capacity: 2 },
    });
    expect(created.status()).toBe(201);
    const slot = (await created.json()) as { id: string };
    const booked = await page.request.post("/api/bookings", {
      data: { slotId: slot.id, personId, channel: "walk_in" },
    });
    expect(booked.status()).toBe(201);
    const booking = (await booked.json()) as { id: string; status: string };
    if (booking.status === "pending") {
      expect((await page.request.post(`/api/bookings/${booking.id}/confirm`)).status()).toBe(200);
    }

    // The page's clock runs from now; nothing reloads it below.
    await page.clock.install();
    await page.goto(`/staff/slots/${slot.id}?date=${shanghaiDate(startsAt)}`);
    const row = page.getByRole("listitem").filter({ hasText: name });
    const button = (label: string) => row.getByRole("button", { name: `${label} ${name}` });
    await row.getByRole("button", { name: "取消预约" }).waitFor();
    expect(await button("签到").count()).toBe(0);

    await page.clock.fastForward(6 * MINUTE);
    await button("签到").waitFor();
    expect(await button("完成").count()).toBe(0);

    await page.clock.fastForward(2 * HOUR);
    await button("完成").waitFor();
    await button("未到").waitFor();
    expect(await button("签到").count()).toBe(1);

    // Over: the outcome is still to record, but nothing is checked in or cancelled any more —
    // and the focus, on the cancel button when it went, goes to her name and status.
    await row.getByRole("button", { name: "取消预约" }).focus();
    await page.clock.fastForward(HOUR);
    await row.locator(".badge", { hasText: "待机构登记" }).waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ""))
      .toMatch(new RegExp(`^${name}.*待机构登记`));
    expect(await button("签到").count()).toBe(0);
    expect(await row.getByRole("button", { name: "取消预约" }).count()).toBe(0);
    expect(await page.getByRole("heading", { name: "取消这个时段" }).count()).toBe(0);
    await button("完成").waitFor();
    expect((await page.request.post(`/api/offerings/${offeringId}/archive`, { data: {} })).status()).toBe(200);
    expect(problems).toEqual([]);
    await context.close();

    // Her booking's page, left open on her phone: cancelling online closes at the cut-off, and
    // the whole section goes when the service has ended.
    const mine = resident.page;
    await mine.clock.install();
    await mine.goto(`/bookings/${booking.id}`);
    // She has the confirmation open (its button has the focus) when the cut-off passes: the
    // focus goes to the reason, not to nowhere.
    await mine.getByRole("button", { name: "取消预约" }).click();
    await expect.poll(() => mine.evaluate(() => document.activeElement?.textContent)).toBe("确定取消");
    await mine.clock.fastForward(70 * MINUTE);
    const closed = mine.getByText(/^网上取消已于 .+ 截止。如需取消，请直接联系服务机构。$/);
    await closed.waitFor();
    expect(await mine.getByRole("button", { name: "取消预约" }).count()).toBe(0);
    expect(await closed.evaluate((p) => p === document.activeElement)).toBe(true);
    // The section goes when the service has ended, and the focus to what the booking is now.
    await mine.clock.fastForward(2 * HOUR);
    const ended = mine.getByText("这次服务已结束，服务机构会登记是否到场。");
    await ended.waitFor();
    expect(await mine.getByRole("heading", { name: "取消预约" }).count()).toBe(0);
    await expect.poll(() => ended.evaluate((p) => p === document.activeElement)).toBe(true);
    expect(resident.problems).toEqual([]);
    await resident.context.close();
  });

  it("focus a resident moved away herself is left where she put it when the cut-off removes the button", async () => {
    const resident = await openPage(browser, baseUrl);
    const { personId } = await newElderlyResident(resident.page, baseUrl);
    const staff = await openPage(browser, baseUrl);
    await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    // Cancellable online until an hour before a session in two hours.
    const offeringId = await createOwnOffering(staff.page, {
      title: `体检加场${Date.now() % 10_000}`,
      category: "check_up",
      cancelCutoffHours: 1,
    });
    const startsAt = Math.ceil((Date.now() + 2 * HOUR + 5 * MINUTE) / MINUTE) * MINUTE;
    const created = await staff.page.request.post(`/api/offerings/${offeringId}/slots`, {
      data: { startsAt, endsAt: startsAt + HOUR, capacity: 2 },
    });
    expect(created.status()).toBe(201);
    const booked = await staff.page.request.post("/api/bookings", {
      data: { slotId: ((await created.json()) as { id: string }).id, personId, channel: "walk_in" },
    });
    expect(booked.status()).toBe(201);
    const booking = (await booked.json()) as { id: string };

    const { page, problems } = resident;
    await page.clock.install();
    await page.goto(`/bookings/${booking.id}`);
    await page.getByRole("button", { name: "取消预约" }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("确定取消");
    // She taps blank space: the focus leaves for nowhere, by her own hand.
    await page.mouse.click(2, 2);
    await expect.poll(() => page.evaluate(() => document.activeElement === document.body)).toBe(true);
    // A moment passes, as it would for her (the page notes the tap on its next tick), before the
    // clock jumps to the cut-off: a jump fires the timers it passes in no guaranteed order.
    await page.clock.runFor(100);
    await page.clock.fastForward(70 * MINUTE);
    await page.getByText(/^网上取消已于 .+ 截止。如需取消，请直接联系服务机构。$/).waitFor();
    expect(await page.getByRole("button", { name: "确定取消" }).count()).toBe(0);
    // Nothing pulled the focus back onto the page's text.
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    expect((await staff.page.request.post(`/api/offerings/${offeringId}/archive`, { data: {} })).status()).toBe(200);
    await staff.context.close();
    expect(problems).toEqual([]);
    await resident.context.close();
  });

  it("a resident whose phone's clock lags is told in words when the service is already over", async () => {
    const resident = await openPage(browser, baseUrl);
    const { personId } = await newElderlyResident(resident.page, baseUrl);
    const staff = await openPage(browser, baseUrl);
    await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    const offeringId = await createOwnOffering(staff.page, {
      title: `助浴加场${Date.now() % 10_000}`,
      category: "bathing",
    });
    // A session under way that ends in a few seconds, with her booked at the desk.
    const startsAt = Date.now() - 30 * MINUTE;
    const endsAt = Date.now() + 4_000;
    const created = await staff.page.request.post(`/api/offerings/${offeringId}/slots`, {
      data: { startsAt, endsAt, capacity: 2 },
    });
    expect(created.status()).toBe(201);
    const booked = await staff.page.request.post("/api/bookings", {
      data: { slotId: ((await created.json()) as { id: string }).id, personId, channel: "walk_in" },
    });
    expect(booked.status()).toBe(201);
    const booking = (await booked.json()) as { id: string };
    expect((await staff.page.request.post(`/api/offerings/${offeringId}/archive`, { data: {} })).status()).toBe(200);
    await staff.context.close();

    // Her phone thinks it is hours earlier, so the page still offers to cancel.
    const { page, problems } = resident;
    await page.clock.setFixedTime(startsAt - 3 * HOUR);
    await page.waitForTimeout(Math.max(0, endsAt - Date.now() + 500));
    await page.goto(`/bookings/${booking.id}`);
    await page.getByRole("button", { name: "取消预约" }).click();
    await page.getByRole("button", { name: "确定取消" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "这个预约现在不能取消了：服务已经结束，或者刚刚有了变化。请刷新页面查看最新情况。" })
      .waitFor();
    expect(problems).toEqual(["Failed to load resource: the server responded with a status of 409 (Conflict)"]);
    await resident.context.close();
  });

  it("staff schedule a holiday fortnight: holidays skipped, a make-up Saturday added, nothing doubled", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    const title = `假期助餐${Date.now() % 10_000}`;
    const offeringId = await createOwnOffering(page, { title, category: "meal" });
    await page.goto(`/staff/offerings/${offeringId}`);
    const form = page.getByRole("region", { name: "按周排班" });
    await form.waitFor();

    // A fortnight from a Monday some weeks ahead (a series cannot start in the past), laid out as
    // National Day 2027 was: the first Friday and the next Monday to Thursday off, that Saturday worked.
    let monday = Date.parse(`${shanghaiDate(Date.now() + 60 * DAY)}T12:00:00+08:00`);
    while (new Date(monday).getUTCDay() !== 1) monday += DAY;
    const day = (n: number) => shanghaiDate(monday + n * DAY);
    const long = (date: string) => {
      const [y, m, d] = date.split("-").map(Number);
      return `${y}年${m}月${d}日`;
    };
    async function fillDates() {
      await form.getByLabel("开始日期").fill(day(0));
      await form.getByLabel("结束日期").fill(day(13));
    }
    await fillDates();
    // Monday to Friday is the default; the holiday's weekdays are skipped, the Saturday worked.
    for (const n of [4, 7, 8, 9, 10]) {
      await form.getByLabel("要跳过的日期").fill(day(n));
      await form.getByRole("button", { name: "加入 要跳过的日期" }).click();
    }
    await form.getByLabel("要另外添加的日期").fill(day(12));
    await form.getByRole("button", { name: "加入 要另外添加的日期" }).click();
    await form
      .getByRole("list", { name: "调休上班日（另外添加）" })
      .getByText(long(day(12)).replace(/^\d+年/, ""))
      .waitFor();
    await form.getByLabel(/^说明/).fill("假期期间请提前一天预约");
    await expectNoAxeViolations(page, "staff series with dates");
    await form.getByRole("button", { name: "批量添加时段" }).click();
    const done = form.getByRole("status");
    await done.waitFor();
    expect(await done.textContent()).toMatch(
      new RegExp(`^已添加 6 个时段，跳过了 ${long(day(4))}、.*${long(day(10))}。 另外添加了 ${long(day(12))}。$`),
    );

    const range = `from=${Date.parse(`${day(0)}T00:00:00+08:00`)}&to=${Date.parse(`${day(13)}T23:59:59+08:00`)}`;
    const listed = async () =>
      (
        (await (await page.request.get(`/api/offerings/${offeringId}/slots?${range}`)).json()) as {
          slots: Array<{ startsAt: number; note: string | null }>;
        }
      ).slots;
    const slots = await listed();
    expect(slots.map((slot) => shanghaiDate(slot.startsAt))).toEqual([0, 1, 2, 3, 11, 12].map(day));
    expect(new Set(slots.map((slot) => slot.note))).toEqual(new Set(["假期期间请提前一天预约"]));

    // The same schedule again (the dates are asked for anew): refused, nothing doubled.
    await fillDates();
    await form.getByRole("button", { name: "批量添加时段" }).click();
    await form.getByRole("alert").filter({ hasText: "这项服务在这个时间已经有一个开放的时段。" }).waitFor();
    expect(await listed()).toHaveLength(6);
    expect(problems).toEqual(["Failed to load resource: the server responded with a status of 409 (Conflict)"]);
    await context.close();
  });

  it("staff book a phone caller found by name and the last four digits", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);

    await page.goto("/staff/walk-in");
    await page.getByLabel("姓名").fill("王秀英");
    await page.getByLabel("手机号后 4 位").fill("0013");
    await page.getByRole("button", { name: "搜索" }).click();
    await page.getByRole("button", { name: "为 王秀英 预约" }).click();
    await page.getByText("为 王秀英 预约").waitFor();
    // The service's times cannot be read at first (the server down for both of the site's tries):
    // the form says so and offers to read them again, instead of "loading" for ever.
    let refused = 0;
    await page.route(/\/api\/offerings\/[^/]+\/slots/, async (route) => {
      if (refused++ < 2) await route.fulfill({ status: 503, body: "" });
      else await route.continue();
    });
    await page.getByLabel("服务", { exact: true }).selectOption("off_jinzhong_centre_rehabilitation");
    await page.getByRole("alert").waitFor();
    expect(await page.getByText("正在加载").count()).toBe(0);
    await expectNoAxeViolations(page, "walk-in, the service's times not read");
    await page.getByRole("button", { name: "重试" }).click();
    await page.locator('input[name="slot"]').first().check();
    expect(refused).toBe(3);
    await page.getByRole("radio", { name: "电话预约" }).check();
    // Each step that replaces the one before gives the focus to the heading that names it.
    const focusedHeading = () =>
      page.evaluate(() => document.activeElement?.matches("h2") && document.activeElement.textContent);
    await page.getByRole("button", { name: "下一步：核对信息" }).click();
    await expect.poll(focusedHeading).toBe("第 2 步：选择服务和时间");
    await page.getByRole("button", { name: "确认预约" }).click();
    await page.getByRole("heading", { name: "已为 王秀英 预约" }).waitFor();
    await expect.poll(focusedHeading).toBe("预约完成");
    expect(await page.locator(".check-in-code__value").textContent()).toMatch(/^[A-Z0-9]{6}$/);
    await expectNoAxeViolations(page, "walk-in booked");

    await page.getByRole("link", { name: "查看这个时段" }).click();
    const row = page.getByRole("listitem").filter({ hasText: "王秀英" });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/工作人员代约 · 电话预约/);
    expect(problems).toEqual([
      "Failed to load resource: the server responded with a status of 503 (Service Unavailable)",
      "Failed to load resource: the server responded with a status of 503 (Service Unavailable)",
    ]);
    await context.close();
  });

  it("staff download a service's booking list, and are told on the page when it cannot be had", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    await page.goto("/staff/offerings/off_jinzhong_centre_rehabilitation");
    const section = page.getByRole("region", { name: "导出预约名单" });
    const download = section.getByRole("button", { name: "下载预约名单（CSV）" });
    await download.waitFor();
    // Longer than the API allows: said before asking.
    await section.getByLabel("开始日期").fill("2026-01-01");
    await section.getByLabel("结束日期").fill("2027-01-05");
    await page.getByText("一次最多导出 366 天，请缩短日期范围。").waitFor();
    expect(await download.count()).toBe(0);
    await section.getByLabel("结束日期").fill("2026-12-31");
    // Refused by the server (the session ended meanwhile, here): its words on the page.
    await page.route(/bookings\.csv/, (route) =>
      route.fulfill({
        status: 401,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "UNAUTHENTICATED", message: "Sign in first", requestId: "req-test" } }),
      }),
    );
    await download.click();
    await page.getByRole("alert").waitFor();
    await expectNoAxeViolations(page, "booking list not downloaded");
    await page.unroute(/bookings\.csv/);
    const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
    expect(file.suggestedFilename()).toBe("bookings-off_jinzhong_centre_rehabilitation.csv");
    const saved = await file.path();
    expect(readFileSync(saved, "utf8")).toMatch(/^\uFEFF?.*,/);
    // (openPage does not count a 401 in the console as a problem.)
    expect(problems).toEqual([]);
    await context.close();
  });

  it("staff find a resident without a phone by name and birth year, and book for him", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);

    await page.goto("/staff/walk-in");
    await page.getByRole("heading", { level: 1, name: "代为预约" }).waitFor();
    await page.getByRole("radio", { name: "出生年份（没有手机号）" }).check();
    expect(await page.getByLabel("手机号后 4 位").count()).toBe(0);
    await page.getByText(/没有手机号的居民：请输入完整姓名和出生年份/).waitFor();
    await page.getByLabel("姓名").fill(LIU.name);
    const year = page.getByLabel("出生年份", { exact: true });
    await year.fill("38");
    await page.getByRole("button", { name: "搜索" }).click();
    await page.getByText("请输入 4 位出生年份，例如 1942。").waitFor();
    expect(await year.getAttribute("aria-invalid")).toBe("true");
    // The focus goes to the field to mend, so a screen reader reads it out with its error.
    await expect.poll(() => year.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectNoAxeViolations(page, "walk-in search by birth year (invalid)");

    // Name and year must both match.
    await year.fill("1939");
    await page.getByRole("button", { name: "搜索" }).click();
    await page.getByRole("status").filter({ hasText: "没有找到。请核对姓名和出生年份" }).waitFor();

    await year.fill(LIU.birthYear);
    await page.getByRole("button", { name: "搜索" }).click();
    const match = page.getByRole("list", { name: "查找结果" }).getByRole("listitem");
    await match.waitFor();
    expect(await match.count()).toBe(1);
    expect(await match.textContent()).toContain(`${LIU.birthYear} 年生`);
    await expectNoAxeViolations(page, "walk-in search by birth year (found)");
    await match.getByRole("button", { name: `为 ${LIU.name} 预约` }).click();

    await page.getByText(`为 ${LIU.name} 预约`).waitFor();
    await page.getByLabel("服务", { exact: true }).selectOption("off_jinzhong_centre_rehabilitation");
    await page.locator('input[name="slot"]').first().check();
    await page.getByRole("button", { name: "下一步：核对信息" }).click();
    await page.getByRole("button", { name: "确认预约" }).click();
    await page.getByRole("heading", { name: `已为 ${LIU.name} 预约` }).waitFor();
    await expectNoAxeViolations(page, "walk-in booked by birth year");

    await page.getByRole("link", { name: "查看这个时段" }).click();
    const row = page.getByRole("listitem").filter({ hasText: LIU.name });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/工作人员代约 · 到店登记/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("plain staff of the centre see who is sent on each home visit and send a colleague", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    const booking = await (await page.request.get(`/api/bookings/${ZHANG_HOME_VISIT.id}`)).json();

    await page.goto(`/staff/slots?date=${shanghaiDate(booking.slot.startsAt)}`);
    await page.locator(`a[href^="/staff/slots/${booking.slot.id}"]`).click();
    await page.getByRole("heading", { level: 1, name: "上门照护服务" }).waitFor();
    // The seed sent 郑小红 to 刘德福: it says so, and his picker starts at her.
    const liu = page.getByRole("listitem").filter({ hasText: LIU.name });
    await liu.getByText(`已指派：${COLLEAGUES.staff}`).waitFor();
    const liuPicker = liu.getByLabel(`指派服务人员 ${LIU.name}`);
    await liuPicker.locator("option", { hasText: COLLEAGUES.staff }).waitFor({ state: "attached" });
    expect(await selectedLabel(liuPicker)).toBe(`${COLLEAGUES.staff}（机构工作人员）`);

    const row = page.getByRole("listitem").filter({ hasText: MOTHER.name });
    await row.getByText(`上门地址：${ZHANG_HOME_VISIT.address}`).waitFor();
    expect(await row.getByText(`需要的帮助：${ZHANG_HOME_VISIT.needs}`).isVisible()).toBe(true);
    expect(await row.getByText("未指派", { exact: true }).isVisible()).toBe(true);
    // 王秀英 is only waitlisted: there is nobody to send yet.
    const waitlisted = page.getByRole("listitem").filter({ hasText: "王秀英" });
    expect(await waitlisted.getByRole("button", { name: /^指派/ }).count()).toBe(0);
    expect(await waitlisted.getByText("未指派", { exact: true }).count()).toBe(0);

    const picker = row.getByLabel(`指派服务人员 ${MOTHER.name}`);
    await picker.locator("option", { hasText: COLLEAGUES.admin }).waitFor({ state: "attached" });
    expect(await selectedLabel(picker)).toBe("请选择工作人员");
    await expectNoAxeViolations(page, "home visit slot");
    await row.getByRole("button", { name: `指派 ${MOTHER.name}` }).click();
    await row.getByText("请选择要指派的工作人员。").waitFor();
    expect(await picker.getAttribute("aria-invalid")).toBe("true");

    await picker.selectOption({ label: `${COLLEAGUES.admin}（机构管理员）` });
    await row.getByRole("button", { name: `指派 ${MOTHER.name}` }).click();
    await row
      .getByRole("status")
      .filter({ hasText: `已指派给 ${COLLEAGUES.admin}，已通知本人。` })
      .waitFor();
    // The slot's list is read again: the row now says who goes.
    await row.getByText(`已指派：${COLLEAGUES.admin}`).waitFor();
    expect(await row.getByText("未指派", { exact: true }).count()).toBe(0);
    await expectNoAxeViolations(page, "home visit assigned");

    // The colleague is told where to go…
    const task = await assignedTask(DEMO_PHONES.elderlyAdmin, MOTHER.name);
    expect(task?.body).toContain(ZHANG_HOME_VISIT.address);
    expect(problems).toEqual([]);
    await context.close();

    // …and her inbox takes her to the visit's slot, on its own day.
    const admin = await openPage(browser, baseUrl);
    await signInWithSession(admin.context, baseUrl, sessions[DEMO_PHONES.elderlyAdmin]);
    await admin.page.goto("/inbox");
    const notice = admin.page.getByRole("listitem").filter({ hasText: ZHANG_HOME_VISIT.address }).first();
    await notice.getByRole("link", { name: "查看任务" }).click();
    await admin.page.getByRole("heading", { level: 1, name: "上门照护服务" }).waitFor();
    await admin.page
      .getByRole("listitem")
      .filter({ hasText: MOTHER.name })
      .getByText(`已指派：${COLLEAGUES.admin}`)
      .waitFor();
    expect(admin.problems).toEqual([]);
    await admin.context.close();
  });

  it("the centre's admin sends another colleague; a reload still shows her and the daughter sees who is coming", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elderlyAdmin]);
    await page.goto(await homeVisitSlotPath());
    await page.getByRole("heading", { level: 1, name: "上门照护服务" }).waitFor();
    await page.getByRole("listitem").filter({ hasText: LIU.name }).getByText(`已指派：${COLLEAGUES.staff}`).waitFor();

    const row = page.getByRole("listitem").filter({ hasText: MOTHER.name });
    const picker = row.getByLabel(`指派服务人员 ${MOTHER.name}`);
    await picker.locator("option", { hasText: COLLEAGUES.staff }).waitFor({ state: "attached" });
    await picker.selectOption({ label: `${COLLEAGUES.staff}（机构工作人员）` });
    await row.getByRole("button", { name: `指派 ${MOTHER.name}` }).click();
    await row
      .getByRole("status")
      .filter({ hasText: `已指派给 ${COLLEAGUES.staff}，已通知本人。` })
      .waitFor();

    await page.reload();
    await row.getByText(`已指派：${COLLEAGUES.staff}`).waitFor();
    await picker.locator("option", { hasText: COLLEAGUES.staff }).waitFor({ state: "attached" });
    expect(await selectedLabel(picker)).toBe(`${COLLEAGUES.staff}（机构工作人员）`);
    const saved = await (await page.request.get(`/api/bookings/${ZHANG_HOME_VISIT.id}`)).json();
    expect(saved.assignee?.name).toBe(COLLEAGUES.staff);
    const task = await assignedTask(DEMO_PHONES.elderlyStaff, MOTHER.name);
    expect(task?.body).toContain(ZHANG_HOME_VISIT.address);
    expect(problems).toEqual([]);
    await context.close();

    // 李娜 acts for her mother: the booking says who will knock on the door.
    for (const elderMode of [false, true]) {
      const locale = elderMode ? "en" : "zh-CN";
      const mode = `${elderMode ? "elder" : "normal"} mode, ${locale}`;
      const daughter = await openPage(browser, baseUrl, { width: 320, elderMode, locale });
      await signInWithSession(daughter.context, baseUrl, sessions[DEMO_PHONES.resident]);
      await daughter.page.goto(`/bookings/${ZHANG_HOME_VISIT.id}`);
      const term = daughter.page.getByRole("term").filter({ hasText: elderMode ? "Who is coming" : "上门服务人员" });
      await term.waitFor();
      expect(await term.locator("xpath=following-sibling::dd[1]").textContent()).toBe(COLLEAGUES.staff);
      await daughter.page.waitForLoadState("networkidle");
      await expectNoAxeViolations(daughter.page, `assigned home visit (${mode})`, { enhancedContrast: elderMode });
      expect({ mode, width: await scrollWidth(daughter.page) }).toEqual({ mode, width: 320 });
      expect(daughter.problems).toEqual([]);
      await daughter.context.close();
    }
  });

  it("a home visit's slot fits 320 px with large enough controls, for the centre's admin and its staff", async () => {
    const path = await homeVisitSlotPath();
    for (const elderMode of [false, true]) {
      const locale = elderMode ? "en" : "zh-CN";
      for (const account of ["elderlyAdmin", "elderlyStaff"] as const) {
        const mode = `${elderMode ? "elder" : "normal"} mode, ${locale}, ${account}`;
        const { context, page, problems } = await openPage(browser, baseUrl, { width: 320, elderMode, locale });
        await signInWithSession(context, baseUrl, sessions[DEMO_PHONES[account]]);
        await page.goto(path);
        const liu = page.getByRole("listitem").filter({ hasText: LIU.name });
        await liu.getByText(elderMode ? `Assigned: ${COLLEAGUES.staff}` : `已指派：${COLLEAGUES.staff}`).waitFor();
        const row = page.getByRole("listitem").filter({ hasText: MOTHER.name });
        const picker = row.locator("select");
        await picker.locator("option", { hasText: COLLEAGUES.staff }).waitFor({ state: "attached" });
        await page.waitForLoadState("networkidle");
        await expectNoAxeViolations(page, `home visit slot (${mode})`, { enhancedContrast: elderMode });
        expect({ mode, width: await scrollWidth(page) }).toEqual({ mode, width: 320 });
        const target = elderMode ? 60 : 44;
        for (const control of [picker, row.locator("form button")]) {
          const box = await control.boundingBox();
          expect(box?.height ?? 0).toBeGreaterThanOrEqual(target);
        }
        expect(problems).toEqual([]);
        await context.close();
      }
    }
  });

  it("passes axe and fits 320 px on services, an offering, my bookings, a booking and check-in, in both modes", async () => {
    for (const elderMode of [false, true]) {
      const locale = elderMode ? "en" : "zh-CN";
      const mode = `${elderMode ? "elder" : "normal"} mode, ${locale}`;
      const axe = { enhancedContrast: elderMode };
      const { context, page, problems } = await openPage(browser, baseUrl, { width: 320, elderMode, locale });
      await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.resident]);
      for (const path of [
        "/services",
        `/services/${STATION_DAY_CARE}?person=${MOTHER.id}`,
        "/bookings",
        `/bookings/${MOTHER_DAY_CARE}`,
      ]) {
        await page.goto(path);
        await page.getByRole("heading", { level: 1 }).waitFor();
        await page.waitForLoadState("networkidle");
        await expectNoAxeViolations(page, `${path} (${mode})`, axe);
        expect({ path, mode, width: await scrollWidth(page) }).toEqual({ path, mode, width: 320 });
      }
      await context.clearCookies();
      await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
      await page.goto("/staff/check-in");
      await page.getByRole("heading", { level: 1 }).waitFor();
      await expectNoAxeViolations(page, `check-in (${mode})`, axe);
      expect(await scrollWidth(page)).toBe(320);
      expect(problems).toEqual([]);
      await context.close();
    }
  });
});
