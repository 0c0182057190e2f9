import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../db";
import { cancelStatement } from "../../worker/features/bookings/bookings.queries";
import { sendReminders } from "../../worker/features/bookings/reminders";
import { shanghaiTime } from "../../worker/lib/shanghai";
import { HOUR, MINUTE } from "../../worker/lib/time";
import { runScheduled } from "../../worker/scheduled";
import {
  book,
  call,
  createAccount,
  createCommunity,
  createOffering,
  createOrgStaff,
  createSlot,
  inboxOf,
  json,
  linkProxy,
  type TestAccount,
} from "../factories";

type BookingBody = { id: string; status: string };

let community: string;
let staff: TestAccount;
let offeringId: string;

beforeEach(async () => {
  community = await createCommunity();
  let organisationId: string;
  ({ organisationId, staff } = await createOrgStaff("day_care_centre", community));
  offeringId = await createOffering(staff, organisationId, { title: "助浴服务" });
});

/** How many notices of `kind` about a booking an account has, in its inbox and by SMS. */
async function told(account: TestAccount, kind: string, bookingId: string) {
  const inbox = await env.DB.prepare(
    "SELECT count(*) AS n FROM notifications WHERE account_id = ? AND kind = ? AND link = ?",
  )
    .bind(account.id, kind, `/bookings/${bookingId}`)
    .first<{ n: number }>();
  const sms = await env.DB.prepare("SELECT count(*) AS n FROM outbox WHERE recipient = ? AND template = ?")
    .bind(account.phone, kind)
    .first<{ n: number }>();
  return { inbox: inbox?.n ?? 0, sms: sms?.n ?? 0 };
}

/** A daughter who books for her mother (who has her own account) through an active link. */
async function family() {
  const mother = await createAccount({ name: "李秀兰" });
  const daughter = await createAccount({ name: "李娜" });
  const linkId = await linkProxy(daughter.id, mother.personId, staff.id);
  return { mother, daughter, linkId };
}

describe("who hears about a booking made for someone else", () => {
  it("the family member who booked is reminded while the link is active, and not once it is revoked", async () => {
    const kept = await family();
    const revoked = await family();
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 20 * HOUR, capacity: 5 });
    const keptBooking = await json<BookingBody>(await book(kept.daughter, { slotId, personId: kept.mother.personId }));
    const revokedBooking = await json<BookingBody>(
      await book(revoked.daughter, { slotId, personId: revoked.mother.personId }),
    );
    // The mother ends her daughter's right to act for her.
    const revoke = await call(`/api/proxy-links/${revoked.linkId}/revoke`, { cookie: revoked.mother.cookie, body: {} });
    expect(revoke.status).toBe(200);

    await runScheduled(env, Date.now());

    expect(await told(kept.daughter, "reminder-24h", keptBooking.id)).toEqual({ inbox: 1, sms: 1 });
    expect(await told(kept.mother, "reminder-24h", keptBooking.id)).toEqual({ inbox: 1, sms: 1 });
    // No longer her business: she cannot see the booking, so she is not texted its check-in code.
    expect(await told(revoked.daughter, "reminder-24h", revokedBooking.id)).toEqual({ inbox: 0, sms: 0 });
    expect(await told(revoked.mother, "reminder-24h", revokedBooking.id)).toEqual({ inbox: 1, sms: 1 });
  });

  it("a staff cancel and a slot change tell the person, not a family member whose link was revoked", async () => {
    const { mother, daughter, linkId } = await family();
    const startsAt = Date.now() + 3 * 24 * HOUR;
    const slotId = await createSlot(staff, offeringId, { startsAt, capacity: 5 });
    const booking = await json<BookingBody>(await book(daughter, { slotId, personId: mother.personId }));
    expect((await call(`/api/proxy-links/${linkId}/revoke`, { cookie: daughter.cookie, body: {} })).status).toBe(200);

    const moved = await call(`/api/slots/${slotId}`, {
      method: "PATCH",
      cookie: staff.cookie,
      body: { startsAt: startsAt + HOUR, endsAt: startsAt + 2 * HOUR },
    });
    expect(moved.status).toBe(200);
    const cancelled = await call(`/api/bookings/${booking.id}/cancel`, { cookie: staff.cookie, body: {} });
    expect(cancelled.status).toBe(200);

    for (const kind of ["slot_changed", "booking_cancelled_by_staff"]) {
      expect(await told(mother, kind, booking.id)).toEqual({ inbox: 1, sms: 1 });
      expect(await told(daughter, kind, booking.id)).toEqual({ inbox: 0, sms: 0 });
    }
  });

  it("a booking taken by phone reminds the person, not the staff member who took it", async () => {
    const elder = await createAccount({ name: "王秀英" });
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 90 * MINUTE, capacity: 5 });
    const booking = await json<BookingBody>(await book(staff, { slotId, personId: elder.personId, channel: "phone" }));
    expect(booking.status).toBe("confirmed");
    await runScheduled(env, Date.now());
    expect(await told(elder, "reminder-2h", booking.id)).toEqual({ inbox: 1, sms: 1 });
    expect(await told(staff, "reminder-2h", booking.id)).toEqual({ inbox: 0, sms: 0 });
  });
});

describe("reminders at volume", () => {
  it("sends every due reminder however many there are, page by page, and a second run sends none", async () => {
    const db = createDb(env.DB);
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 20 * HOUR, capacity: 10 });
    const people = await Promise.all(Array.from({ length: 7 }, () => createAccount()));
    for (const p of people) expect((await book(p, { slotId, personId: p.personId })).status).toBe(201);

    // Pages of two: the seven bookings take four reads. Before, one read of a fixed size was all a
    // run sent, and every later run read the same first ones again.
    const at = Date.now();
    await sendReminders(db, at, 2);
    for (const p of people) {
      const [own] = (await inboxOf(p)).filter((n) => n.kind === "reminder-24h");
      expect(own?.body).toContain("助浴服务");
    }
    expect(await sendReminders(db, at, 2)).toBe(0);
    const sms = await env.DB.prepare(
      `SELECT count(*) AS n FROM outbox WHERE template = 'reminder-24h' AND recipient IN (${people.map(() => "?").join(", ")})`,
    )
      .bind(...people.map((p) => p.phone))
      .first<{ n: number }>();
    expect(sms?.n).toBe(7);
  });
});

describe("the waitlist and the clock", () => {
  it("a place freed after the slot has started goes to nobody on the waitlist", async () => {
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 5 * HOUR, capacity: 1 });
    const first = await createAccount();
    const waiting = await createAccount();
    const held = await json<BookingBody>(await book(first, { slotId, personId: first.personId }));
    const queued = await json<BookingBody>(await book(waiting, { slotId, personId: waiting.personId }));
    expect([held.status, queued.status]).toEqual(["confirmed", "waitlisted"]);
    // The session began half an hour ago; staff then cancel the first booking (a correction).
    await env.DB.prepare("UPDATE slots SET starts_at = ?, ends_at = ? WHERE id = ?")
      .bind(Date.now() - 30 * MINUTE, Date.now() + 30 * MINUTE, slotId)
      .run();
    expect((await call(`/api/bookings/${held.id}/cancel`, { cookie: staff.cookie, body: {} })).status).toBe(200);

    const after = await json<BookingBody>(await call(`/api/bookings/${queued.id}`, { cookie: waiting.cookie }));
    expect(after.status).toBe("waitlisted");
    expect(await told(waiting, "waitlist_promoted", queued.id)).toEqual({ inbox: 0, sms: 0 });
  });

  it("more places and a new time in one change: the promoted person is told the new time", async () => {
    const startsAt = Date.now() + 3 * 24 * HOUR;
    const slotId = await createSlot(staff, offeringId, { startsAt, capacity: 1 });
    const first = await createAccount();
    const waiting = await createAccount();
    await book(first, { slotId, personId: first.personId });
    const queued = await json<BookingBody>(await book(waiting, { slotId, personId: waiting.personId }));
    const later = startsAt + 2 * HOUR;
    const res = await call(`/api/slots/${slotId}`, {
      method: "PATCH",
      cookie: staff.cookie,
      body: { capacity: 2, startsAt: later, endsAt: later + HOUR },
    });
    expect(res.status).toBe(200);
    const [promoted] = (await inboxOf(waiting)).filter((n) => n.kind === "waitlist_promoted");
    expect(promoted?.body).toContain(shanghaiTime(later));
    expect(promoted?.body).not.toContain(shanghaiTime(startsAt));
    expect(queued.status).toBe("waitlisted");
  });

  it("more places go to the waitlist before anyone booking at the same moment", async () => {
    for (let round = 0; round < 3; round++) {
      const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 3 * 24 * HOUR, capacity: 1 });
      const first = await createAccount();
      const waiting = await createAccount();
      await book(first, { slotId, personId: first.personId });
      const queued = await json<BookingBody>(await book(waiting, { slotId, personId: waiting.personId }));
      expect(queued.status).toBe("waitlisted");
      const newcomers = await Promise.all(Array.from({ length: 8 }, () => createAccount()));
      const [raised, ...booked] = await Promise.all([
        call(`/api/slots/${slotId}`, { method: "PATCH", cookie: staff.cookie, body: { capacity: 2 } }),
        ...newcomers.map((p) => book(p, { slotId, personId: p.personId })),
      ]);
      expect(raised?.status).toBe(200);
      expect(booked.map((r) => r.status)).toEqual(Array(8).fill(201));
      const mine = await json<BookingBody>(await call(`/api/bookings/${queued.id}`, { cookie: waiting.cookie }));
      // The second place is hers: she was waiting before any of them asked.
      expect(mine.status).toBe("confirmed");
      const held = await env.DB.prepare(
        "SELECT count(*) AS n FROM bookings WHERE slot_id = ? AND status IN ('confirmed', 'pending')",
      )
        .bind(slotId)
        .first<{ n: number }>();
      expect(held?.n).toBe(2);
    }
  });
});

describe("cancelling against a status that changed since it was read", () => {
  it("a cancel limited to the waitlist leaves a booking promoted meanwhile alone", async () => {
    const db = createDb(env.DB);
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 3 * 24 * HOUR, capacity: 1 });
    const me = await createAccount();
    const booking = await json<BookingBody>(await book(me, { slotId, personId: me.personId }));
    expect(booking.status).toBe("confirmed");
    // What the cancel route sends after the cut-off, for a booking it read as waitlisted.
    expect(await cancelStatement(db, booking.id, slotId, me.id, Date.now(), ["waitlisted"])).toHaveLength(0);
    const still = await json<BookingBody>(await call(`/api/bookings/${booking.id}`, { cookie: me.cookie }));
    expect(still.status).toBe("confirmed");
    expect(
      await cancelStatement(db, booking.id, slotId, me.id, Date.now(), ["pending", "confirmed", "waitlisted"]),
    ).toHaveLength(1);
  });
});
