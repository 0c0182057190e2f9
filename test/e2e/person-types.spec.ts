import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { randomIdNumber } from "../id-numbers";
import { DEMO_PHONES } from "./global-setup";
import {
  createOwnOffering,
  DEXIANGLI,
  expectNoAxeViolations,
  launchBrowser,
  newElderlyResident,
  openPage,
  randomPhone,
  scrollWidth,
  signInByApi,
  signInWithSession,
} from "./helpers";

const baseUrl = inject("baseUrl");
const sessions = inject("sessions");
let browser: Browser;

/** Seed data (db/seed/care.ts, db/seed/demo.ts): the home visit is only for three person types. */
const HOME_VISIT = "off_jinzhong_centre_home_visit";
const HOME_VISIT_FOR = "此服务面向：独居老人、空巢老人、失能/半失能老人";
/** 张桂兰 (born 1941) is registered living alone and disabled, and is old enough to book a day early. */
const MOTHER = { id: "per_zhang_guilan", name: "张桂兰" };

/**
 * The centre's own new service (no other journey lists it) with one-place slots starting the
 * given hours after tomorrow's first whole hour, and its staff's signed-in page. `deskBooking`
 * gives a slot's place to a new resident at the desk; `close` archives the service.
 */
async function centreService(fields: { title: string; category: string } & Record<string, unknown>, hours = [0]) {
  const staff = await openPage(browser, baseUrl);
  await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
  const offeringId = await createOwnOffering(staff.page, fields);
  const tomorrow = Math.ceil((Date.now() + 26 * 3_600_000) / 3_600_000) * 3_600_000;
  const slotIds: string[] = [];
  for (const hour of hours) {
    const startsAt = tomorrow + hour * 3_600_000;
    const created = await staff.page.request.post(`/api/offerings/${offeringId}/slots`, {
      data: { startsAt, endsAt: startsAt + 3_600_000, capacity: 1 },
    });
    expect(created.status()).toBe(201);
    slotIds.push(((await created.json()) as { id: string }).id);
  }
  const deskBooking = async (slotId: string | undefined, extra: Record<string, unknown> = {}) => {
    const other = await openPage(browser, baseUrl);
    const walkIn = await newElderlyResident(other.page, baseUrl);
    await other.context.close();
    const taken = await staff.page.request.post("/api/bookings", {
      data: { slotId, personId: walkIn.personId, channel: "walk_in", ...extra },
    });
    expect(taken.status()).toBe(201);
    return walkIn;
  };
  const close = async () => {
    expect((await staff.page.request.post(`/api/offerings/${offeringId}/archive`, { data: {} })).status()).toBe(200);
    await staff.context.close();
  };
  return { staff, offeringId, tomorrow, slotIds, deskBooking, close };
}

interface SlotAnswer {
  id: string;
  status: string;
  free: number;
  bookable: boolean;
  opensAt: number;
  priorityOpensAt: number | null;
}

async function homeVisitSlots(): Promise<SlotAnswer[]> {
  const res = await fetch(`${baseUrl}/api/offerings/${HOME_VISIT}/slots`);
  return ((await res.json()) as { slots: SlotAnswer[] }).slots;
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe("person types and who a service is for", () => {
  it("a resident outside the groups is told why; once community staff register her, she can book", async () => {
    const resident = await openPage(browser, baseUrl);
    const { name, personId } = await newElderlyResident(resident.page, baseUrl);

    await resident.page.goto(`/services/${HOME_VISIT}`);
    await resident.page.getByRole("heading", { level: 1, name: "上门照护服务" }).waitFor();
    // Who the service is for, on the page itself.
    await resident.page.getByRole("definition").filter({ hasText: HOME_VISIT_FOR }).waitFor();
    const notice = resident.page.locator(".notice--warn");
    await notice.waitFor();
    expect(await notice.textContent()).toBe(
      `${HOME_VISIT_FOR}；${name}目前没有在社区登记为其中一类，暂时不能预约。如情况有变，请联系社区居委会登记。`,
    );
    expect(await resident.page.getByRole("link", { name: /^预约 / }).count()).toBe(0);
    await expectNoAxeViolations(resident.page, "home visit, not registered");

    // The API refuses too, naming the groups.
    const open = (await homeVisitSlots()).find((s) => s.bookable && s.free > 0);
    expect(open).toBeDefined();
    const refused = await resident.page.request.post("/api/bookings", {
      headers: { "idempotency-key": crypto.randomUUID() },
      data: { slotId: open?.id, personId, address: "德翔里一区1号楼1门101", notes: "打扫卫生" },
    });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("NOT_ELIGIBLE");

    // 陈丽华 of 德翔里社区 registers her as living alone.
    const staff = await openPage(browser, baseUrl);
    await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.communityStaff]);
    await staff.page.goto("/staff/persons");
    await staff.page.getByLabel("按姓名或手机号（完整号码或后 4 位）搜索").fill(name);
    await staff.page.getByRole("button", { name: "搜索" }).click();
    await staff.page.getByRole("link", { name: new RegExp(name) }).click();
    await staff.page.getByRole("heading", { level: 1, name }).waitFor();
    const details = staff.page.getByRole("region", { name: "基本信息" });
    expect(await details.getByText("未登记").isVisible()).toBe(true);
    const form = staff.page.getByRole("region", { name: "修改资料" });
    await form.getByRole("checkbox", { name: "独居老人" }).check();
    await expectNoAxeViolations(staff.page, "staff person edit");
    await form.getByRole("button", { name: "保存修改" }).click();
    await form.getByRole("status").filter({ hasText: "已保存。" }).waitFor();
    await details.getByText("独居老人").waitFor();
    const saved = await (await staff.page.request.get(`/api/persons/${personId}`)).json();
    expect(saved.types).toEqual(["living_alone"]);
    // Saving again without a change says so instead of writing to the audit log.
    await form.getByRole("button", { name: "保存修改" }).click();
    await form.getByRole("status").filter({ hasText: "没有改动。" }).waitFor();
    expect(staff.problems).toEqual([]);
    await staff.context.close();

    // Now the home visit is offered to her.
    await resident.page.reload();
    await resident.page.getByRole("heading", { level: 1, name: "上门照护服务" }).waitFor();
    expect(await resident.page.locator(".notice--warn").count()).toBe(0);
    const book = resident.page.getByRole("link", { name: /^预约 / }).first();
    await book.click();
    await resident.page.getByRole("heading", { level: 1, name: `为 ${name} 预约` }).waitFor();
    await resident.page.getByLabel(/上门地址/).fill("德翔里一区1号楼1门101");
    await resident.page.getByLabel(/需要哪些帮助/).fill("打扫卫生，测血压。");
    await resident.page.getByRole("button", { name: "下一步：核对信息" }).click();
    await resident.page.getByRole("button", { name: "确认预约" }).click();
    await resident.page.waitForURL(/\/bookings\/bkg_/);
    const bookingId = new URL(resident.page.url()).pathname.split("/").pop() ?? "";
    // Give the place back: other journeys use the same home-visit slots.
    const cancelled = await resident.page.request.post(`/api/bookings/${bookingId}/cancel`, { data: {} });
    expect(cancelled.status()).toBe(200);
    expect(resident.problems).toEqual([]);
    await resident.context.close();
  });

  it("community staff register a resident in a group; organisation staff registering a walk-in are not asked", async () => {
    const staff = await openPage(browser, baseUrl);
    await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.communityStaff]);
    await staff.page.goto("/staff/persons/new");
    await staff.page.getByRole("heading", { level: 1, name: "登记居民" }).waitFor();
    const register = staff.page.getByRole("button", { name: "登记", exact: true });
    // Her one community is chosen for her; the name and birth date are asked for before anything is sent.
    expect(await staff.page.getByLabel("所在社区").inputValue()).toBe(DEXIANGLI.communityId);
    await register.click();
    await staff.page.getByText("请填写 1 到 50 个字的姓名。").waitFor();
    await staff.page.getByText("请填写出生日期。").waitFor();
    expect(await staff.page.getByLabel("姓名").getAttribute("aria-invalid")).toBe("true");
    // The first field to mend has the focus.
    await expect.poll(() => staff.page.getByLabel("姓名").evaluate((el) => el === document.activeElement)).toBe(true);

    const name = `孙玉珍${randomPhone().slice(-4)}`;
    await staff.page.getByLabel("姓名").fill(name);
    await staff.page.getByLabel("出生日期").fill("1940-03-15");
    // An ID number that says she was born on another day is caught before anything is sent.
    await staff.page.getByLabel(/^身份证号/).fill("11010519491231002X");
    await register.click();
    await staff.page.getByText("出生日期与身份证号上的不一致，请核对。").waitFor();
    await staff.page.getByLabel(/^身份证号/).fill("");
    await staff.page.getByRole("checkbox", { name: "空巢老人" }).check();
    await expectNoAxeViolations(staff.page, "staff register a resident");
    await register.click();
    await staff.page.getByRole("heading", { level: 1, name }).waitFor();
    const personId = new URL(staff.page.url()).pathname.split("/").pop() ?? "";
    await staff.page.getByRole("region", { name: "基本信息" }).getByText("空巢老人").waitFor();
    const saved = await (await staff.page.request.get(`/api/persons/${personId}`)).json();
    expect(saved).toMatchObject({ name, communityId: DEXIANGLI.communityId, types: ["empty_nest"] });
    // Her birth date can be corrected; that of someone registered with an ID number is the ID's.
    const edit = staff.page.getByRole("region", { name: "修改资料" });
    expect(await edit.getByLabel("出生日期").count()).toBe(1);
    const withId = await staff.page.request.post("/api/persons", {
      data: {
        name: `${name}甲`,
        birthDate: "1940-03-15",
        communityId: DEXIANGLI.communityId,
        idNumber: randomIdNumber("19400315"),
      },
    });
    expect(withId.status()).toBe(201);
    await staff.page.goto(`/staff/persons/${((await withId.json()) as { id: string }).id}`);
    await edit.getByText("出生日期以登记的身份证号为准，这里不能修改。").waitFor();
    expect(await edit.getByLabel("出生日期").count()).toBe(0);
    expect(staff.problems).toEqual([]);
    await staff.context.close();

    // The same fields at the walk-in counter, without the groups: only the community records them.
    const counter = await openPage(browser, baseUrl);
    await signInWithSession(counter.context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    await counter.page.goto("/staff/walk-in");
    await counter.page.getByRole("button", { name: "没有找到？登记新居民" }).click();
    const walkIn = counter.page.getByRole("region", { name: "登记新居民" });
    await walkIn.getByLabel("姓名").waitFor();
    expect(await walkIn.getByLabel("所在社区").count()).toBe(1);
    expect(await walkIn.getByRole("checkbox").count()).toBe(0);
    await expectNoAxeViolations(counter.page, "walk-in register");
    expect(counter.problems).toEqual([]);
    await counter.context.close();
  });

  it("an 80-year-old may book a day early: the daughter sees it for her mother", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.resident]);
    await page.goto(`/services/${HOME_VISIT}?person=${MOTHER.id}`);
    await page.getByRole("heading", { level: 1, name: "上门照护服务" }).waitFor();
    await page.getByText(`80岁以上老人可提前一天预约。${MOTHER.name}已满 80 岁，可以提前预约。`).waitFor();
    const now = Date.now();
    const early = (await homeVisitSlots()).filter(
      (s) => s.status === "open" && s.priorityOpensAt !== null && s.priorityOpensAt <= now && now < s.opensAt,
    );
    expect(early.length).toBeGreaterThan(0);
    expect(await page.getByText("高龄老人提前预约").count()).toBe(early.length);
    await expectNoAxeViolations(page, "home visit, priority");

    // For herself (57) the same slots only say when booking opens.
    await page.goto(`/services/${HOME_VISIT}`);
    await page.getByRole("heading", { level: 1, name: "上门照护服务" }).waitFor();
    expect(await page.getByText("高龄老人提前预约").count()).toBe(0);
    expect(await page.getByText(/开放预约$/).count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("organisation staff edit their own new offering, then archive it after confirming", async () => {
    const { context, page, problems } = await openPage(browser, baseUrl);
    await signInWithSession(context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    const title = `助餐试点${Date.now() % 10_000}`;
    const offeringId = await createOwnOffering(page, { title, category: "meal" });

    await page.goto(`/staff/offerings/${offeringId}`);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    const form = page.getByRole("region", { name: "修改服务" });
    await form.getByLabel("服务名称").fill(`${title}（空巢老人）`);
    await form.getByLabel(/^最低年龄/).fill("65");
    await form.getByRole("checkbox", { name: "空巢老人" }).check();
    await form.getByRole("switch", { name: "约满后可以候补" }).click();
    await form.getByRole("switch", { name: "预约后需要机构确认" }).click();
    await expectNoAxeViolations(page, "staff offering edit");
    await form.getByRole("button", { name: "保存修改" }).click();
    await form.getByRole("status").filter({ hasText: "已保存。" }).waitFor();
    await page.getByRole("heading", { level: 1, name: `${title}（空巢老人）` }).waitFor();
    const edited = await (await page.request.get(`/api/offerings/${offeringId}`)).json();
    expect(edited).toMatchObject({
      title: `${title}（空巢老人）`,
      minAge: 65,
      personTypes: ["empty_nest"],
      waitlist: false,
      requiresConfirmation: true,
    });

    // A bad number is caught before it is sent.
    await form.getByLabel(/^最低年龄/).fill("200");
    await form.getByRole("button", { name: "保存修改" }).click();
    await form.getByText("请填写范围内的整数。").waitFor();
    await form.getByLabel(/^最低年龄/).fill("65");

    // Residents see whom it is for.
    await page.goto(`/services/${offeringId}`);
    await page.getByRole("definition").filter({ hasText: "此服务面向：空巢老人" }).waitFor();

    await page.goto(`/staff/offerings/${offeringId}`);
    const archive = page.getByRole("region", { name: "归档服务" });
    await archive.getByRole("button", { name: "归档", exact: true }).click();
    await archive.getByRole("group", { name: /^确定归档“/ }).waitFor();
    await expectNoAxeViolations(page, "staff offering archive question");
    await archive.getByRole("button", { name: "确定归档" }).click();
    await page.getByRole("status").filter({ hasText: "这项服务已归档" }).waitFor();
    expect(await page.getByRole("region", { name: "修改服务" }).count()).toBe(0);
    const archived = await (await page.request.get(`/api/offerings/${offeringId}`)).json();
    expect(archived.status).toBe("archived");
    await page.getByRole("link", { name: "返回排班与导出" }).click();
    await page.getByRole("heading", { level: 1, name: "排班与导出" }).waitFor();
    expect(await page.getByRole("link", { name: new RegExp(title) }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("the new forms fit 320 px with large enough choices and pass axe, in both modes", async () => {
    for (const elderMode of [false, true]) {
      const locale = elderMode ? "en" : "zh-CN";
      const mode = `${elderMode ? "elder" : "normal"} mode, ${locale}`;
      const target = elderMode ? 60 : 44;
      for (const [account, path] of [
        ["communityStaff", `/staff/persons/${MOTHER.id}`],
        ["elderlyStaff", `/staff/offerings/${HOME_VISIT}`],
        ["resident", `/services/${HOME_VISIT}?person=${MOTHER.id}`],
      ] as const) {
        const { context, page, problems } = await openPage(browser, baseUrl, { width: 320, elderMode, locale });
        await signInWithSession(context, baseUrl, sessions[DEMO_PHONES[account]]);
        await page.goto(path);
        await page.getByRole("heading", { level: 1 }).waitFor();
        await page.waitForLoadState("networkidle");
        await expectNoAxeViolations(page, `${path} (${mode})`, { enhancedContrast: elderMode });
        expect({ path, mode, width: await scrollWidth(page) }).toEqual({ path, mode, width: 320 });
        const choices = page.locator("label.choice:has(input[name=person-type])");
        for (const box of await Promise.all((await choices.all()).map((c) => c.boundingBox()))) {
          expect(box?.height ?? 0).toBeGreaterThanOrEqual(target);
        }
        if (account !== "resident") expect(await choices.count()).toBe(8);
        expect(problems).toEqual([]);
        await context.close();
      }
    }
  });
});

describe("a proxy registered at the community office", () => {
  it("is told to the resident in her inbox, who can see it on her page and end it", async () => {
    const resident = await openPage(browser, baseUrl);
    const { name } = await newElderlyResident(resident.page, baseUrl);
    const daughterPhone = randomPhone();
    const masked = `${daughterPhone.slice(0, 3)}****${daughterPhone.slice(-4)}`;

    // 陈丽华 of 德翔里社区 registers the daughter, with the consent given at the office.
    const staff = await openPage(browser, baseUrl);
    await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.communityStaff]);
    await staff.page.goto("/staff/persons");
    await staff.page.getByLabel("按姓名或手机号（完整号码或后 4 位）搜索").fill(name);
    await staff.page.getByRole("button", { name: "搜索" }).click();
    // Opening a record is audited, so a hover over the link must not load it ahead.
    const personLink = staff.page.getByRole("link", { name: new RegExp(name) });
    const reads: string[] = [];
    staff.page.on("request", (request) => {
      if (/\/api\/persons\/per_/.test(request.url())) reads.push(request.url());
    });
    await personLink.hover();
    await staff.page.waitForTimeout(300);
    expect(reads).toEqual([]);
    await personLink.click();
    await staff.page.getByRole("heading", { level: 1, name }).waitFor();
    expect(reads.length).toBeGreaterThan(0);
    const form = staff.page.getByRole("region", { name: "登记代办人" });
    await form.getByLabel("代办人手机号").fill(daughterPhone);
    await form.getByLabel("代办人是居民的").selectOption({ label: "子女" });
    await form.getByRole("radio", { name: "本人当面同意" }).check();
    await form.getByRole("button", { name: "登记代办人" }).click();
    await form.getByRole("status").filter({ hasText: "已登记代办人。" }).waitFor();
    expect(staff.problems).toEqual([]);
    await staff.context.close();

    // She hears of it in the app (and by SMS), with the number masked, and can go straight to it.
    await resident.page.goto("/inbox");
    const notice = resident.page.getByRole("listitem").filter({ hasText: "已登记代办人" });
    await notice.getByText(`社区已登记手机号${masked}的用户可以代您办理预约等服务`).waitFor();
    await expectNoAxeViolations(resident.page, "inbox with a proxy notice");
    await notice.getByRole("link", { name: "查看代办人" }).click();
    await resident.page.waitForURL(/\/me/);
    const actingForMe = resident.page.getByRole("region", { name: "可以代我办理的人" });
    const item = actingForMe.getByRole("listitem").filter({ hasText: masked });
    await item.waitFor();
    await item.getByRole("button", { name: "解除" }).click();
    await item.getByRole("button", { name: "确定解除" }).click();
    await actingForMe.getByText("目前没有人可以代您办理。").waitFor();
    expect(resident.problems).toEqual([]);
    await resident.context.close();
  });
});

describe("a proxy for health services only", () => {
  it("is not offered the person's bookings, even with a link that names her", async () => {
    const resident = await openPage(browser, baseUrl);
    const { personId } = await newElderlyResident(resident.page, baseUrl);
    await resident.context.close();

    const son = await openPage(browser, baseUrl);
    const sonPhone = randomPhone();
    await signInByApi(son.page, baseUrl, sonPhone);
    const staff = await openPage(browser, baseUrl);
    await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.communityStaff]);
    const linked = await staff.page.request.post(`/api/persons/${personId}/proxy-links`, {
      data: { proxyPhone: sonPhone, relationship: "child", scope: "health", consentMethod: "in_person" },
    });
    expect(linked.status()).toBe(201);
    await staff.context.close();

    // The API does not list her bookings to him; the page asked for them falls back to his own.
    const api = await son.page.request.get(`/api/bookings/mine?personId=${personId}`);
    expect(api.status()).toBe(404);
    await son.page.goto(`/bookings?person=${personId}`);
    await son.page.getByRole("heading", { level: 1, name: "我的预约" }).waitFor();
    await son.page.getByText("暂无预约").waitFor();
    expect(await son.page.getByLabel("服务对象").count()).toBe(0);
    expect(await son.page.locator(".notice--error").count()).toBe(0);
    expect(son.problems).toEqual([]);
    await son.context.close();
  });
});

describe("an age limit on each slot's own day", () => {
  it("someone turning 60 in three days may book from her birthday on, not before", async () => {
    const { page, context, problems } = await openPage(browser, baseUrl);
    const phone = randomPhone();
    await signInByApi(page, baseUrl, phone);
    const shanghaiToday = new Date(Date.now() + 8 * 3_600_000);
    const birthday = new Date(shanghaiToday.getTime() + 3 * 86_400_000);
    const birthDate = `${birthday.getUTCFullYear() - 60}-${String(birthday.getUTCMonth() + 1).padStart(2, "0")}-${String(birthday.getUTCDate()).padStart(2, "0")}`;
    const saved = await page.request.patch("/api/me", {
      data: { displayName: `周桂香${phone.slice(-4)}`, ...DEXIANGLI, birthDate },
    });
    expect(saved.status()).toBe(200);

    await page.goto("/services/off_dexiangli_station_day_care");
    await page.getByRole("heading", { level: 1, name: "日间照料" }).waitFor();
    // Not turned away as a whole: the slots are listed, the early ones say why they cannot be booked.
    expect(await page.locator(".notice--warn").count()).toBe(0);
    const tooEarly = page.getByText("这天还不满 60 岁，不能预约");
    await tooEarly.first().waitFor();
    const book = page.getByRole("link", { name: /^预约 / });
    expect(await book.count()).toBeGreaterThan(0);
    // Every bookable slot is on or after her birthday.
    const birthdayStart =
      Date.UTC(birthday.getUTCFullYear(), birthday.getUTCMonth(), birthday.getUTCDate()) - 8 * 3_600_000;
    const slots = (await (await page.request.get("/api/offerings/off_dexiangli_station_day_care/slots")).json()) as {
      slots: Array<{ id: string; startsAt: number }>;
    };
    for (const link of await book.all()) {
      const slotId = new URL(`${baseUrl}${await link.getAttribute("href")}`).searchParams.get("slot");
      const slot = slots.slots.find((s) => s.id === slotId);
      expect(slot?.startsAt).toBeGreaterThanOrEqual(birthdayStart);
    }
    await expectNoAxeViolations(page, "offering with an age limit reached later");
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe("booking a time already booked", () => {
  it("says so and opens the booking already made", async () => {
    const { page, context, problems } = await openPage(browser, baseUrl);
    const { personId } = await newElderlyResident(page, baseUrl);
    const slots = (await (await page.request.get("/api/offerings/off_dexiangli_station_day_care/slots")).json()) as {
      slots: Array<{ id: string; bookable: boolean; free: number }>;
    };
    const slot = slots.slots.find((s) => s.bookable && s.free > 0);
    expect(slot).toBeDefined();
    // Booked already (say, from another phone)…
    const first = await page.request.post("/api/bookings", { data: { slotId: slot?.id, personId } });
    expect(first.status()).toBe(201);
    const existing = (await first.json()) as { id: string };

    // …and then again from the form.
    await page.goto(`/services/off_dexiangli_station_day_care/book?slot=${slot?.id}&person=${personId}`);
    await page.getByRole("button", { name: "下一步：核对信息" }).click();
    await page.getByRole("button", { name: "确认预约" }).click();
    await page.getByText("已经为这个人预约过这个时段。").waitFor();
    await page.getByRole("link", { name: "查看已有的这个预约" }).click();
    await page.waitForURL(new RegExp(`/bookings/${existing.id}$`));
    await page.getByRole("heading", { level: 1, name: "日间照料" }).waitFor();

    expect((await page.request.post(`/api/bookings/${existing.id}/cancel`, { data: {} })).status()).toBe(200);
    // Chromium logs the expected 409 of the second attempt.
    expect(problems).toEqual(["Failed to load resource: the server responded with a status of 409 (Conflict)"]);
    await context.close();
  });
});

describe("after the service, before the organisation records it", () => {
  it("a place still confirmed waits for the record, and a waitlist that never moved says so", async () => {
    const booked = await openPage(browser, baseUrl);
    const first = await newElderlyResident(booked.page, baseUrl);
    const waiting = await openPage(browser, baseUrl);
    const second = await newElderlyResident(waiting.page, baseUrl);

    // The centre books both at the desk for a session with one place, which then turns out to
    // have been this morning (moved by staff); nobody recorded who came.
    const staff = await openPage(browser, baseUrl);
    await signInWithSession(staff.context, baseUrl, sessions[DEMO_PHONES.elderlyStaff]);
    const soon = Math.ceil((Date.now() + 60 * 60_000) / 60_000) * 60_000;
    // (The health check-up: no other journey lists it, so its extra slot today bothers none.)
    const created = await staff.page.request.post("/api/offerings/off_jinzhong_centre_check_up/slots", {
      data: { startsAt: soon, endsAt: soon + 3_600_000, capacity: 1 },
    });
    expect(created.status()).toBe(201);
    const slot = (await created.json()) as { id: string };
    const ids: string[] = [];
    for (const person of [first, second]) {
      const res = await staff.page.request.post("/api/bookings", {
        data: { slotId: slot.id, personId: person.personId, channel: "walk_in" },
      });
      expect(res.status()).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    const past = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;
    const moved = await staff.page.request.patch(`/api/slots/${slot.id}`, {
      data: { startsAt: past, endsAt: past + 3_600_000 },
    });
    expect(moved.status()).toBe(200);
    await staff.context.close();

    await booked.page.goto(`/bookings/${ids[0]}`);
    await booked.page.getByText("这次服务已结束，服务机构会登记是否到场。").waitFor();
    expect(await booked.page.locator(".badge").first().textContent()).toBe("待机构登记");
    expect(await booked.page.locator(".check-in-code__value").count()).toBe(0);
    await booked.page.goto("/bookings?when=past");
    await booked.page.locator(`a[href="/bookings/${ids[0]}"]`).filter({ hasText: "待机构登记" }).waitFor();
    await expectNoAxeViolations(booked.page, "my past bookings with one unrecorded");

    await waiting.page.goto(`/bookings/${ids[1]}`);
    await waiting.page.getByText("这次服务已结束，候补没有轮到名额。").waitFor();
    expect(await waiting.page.locator(".badge").first().textContent()).toBe("候补未成功");

    expect(booked.problems).toEqual([]);
    expect(waiting.problems).toEqual([]);
    await booked.context.close();
    await waiting.context.close();
  });

  it("when the last place goes while she confirms, the page says the time is full without a waiting list", async () => {
    // A new service without a waiting list, one place tomorrow.
    const service = await centreService({
      title: `体检加场${Date.now() % 10_000}`,
      category: "check_up",
      waitlist: false,
    });
    const { staff, offeringId, tomorrow } = service;
    const slot = { id: service.slotIds[0] };

    const { context, page, problems } = await openPage(browser, baseUrl);
    const { personId } = await newElderlyResident(page, baseUrl);
    await page.goto(`/services/${offeringId}/book?slot=${slot.id}&person=${personId}`);
    await page.getByRole("button", { name: "下一步：核对信息" }).click();
    const confirm = page.getByRole("button", { name: "确认预约" });
    await confirm.waitFor();

    // Meanwhile the centre gives the one place to someone at the desk.
    const walkIn = await service.deskBooking(slot.id);

    await confirm.click();
    await page.getByRole("heading", { level: 1, name: "这个时段不能预约了" }).waitFor();
    await page.getByText(/的名额已经满了，这项服务不设候补。/).waitFor();
    // The heading that replaced the form has the focus its button had.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("这个时段不能预约了");
    await expectNoAxeViolations(page, "booking refused: full without a waiting list");
    // Choosing another time keeps the person she was booking for.
    await page.getByRole("link", { name: "重新选择时间" }).click();
    await page.waitForURL((url) => url.pathname === `/services/${offeringId}` && url.search.includes(personId));

    // A person she does not book for is not offered the form at all.
    await page.goto(`/services/${offeringId}/book?slot=${slot.id}&person=${walkIn.personId}`);
    await page.getByRole("heading", { level: 1, name: "请重新选择为谁预约" }).waitFor();
    expect(await page.getByRole("button", { name: "下一步：核对信息" }).count()).toBe(0);

    // A time three weeks ahead (booking opens 14 days before) says when it opens.
    const later = tomorrow + 20 * 86_400_000;
    const far = await staff.page.request.post(`/api/offerings/${offeringId}/slots`, {
      data: { startsAt: later, endsAt: later + 3_600_000, capacity: 1 },
    });
    expect(far.status()).toBe(201);
    const farSlot = (await far.json()) as { id: string };
    await page.goto(`/services/${offeringId}/book?slot=${farSlot.id}&person=${personId}`);
    await page.getByRole("heading", { level: 1, name: "这个时段还没有开放预约" }).waitFor();
    await page.getByText(/开放预约，到时再来预约。/).waitFor();

    await service.close();
    // Chromium logs the refusal (409 SLOT_FULL), which the page answered by reading the places again.
    expect(problems).toEqual(["Failed to load resource: the server responded with a status of 409 (Conflict)"]);
    await context.close();
  });

  it("on the waiting list, the service page says so, and leaving it says she left it", async () => {
    const service = await centreService({ title: `助浴候补${Date.now() % 10_000}`, category: "bathing" });
    const { offeringId } = service;
    const slot = { id: service.slotIds[0] };
    await service.deskBooking(slot.id);

    const { context, page, problems } = await openPage(browser, baseUrl);
    const { personId } = await newElderlyResident(page, baseUrl);
    await page.goto(`/services/${offeringId}/book?slot=${slot.id}&person=${personId}`);
    await page.getByRole("button", { name: "下一步：核对信息" }).click();
    await page.getByRole("button", { name: "确认加入候补" }).click();
    await page.waitForURL(/\/bookings\/bkg_/);
    await page.goto(`/services/${offeringId}?person=${personId}`);
    // Not "已预约": she has no place yet.
    await page.getByRole("link", { name: /^候补中，查看/ }).click();
    await page.getByRole("button", { name: "取消候补" }).click();
    await page.getByRole("button", { name: "确定取消" }).click();
    await page.getByText("已取消候补。").waitFor();
    expect(await page.getByText("名额会留给其他需要的老人").count()).toBe(0);

    await service.close();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("a home visit refused at the last step keeps the address and needs for the next time she picks", async () => {
    const service = await centreService(
      { title: `上门理发${Date.now() % 10_000}`, category: "home_visit", requiresAddress: true, waitlist: false },
      [0, 2, 4],
    );
    const { offeringId, slotIds } = service;

    const { context, page, problems } = await openPage(browser, baseUrl);
    const { personId } = await newElderlyResident(page, baseUrl);
    await page.goto(`/services/${offeringId}/book?slot=${slotIds[0]}&person=${personId}`);
    await page.getByLabel("上门地址").fill("锦绣花园 3 号楼 2 单元 501");
    await page.getByLabel("需要哪些帮助").fill("行动不便，需要在床边理发");
    await page.getByRole("button", { name: "下一步：核对信息" }).click();
    const confirm = page.getByRole("button", { name: "确认预约" });
    await confirm.waitFor();
    await service.deskBooking(slotIds[0], { address: "前台登记的地址" });
    await confirm.click();
    await page.getByRole("heading", { level: 1, name: "这个时段不能预约了" }).waitFor();

    // She picks the other time: what she typed is there, and goes with the booking.
    await page.goto(`/services/${offeringId}/book?slot=${slotIds[1]}&person=${personId}`);
    expect(await page.getByLabel("上门地址").inputValue()).toBe("锦绣花园 3 号楼 2 单元 501");
    expect(await page.getByLabel("需要哪些帮助").inputValue()).toBe("行动不便，需要在床边理发");
    await page.getByRole("button", { name: "下一步：核对信息" }).click();
    await page.getByRole("button", { name: "确认预约" }).click();
    await page.waitForURL(/\/bookings\/bkg_/);
    await page.getByText("锦绣花园 3 号楼 2 单元 501").waitFor();
    // Booked: the next booking of this service starts empty.
    await page.goto(`/services/${offeringId}/book?slot=${slotIds[0]}&person=${personId}`);
    await page.getByRole("heading", { level: 1, name: "这个时段不能预约了" }).waitFor();
    const drafts = () =>
      page.evaluate((key) => Object.keys(sessionStorage).filter((k) => k.startsWith(key)), `draft:book:${offeringId}`);
    expect(await drafts()).toEqual([]);
    // What she types and leaves is not left for the next person to sign in on this phone.
    await page.goto(`/services/${offeringId}/book?slot=${slotIds[2]}&person=${personId}`);
    await page.getByLabel("上门地址").fill("锦绣花园 3 号楼 2 单元 501");
    expect(await drafts()).toHaveLength(1);
    await page.goto("/me");
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    expect(await drafts()).toEqual([]);

    await service.close();
    expect(problems).toEqual(["Failed to load resource: the server responded with a status of 409 (Conflict)"]);
    await context.close();
  });
});
