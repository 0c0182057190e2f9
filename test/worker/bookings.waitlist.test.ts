import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DAY } from "../../worker/lib/time";
import {
  book,
  call,
  createAccount,
  createOffering,
  createOrgStaff,
  createSlot,
  json,
  lastSms,
  type TestAccount,
} from "../factories";

type BookingBody = { id: string; status: string; waitlistPosition: number | null };
type Inbox = {
  notifications: Array<{ kind: string; link: string | null; body: string; params: Record<string, unknown> | null }>;
};

/** The template of the newest text queued for `phone`. */
async function outboxTemplate(phone: string) {
  const row = await env.DB.prepare(
    "SELECT template FROM outbox WHERE recipient = ? ORDER BY created_at DESC, id DESC LIMIT 1",
  )
    .bind(phone)
    .first<{ template: string }>();
  return row?.template;
}

async function statusCounts(slotId: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    "SELECT status, count(*) AS n FROM bookings WHERE slot_id = ? GROUP BY status",
  )
    .bind(slotId)
    .all<{ status: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.status, r.n]));
}

async function heldPlaces(slotId: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT count(*) AS n FROM bookings WHERE slot_id = ? AND status IN ('pending', 'confirmed', 'checked_in', 'completed')",
  )
    .bind(slotId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** A slot of `capacity` and `n` residents who booked it one after another (so arrival order is known). */
async function bookedInOrder(capacity: number, n: number, fields: Record<string, unknown> = {}) {
  const { organisationId, staff } = await createOrgStaff();
  const offeringId = await createOffering(staff, organisationId, { title: "康复训练", ...fields });
  const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 3 * DAY, capacity });
  const people = await Promise.all(Array.from({ length: n }, (_, i) => createAccount({ name: `候补${i}` })));
  const booked: BookingBody[] = [];
  for (const p of people) booked.push(await json<BookingBody>(await book(p, { slotId, personId: p.personId })));
  return { staff, slotId, people, booked };
}

function cancel(who: TestAccount, bookingId: string | undefined) {
  return call(`/api/bookings/${bookingId}/cancel`, { cookie: who.cookie, body: {} });
}

async function statusesOf(people: TestAccount[], booked: BookingBody[]) {
  return Promise.all(
    people.map(async (p, i) => json<BookingBody>(await call(`/api/bookings/${booked[i]?.id}`, { cookie: p.cookie }))),
  );
}

async function inbox(who: TestAccount) {
  return json<Inbox>(await call("/api/notifications", { cookie: who.cookie }));
}

describe("waitlist promotion on cancel", () => {
  it("places the first comers and numbers the rest of the waitlist in arrival order", async () => {
    const { booked } = await bookedInOrder(3, 6);
    expect(booked.map((b) => b.status)).toEqual([
      "confirmed",
      "confirmed",
      "confirmed",
      "waitlisted",
      "waitlisted",
      "waitlisted",
    ]);
    expect(booked.map((b) => b.waitlistPosition)).toEqual([null, null, null, 1, 2, 3]);
  });

  it("one cancel gives the place to the first on the waitlist, who is told in the inbox and by SMS", async () => {
    const { slotId, people, booked } = await bookedInOrder(1, 3);
    const [holder, first, second] = people as [TestAccount, TestAccount, TestAccount];
    const res = await cancel(holder, booked[0]?.id);
    expect(res.status).toBe(200);
    expect((await json<BookingBody>(res)).status).toBe("cancelled");

    const after = await statusesOf(people, booked);
    expect(after.map((b) => [b.status, b.waitlistPosition])).toEqual([
      ["cancelled", null],
      ["confirmed", null],
      ["waitlisted", 1],
    ]);
    expect(await statusCounts(slotId)).toEqual({ cancelled: 1, confirmed: 1, waitlisted: 1 });
    const promoted = (await inbox(first)).notifications.filter((n) => n.kind === "waitlist_promoted");
    expect(promoted).toEqual([expect.objectContaining({ link: `/bookings/${booked[1]?.id}` })]);
    expect(await lastSms(first.phone)).toContain("已有名额，预约已生效");
    expect(await outboxTemplate(first.phone)).toBe("waitlist_promoted");
    expect((await inbox(second)).notifications.some((n) => n.kind === "waitlist_promoted")).toBe(false);
  });

  it("3 confirmed cancelled at once promote exactly the first 3 waitlisted, never holding more than 3", async () => {
    const { slotId, people, booked } = await bookedInOrder(3, 8);
    expect(booked.map((b) => b.status)).toEqual([...Array(3).fill("confirmed"), ...Array(5).fill("waitlisted")]);

    let maxHeld = 0;
    let cancelling = true;
    const sampler = (async () => {
      for (let i = 0; cancelling && i < 500; i++) maxHeld = Math.max(maxHeld, await heldPlaces(slotId));
    })();
    const cancels = await Promise.all(people.slice(0, 3).map((p, i) => cancel(p, booked[i]?.id)));
    cancelling = false;
    await sampler;
    expect(cancels.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(maxHeld).toBeLessThanOrEqual(3);
    expect(await statusCounts(slotId)).toEqual({ cancelled: 3, confirmed: 3, waitlisted: 2 });

    const after = await statusesOf(people, booked);
    expect(after.map((b) => b.status)).toEqual([
      ...Array(3).fill("cancelled"),
      ...Array(3).fill("confirmed"),
      ...Array(2).fill("waitlisted"),
    ]);
    expect(after.slice(6).map((b) => b.waitlistPosition)).toEqual([1, 2]);

    for (const p of people.slice(3, 6)) {
      expect((await inbox(p)).notifications.filter((n) => n.kind === "waitlist_promoted")).toHaveLength(1);
      expect(await lastSms(p.phone)).toContain("已有名额");
    }
    for (const p of people.slice(6)) {
      expect((await inbox(p)).notifications.some((n) => n.kind === "waitlist_promoted")).toBe(false);
      const sms = await json<{ messages: unknown[] }>(await call(`/api/dev/outbox?phone=${p.phone}`));
      expect(sms.messages).toHaveLength(0);
    }
  });

  it("a cancel racing ten new bookings for the freed place never overfills the slot", async () => {
    const { slotId, people, booked } = await bookedInOrder(2, 2);
    const [holder] = people as [TestAccount];
    const newcomers = await Promise.all(Array.from({ length: 10 }, () => createAccount()));
    const results = await Promise.all([
      cancel(holder, booked[0]?.id),
      ...newcomers.map((p) => book(p, { slotId, personId: p.personId })),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, ...Array(10).fill(201)]);
    expect(await heldPlaces(slotId)).toBe(2);
    expect(await statusCounts(slotId)).toEqual({ cancelled: 1, confirmed: 2, waitlisted: 9 });
  });

  it("a waitlisted person leaving moves the others up and promotes no one", async () => {
    const { slotId, people, booked } = await bookedInOrder(1, 4);
    const res = await cancel(people[1] as TestAccount, booked[1]?.id);
    expect(res.status).toBe(200);
    const after = await statusesOf(people, booked);
    expect(after.map((b) => [b.status, b.waitlistPosition])).toEqual([
      ["confirmed", null],
      ["cancelled", null],
      ["waitlisted", 1],
      ["waitlisted", 2],
    ]);
    expect(await statusCounts(slotId)).toEqual({ confirmed: 1, cancelled: 1, waitlisted: 2 });
  });

  it("leaving the waiting list only: a place given meanwhile is kept (409), a waiting place is left", async () => {
    const { slotId, people, booked } = await bookedInOrder(1, 3);
    const leave = (who: TestAccount, id: string | undefined) =>
      call(`/api/bookings/${id}/cancel`, { cookie: who.cookie, body: { waitlistOnly: true } });
    // The first cancels her place; the second, her page still showing her on the waiting list,
    // meant to leave it — she now holds the place, and keeps it.
    expect((await cancel(people[0] as TestAccount, booked[0]?.id)).status).toBe(200);
    const refused = await leave(people[1] as TestAccount, booked[1]?.id);
    expect(refused.status).toBe(409);
    expect((await json<{ error: { code: string } }>(refused)).error.code).toBe("CONFLICT");
    expect(await statusCounts(slotId)).toEqual({ cancelled: 1, confirmed: 1, waitlisted: 1 });
    // The third is still waiting: she leaves.
    expect((await leave(people[2] as TestAccount, booked[2]?.id)).status).toBe(200);
    expect(await statusCounts(slotId)).toEqual({ cancelled: 2, confirmed: 1 });
    // Not a boolean: 400.
    const bad = await call(`/api/bookings/${booked[1]?.id}/cancel`, {
      cookie: (people[1] as TestAccount).cookie,
      body: { waitlistOnly: "yes" },
    });
    expect(bad.status).toBe(400);
  });

  it("promotion into an offering that needs confirmation makes the booking pending, not confirmed", async () => {
    const { people, booked } = await bookedInOrder(1, 2, { requiresConfirmation: true });
    expect(booked.map((b) => b.status)).toEqual(["pending", "waitlisted"]);
    expect((await cancel(people[0] as TestAccount, booked[0]?.id)).status).toBe(200);
    const after = await statusesOf(people, booked);
    expect(after.map((b) => b.status)).toEqual(["cancelled", "pending"]);
    // Told that the place is theirs once the service confirms it — not that it stands.
    const waiting = people[1] as TestAccount;
    const [notice, ...more] = (await inbox(waiting)).notifications.filter((n) => n.kind === "waitlist_promoted");
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ params: { status: "pending" } });
    expect(notice?.body).toContain("已有名额，待服务机构确认后生效");
    expect(await lastSms(waiting.phone)).toContain("待服务机构确认后生效");
    expect(await outboxTemplate(waiting.phone)).toBe("waitlist_promoted:pending");
  });

  it("cancelling twice answers 409 the second time", async () => {
    const { people, booked } = await bookedInOrder(2, 1);
    const [me] = people as [TestAccount];
    expect((await cancel(me, booked[0]?.id)).status).toBe(200);
    const again = await cancel(me, booked[0]?.id);
    expect(again.status).toBe(409);
  });
});
