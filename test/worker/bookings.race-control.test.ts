import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newCode } from "../../worker/features/bookings/bookings.queries";
import { newId } from "../../worker/lib/ids";
import { DAY } from "../../worker/lib/time";
import { book, createAccounts, createOffering, createOrgStaff, createSlot, type TestAccount } from "../factories";

async function confirmedOn(slotId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM bookings WHERE slot_id = ? AND status = 'confirmed'")
    .bind(slotId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Deliberately WRONG booking: reads the count of held places, then — after awaits — inserts if it
 * was below capacity. It exists only to show that the concurrency checks can see a race.
 */
async function unguardedBook(slot: { id: string; offeringId: string; capacity: number }, actor: TestAccount) {
  const held = await confirmedOn(slot.id);
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (held >= slot.capacity) return false;
  const at = Date.now();
  await env.DB.prepare(
    `INSERT INTO bookings (id, slot_id, offering_id, person_id, actor_account_id, actor_role, channel, status, code,
                           created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'self', 'app', 'confirmed', ?, ?, ?)`,
  )
    .bind(newId("bkg"), slot.id, slot.offeringId, actor.personId, actor.id, newCode(), at, at)
    .run();
  return true;
}

describe("control for the concurrency tests", () => {
  it("an unguarded read-then-write overbooks 5 places under 50 calls; the endpoint holds exactly 5", async () => {
    const { organisationId, staff } = await createOrgStaff();
    const offeringId = await createOffering(staff, organisationId, { waitlist: false });
    const startsAt = Date.now() + DAY;
    const raceSlot = await createSlot(staff, offeringId, { startsAt, capacity: 5 });
    const realSlot = await createSlot(staff, offeringId, { startsAt: startsAt + DAY, capacity: 5 });
    const people = await createAccounts(50);

    const inserted = await Promise.all(people.map((p) => unguardedBook({ id: raceSlot, offeringId, capacity: 5 }, p)));
    expect(inserted.filter(Boolean).length).toBe(await confirmedOn(raceSlot));
    expect(await confirmedOn(raceSlot)).toBeGreaterThan(5);

    const responses = await Promise.all(people.map((p) => book(p, { slotId: realSlot, personId: p.personId })));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(5);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(45);
    expect(await confirmedOn(realSlot)).toBe(5);
  }, 30_000);
});
