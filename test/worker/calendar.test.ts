import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import ICAL from "ical.js";
import { beforeAll, describe, expect, it } from "vitest";
import { proxyLinks } from "../../db/schema";
import { DAY, HOUR } from "../../worker/lib/time";
import {
  book,
  call,
  createAccount,
  createOffering,
  createOrganisation,
  createOrgStaff,
  createSlot,
  db,
  grantRole,
  json,
  linkProxy,
  type TestAccount,
} from "../factories";

type Booking = { id: string; code: string; status: string };

let resident: TestAccount;
let bookingId: string;
let code: string;

beforeAll(async () => {
  const org = await createOrganisation("day_care_centre");
  const staff = await createAccount();
  await grantRole(staff.id, "org_staff", { organisationId: org });
  const offering = await json<{ id: string }>(
    await call("/api/offerings", {
      cookie: staff.cookie,
      body: { organisationId: org, kind: "care", title: "日间照料" },
    }),
  );
  const start = Date.now() + 2 * 86_400_000;
  const slot = await json<{ id: string }>(
    await call(`/api/offerings/${offering.id}/slots`, {
      cookie: staff.cookie,
      body: { startsAt: start, endsAt: start + 8 * 3_600_000, capacity: 5 },
    }),
  );
  resident = await createAccount({ name: "王秀英" });
  const booking = await json<Booking>(
    await call("/api/bookings", { cookie: resident.cookie, body: { slotId: slot.id, personId: resident.personId } }),
  );
  bookingId = booking.id;
  code = booking.code;
});

async function feedUrl(account: TestAccount): Promise<string> {
  const res = await call("/api/me/calendar-feed", { method: "POST", cookie: account.cookie });
  expect(res.status).toBe(201);
  const { url } = await json<{ url: string }>(res);
  return new URL(url).pathname;
}

describe("personal calendar feed", () => {
  it("serves my bookings as valid iCalendar without signing in", async () => {
    const path = await feedUrl(resident);
    const res = await call(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/calendar/);
    const text = await res.text();
    const calendar = new ICAL.Component(ICAL.parse(text));
    const events = calendar.getAllSubcomponents("vevent");
    expect(events).toHaveLength(1);
    const event = events[0];
    expect(event?.getFirstPropertyValue("uid")).toBe(`${bookingId}@linli`);
    expect(event?.getFirstPropertyValue("dtstamp")).toBeTruthy();
    expect(event?.getFirstProperty("dtstart")?.getParameter("tzid")).toBe("Asia/Shanghai");
    expect(String(event?.getFirstPropertyValue("summary"))).toContain("日间照料（王秀英）");
    expect(String(event?.getFirstPropertyValue("description"))).toContain(code);
    expect(event?.getFirstPropertyValue("status")).toBe("CONFIRMED");
    // A calendar app adding its own query parameters gets the same feed.
    const tagged = await call(`${path}?client=ios&_=1764460800`);
    expect(tagged.status).toBe(200);
    expect(new ICAL.Component(ICAL.parse(await tagged.text())).getAllSubcomponents("vevent")).toHaveLength(1);
  });

  it("marks a waitlisted place as tentative, without a code, and drops it once the slot is over", async () => {
    const org = await createOrganisation("day_care_centre");
    const staff = await createAccount();
    await grantRole(staff.id, "org_staff", { organisationId: org });
    const offering = await createOffering(staff, org, { title: "助浴服务" });
    const slotId = await createSlot(staff, offering, { startsAt: Date.now() + DAY, capacity: 1 });
    const first = await createAccount();
    await book(first, { slotId, personId: first.personId });
    const waiting = await createAccount({ name: "候补人" });
    const queued = await json<Booking>(await book(waiting, { slotId, personId: waiting.personId }));
    expect(queued.status).toBe("waitlisted");
    const path = await feedUrl(waiting);
    const events = () =>
      call(path)
        .then((r) => r.text())
        .then((text) => new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent"));
    const [event] = await events();
    expect(event?.getFirstPropertyValue("status")).toBe("TENTATIVE");
    expect(String(event?.getFirstPropertyValue("summary"))).toBe("【候补】助浴服务（候补人）");
    expect(String(event?.getFirstPropertyValue("description"))).not.toContain(queued.code);
    // The slot took place without her: nothing left in her calendar.
    await env.DB.prepare("UPDATE slots SET starts_at = ?, ends_at = ? WHERE id = ?")
      .bind(Date.now() - 2 * DAY, Date.now() - 2 * DAY + HOUR, slotId)
      .run();
    expect(await events()).toHaveLength(0);
  });

  it("keeps what is ahead however many bookings the last 30 days hold, and leaves out cancelled ones", async () => {
    // A grid worker's month: 210 meals already served, then one booking next week and one cancelled.
    const { organisationId, staff } = await createOrgStaff("day_care_centre");
    const offeringId = await createOffering(staff, organisationId, { title: "社区助餐" });
    const worker = await createAccount({ name: "网格员小陈" });
    const day = 86_400_000;
    const past = Array.from({ length: 210 }, (_, i) => Date.now() - 20 * day + i * 3_600_000);
    const statements = past.flatMap((startsAt, i) => {
      const slot = `slt_past_${worker.id}_${i}`;
      return [
        env.DB.prepare(
          "INSERT INTO slots (id, offering_id, starts_at, ends_at, capacity, status, created_at, updated_at) VALUES (?, ?, ?, ?, 5, 'open', ?, ?)",
        ).bind(slot, offeringId, startsAt, startsAt + 1_800_000, startsAt, startsAt),
        env.DB.prepare(
          "INSERT INTO bookings (id, slot_id, offering_id, person_id, actor_account_id, actor_role, channel, status, code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'self', 'app', 'completed', ?, ?, ?)",
        ).bind(
          `bkg_past_${worker.id}_${i}`,
          slot,
          offeringId,
          worker.personId,
          worker.id,
          `P${worker.id.slice(-4)}${i}`,
          startsAt,
          startsAt,
        ),
      ];
    });
    await env.DB.batch(statements);
    const nextWeek = await createSlot(staff, offeringId, { startsAt: Date.now() + 7 * day, capacity: 5 });
    const dropped = await createSlot(staff, offeringId, { startsAt: Date.now() + 6 * day, capacity: 5 });
    const ahead = await json<Booking>(await book(worker, { slotId: nextWeek, personId: worker.personId }));
    const cancelled = await json<Booking>(await book(worker, { slotId: dropped, personId: worker.personId }));
    expect((await call(`/api/bookings/${cancelled.id}/cancel`, { cookie: worker.cookie, body: {} })).status).toBe(200);

    const text = await (await call(await feedUrl(worker))).text();
    const uids = new ICAL.Component(ICAL.parse(text))
      .getAllSubcomponents("vevent")
      .map((e) => String(e.getFirstPropertyValue("uid")));
    expect(uids).toContain(`${ahead.id}@linli`);
    expect(uids).not.toContain(`${cancelled.id}@linli`);
    // The most recent hundred of the month behind, and the week ahead.
    expect(uids).toHaveLength(101);
    expect(uids).toContain(`bkg_past_${worker.id}_209@linli`);
  });

  it("stops working when reset or revoked, and an unknown token is 404", async () => {
    const first = await feedUrl(resident);
    const second = await feedUrl(resident);
    expect((await call(first)).status).toBe(404);
    expect((await call(second)).status).toBe(200);
    expect((await call("/api/me/calendar-feed", { method: "DELETE", cookie: resident.cookie })).status).toBe(200);
    expect((await call(second)).status).toBe(404);
    expect((await call("/api/calendar/not-a-token.ics")).status).toBe(400);
    expect((await call(`/api/calendar/${"a".repeat(32)}.ics`)).status).toBe(404);
  });

  it("needs a session to create a link", async () => {
    expect((await call("/api/me/calendar-feed", { method: "POST" })).status).toBe(401);
  });
});

describe("check-in QR code", () => {
  it("is an SVG for the booked person, 404 for anyone else", async () => {
    const res = await call(`/api/bookings/${bookingId}/qr.svg`, { cookie: resident.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml");
    expect(await res.text()).toMatch(/^<svg[\s\S]*<\/svg>$/);
    const stranger = await createAccount();
    expect((await call(`/api/bookings/${bookingId}/qr.svg`, { cookie: stranger.cookie })).status).toBe(404);
  });

  it("follows the booking rule for proxies: a health-only link does not show the code", async () => {
    const helper = await createAccount();
    const linkId = await linkProxy(helper.id, resident.personId, helper.id);
    expect((await call(`/api/bookings/${bookingId}/qr.svg`, { cookie: helper.cookie })).status).toBe(200);
    await db().update(proxyLinks).set({ scope: "health" }).where(eq(proxyLinks.id, linkId));
    expect((await call(`/api/bookings/${bookingId}/qr.svg`, { cookie: helper.cookie })).status).toBe(404);
  });
});
