import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { DAY } from "../../worker/lib/time";
import {
  book,
  bookingsOnSlot,
  createAccount,
  createBookableSlot,
  createCommunity,
  createManagedPerson,
  createOffering,
  createOrgStaff,
  createSlot,
  inboxOf,
  json,
  linkProxy,
} from "../factories";

type BookingBody = { id: string; status: string };

describe("Idempotency-Key", () => {
  it("20 retries at once make one booking and answer each with it", async () => {
    const slotId = await createBookableSlot();
    const me = await createAccount();
    const mother = await createAccount();
    await linkProxy(me.id, mother.personId, me.id);
    const key = `retry-${crypto.randomUUID()}`;

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => book(me, { slotId, personId: mother.personId }, key)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const ids = new Set(await Promise.all(responses.map(async (r) => (await json<BookingBody>(r)).id)));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.headers.get("Idempotency-Replayed") === "true")).toHaveLength(19);
    expect(await bookingsOnSlot(slotId)).toBe(1);

    // …and tells the mother once.
    expect((await inboxOf(mother)).filter((n) => n.kind === "booking_created")).toHaveLength(1);
  });

  it("a retry after the last place went still answers with the booking it made", async () => {
    const slotId = await createBookableSlot(1, { waitlist: false });
    const me = await createAccount();
    const first = await book(me, { slotId, personId: me.personId }, "key-full-slot");
    expect(first.status).toBe(201);
    expect(first.headers.get("Idempotency-Replayed")).toBeNull();
    const again = await book(me, { slotId, personId: me.personId }, "key-full-slot");
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotency-Replayed")).toBe("true");
    expect((await json<BookingBody>(again)).id).toBe((await json<BookingBody>(first)).id);
    expect(await bookingsOnSlot(slotId)).toBe(1);
  });

  it("a retry after booking closed (or the slot started) still answers with the booking it made", async () => {
    // Booking closes 2 hours before the start; the retry comes in after that, before the end.
    const { organisationId, staff } = await createOrgStaff();
    const offeringId = await createOffering(staff, organisationId, { closesHoursBefore: 2 });
    const startsAt = Date.now() + 3 * 3_600_000;
    const slotId = await createSlot(staff, offeringId, { startsAt, capacity: 2 });
    const me = await createAccount();
    const first = await json<BookingBody>(await book(me, { slotId, personId: me.personId }, "key-late-retry"));
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(startsAt + 10 * 60_000);
    try {
      const again = await book(me, { slotId, personId: me.personId }, "key-late-retry");
      expect(again.status).toBe(201);
      expect(again.headers.get("Idempotency-Replayed")).toBe("true");
      expect(await json<BookingBody>(again)).toEqual(first);
      // Without the key it is a new attempt, and booking has closed.
      const fresh = await book(me, { slotId, personId: me.personId });
      expect(fresh.status).toBe(409);
    } finally {
      vi.useRealTimers();
    }
    expect(await bookingsOnSlot(slotId)).toBe(1);
  });

  it("staff booking for a caller: a retry after the slot ended answers with the booking, before any rule", async () => {
    const { organisationId, staff } = await createOrgStaff();
    const offeringId = await createOffering(staff, organisationId);
    const startsAt = Date.now() + 3 * 3_600_000;
    const slotId = await createSlot(staff, offeringId, { startsAt, capacity: 2 });
    const caller = await createManagedPerson(await createCommunity());
    const body = { slotId, personId: caller, channel: "phone" };
    const first = await book(staff, body, "staff-late-retry");
    expect(first.status).toBe(201);
    const made = await json<BookingBody>(first);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(startsAt + 2 * 3_600_000);
    try {
      const again = await book(staff, body, "staff-late-retry");
      expect(again.status).toBe(201);
      expect(again.headers.get("Idempotency-Replayed")).toBe("true");
      expect(await json<BookingBody>(again)).toEqual(made);
      // For another person the key is refused, whatever else would be said.
      const other = await book(
        staff,
        { ...body, personId: await createManagedPerson(await createCommunity()) },
        "staff-late-retry",
      );
      expect(other.status).toBe(409);
      expect((await json<{ error: { code: string } }>(other)).error.code).toBe("CONFLICT");
      // Without the key it is a new attempt, and the slot is over.
      const fresh = await book(staff, body);
      expect(fresh.status).toBe(409);
      expect((await json<{ error: { code: string } }>(fresh)).error.code).toBe("BOOKING_CLOSED");
    } finally {
      vi.useRealTimers();
    }
    expect(await bookingsOnSlot(slotId)).toBe(1);
  });

  it("a retry from someone who may no longer book for the person is 404, not the booking", async () => {
    const slotId = await createBookableSlot();
    const daughter = await createAccount();
    const mother = await createManagedPerson(await createCommunity());
    const linkId = await linkProxy(daughter.id, mother, daughter.id);
    expect((await book(daughter, { slotId, personId: mother }, "revoked-proxy-key")).status).toBe(201);
    await env.DB.prepare("UPDATE proxy_links SET status = 'revoked' WHERE id = ?").bind(linkId).run();
    const again = await book(daughter, { slotId, personId: mother }, "revoked-proxy-key");
    expect(again.status).toBe(404);
    expect(JSON.stringify(await json(again))).not.toContain(slotId);

    // Staff whose grant was revoked, retrying a phone booking.
    const { organisationId, staff } = await createOrgStaff();
    const offeringId = await createOffering(staff, organisationId);
    const staffSlot = await createSlot(staff, offeringId, { startsAt: Date.now() + DAY, capacity: 2 });
    const body = { slotId: staffSlot, personId: mother, channel: "phone" };
    expect((await book(staff, body, "revoked-staff-key")).status).toBe(201);
    await env.DB.prepare("UPDATE role_grants SET revoked_at = ? WHERE account_id = ?").bind(Date.now(), staff.id).run();
    expect((await book(staff, body, "revoked-staff-key")).status).toBe(404);
  });

  it("without a key the same request twice is a second attempt: ALREADY_BOOKED", async () => {
    const slotId = await createBookableSlot();
    const me = await createAccount();
    expect((await book(me, { slotId, personId: me.personId })).status).toBe(201);
    const again = await book(me, { slotId, personId: me.personId });
    expect(again.status).toBe(409);
    expect((await json<{ error: { code: string } }>(again)).error.code).toBe("ALREADY_BOOKED");
  });

  it("a key reused for another slot is refused with 409, not answered with the first booking", async () => {
    const first = await createBookableSlot();
    const second = await createBookableSlot();
    const me = await createAccount();
    const key = `reuse-${crypto.randomUUID()}`;
    expect((await book(me, { slotId: first, personId: me.personId }, key)).status).toBe(201);
    const reused = await book(me, { slotId: second, personId: me.personId }, key);
    expect(reused.status).toBe(409);
    expect((await json<{ error: { code: string } }>(reused)).error.code).toBe("CONFLICT");
    expect(await bookingsOnSlot(second)).toBe(0);
  });

  it("a key belongs to the account that sent it", async () => {
    const slotId = await createBookableSlot();
    const [a, b] = await Promise.all([createAccount(), createAccount()]);
    const first = await json<BookingBody>(await book(a, { slotId, personId: a.personId }, "shared-key-123"));
    const other = await book(b, { slotId, personId: b.personId }, "shared-key-123");
    expect(other.status).toBe(201);
    expect(other.headers.get("Idempotency-Replayed")).toBeNull();
    expect((await json<BookingBody>(other)).id).not.toBe(first.id);
    expect(await bookingsOnSlot(slotId)).toBe(2);
  });

  it.each([
    ["short", "shorter than 8"],
    ["has spaces in it", "spaces"],
    ["x".repeat(101), "longer than 100"],
  ])("refuses the key %j (%s) with 400 and books nothing", async (key) => {
    const slotId = await createBookableSlot();
    const me = await createAccount();
    const res = await book(me, { slotId, personId: me.personId }, key);
    expect(res.status).toBe(400);
    expect(await bookingsOnSlot(slotId)).toBe(0);
  });
});
