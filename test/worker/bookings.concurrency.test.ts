import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DAY } from "../../worker/lib/time";
import { book, call, createAccounts, createOffering, createOrgStaff, createSlot, json } from "../factories";

type BookingBody = { id: string; status: string; waitlistPosition: number | null };
type ErrorBody = { error: { code: string } };

/** Bookings per status on a slot, as D1 has them. */
async function statusCounts(slotId: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    "SELECT status, count(*) AS n FROM bookings WHERE slot_id = ? GROUP BY status",
  )
    .bind(slotId)
    .all<{ status: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.status, r.n]));
}

describe("booking under concurrency", () => {
  it("200 people at once for 10 places: 10 confirmed and 190 waitlisted, or 190 × SLOT_FULL without a waitlist", async () => {
    const { organisationId, staff } = await createOrgStaff();
    const withList = await createOffering(staff, organisationId, { title: "助浴", waitlist: true });
    const withoutList = await createOffering(staff, organisationId, { title: "理发", waitlist: false });
    const startsAt = Date.now() + 2 * DAY;
    const listSlot = await createSlot(staff, withList, { startsAt, capacity: 10 });
    const fullSlot = await createSlot(staff, withoutList, { startsAt, capacity: 10 });
    const people = await createAccounts(200);

    const queued = await Promise.all(people.map((p) => book(p, { slotId: listSlot, personId: p.personId })));
    expect(queued.filter((r) => r.status >= 500)).toHaveLength(0);
    expect(queued.map((r) => r.status)).toEqual(Array(200).fill(201));
    const bodies = await Promise.all(queued.map((r) => json<BookingBody>(r)));
    expect(bodies.filter((b) => b.status === "confirmed")).toHaveLength(10);
    expect(bodies.filter((b) => b.status === "waitlisted")).toHaveLength(190);
    expect(await statusCounts(listSlot)).toEqual({ confirmed: 10, waitlisted: 190 });

    const list = await call(`/api/slots/${listSlot}/bookings`, { cookie: staff.cookie });
    const positions = (await json<{ bookings: BookingBody[] }>(list)).bookings
      .map((b) => b.waitlistPosition)
      .filter((p): p is number => p !== null)
      .sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 190 }, (_, i) => i + 1));

    const refused = await Promise.all(people.map((p) => book(p, { slotId: fullSlot, personId: p.personId })));
    expect(refused.filter((r) => r.status >= 500)).toHaveLength(0);
    expect(refused.filter((r) => r.status === 201)).toHaveLength(10);
    const rejected = refused.filter((r) => r.status !== 201);
    expect(rejected.map((r) => r.status)).toEqual(Array(190).fill(409));
    const codes = await Promise.all(rejected.map(async (r) => (await json<ErrorBody>(r)).error.code));
    expect(new Set(codes)).toEqual(new Set(["SLOT_FULL"]));
    expect(await statusCounts(fullSlot)).toEqual({ confirmed: 10 });
  }, 60_000);
});
