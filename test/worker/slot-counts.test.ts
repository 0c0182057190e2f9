import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DAY, MINUTE } from "../../worker/lib/time";
import {
  book,
  call,
  createAccount,
  createCommunity,
  createOffering,
  createOrgStaff,
  createSlot,
  json,
  type TestAccount,
} from "../factories";

afterEach(() => {
  vi.useRealTimers();
});

/** The slot's counter columns beside the counts recomputed from its bookings. */
async function counts(slotId: string) {
  const row = await env.DB.prepare(
    `SELECT s.held_count AS held, s.waitlist_count AS waitlist,
            (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id
               AND b.status IN ('pending', 'confirmed', 'checked_in', 'completed')) AS heldActual,
            (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'waitlisted') AS waitlistActual
     FROM slots s WHERE s.id = ?`,
  )
    .bind(slotId)
    .first<{ held: number; waitlist: number; heldActual: number; waitlistActual: number }>();
  if (!row) throw new Error("no slot");
  expect(row.held).toBe(row.heldActual);
  expect(row.waitlist).toBe(row.waitlistActual);
  const api = await json<{ taken: number; waitlisted: number; free: number }>(await call(`/api/slots/${slotId}`));
  expect(api).toMatchObject({ taken: row.held, waitlisted: row.waitlist });
  return { held: row.held, waitlist: row.waitlist };
}

async function bookSelf(who: TestAccount, slotId: string) {
  const res = await book(who, { slotId, personId: who.personId });
  expect(res.status).toBe(201);
  return json<{ id: string; status: string; code: string }>(res);
}

describe("a slot's held and waitlist counters (kept by triggers)", () => {
  it("follow every booking write: book, waitlist, cancel with promotion, check-in, no-show, slot cancel", async () => {
    const community = await createCommunity();
    const { organisationId, staff } = await createOrgStaff("day_care_centre", community);
    const offeringId = await createOffering(staff, organisationId);
    const startsAt = Date.now() + DAY;
    const slotId = await createSlot(staff, offeringId, { startsAt, capacity: 2 });
    expect(await counts(slotId)).toEqual({ held: 0, waitlist: 0 });

    const people = await Promise.all([createAccount(), createAccount(), createAccount(), createAccount()]);
    const [a, b, c, d] = await Promise.all(people.map((p) => bookSelf(p, slotId)));
    expect([a, b, c, d].map((x) => x?.status).sort()).toEqual(["confirmed", "confirmed", "waitlisted", "waitlisted"]);
    expect(await counts(slotId)).toEqual({ held: 2, waitlist: 2 });

    // Cancelling a place promotes the first on the waitlist in the same step.
    const confirmed = [a, b, c, d].filter((x) => x?.status === "confirmed");
    const owner = people[[a, b, c, d].indexOf(confirmed[0])] as TestAccount;
    const cancel = await call(`/api/bookings/${confirmed[0]?.id}/cancel`, { cookie: owner.cookie, body: {} });
    expect(cancel.status).toBe(200);
    expect(await counts(slotId)).toEqual({ held: 2, waitlist: 1 });

    // At the start: one checks in (still holds the place), the other is a no-show (no longer does).
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(startsAt + 10 * MINUTE);
    const held = (
      await json<{ bookings: Array<{ id: string; code: string; status: string }> }>(
        await call(`/api/slots/${slotId}/bookings`, { cookie: staff.cookie }),
      )
    ).bookings.filter((x) => x.status === "confirmed");
    expect(held).toHaveLength(2);
    const [first, second] = held;
    expect((await call("/api/bookings/check-in", { cookie: staff.cookie, body: { code: first?.code } })).status).toBe(
      200,
    );
    expect((await call(`/api/bookings/${second?.id}/no-show`, { cookie: staff.cookie, method: "POST" })).status).toBe(
      200,
    );
    expect(await counts(slotId)).toEqual({ held: 1, waitlist: 1 });

    // Cancelling the slot cancels everyone still on it.
    const cancelled = await call(`/api/slots/${slotId}/cancel`, { cookie: staff.cookie, body: { reason: "停电" } });
    expect(cancelled.status).toBe(200);
    expect(await counts(slotId)).toEqual({ held: 0, waitlist: 0 });
  });

  it("are kept by the three triggers (a table rebuild by a future migration would drop them)", async () => {
    const rows = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'bookings' ORDER BY name",
    ).all<{ name: string }>();
    // …and the booked notice's (migrations 0008, 0009; test/worker/booked-notices.test.ts) and the
    // volunteer service records' (migrations 0016, 0017; test/worker/volunteer-shifts.test.ts) and
    // the one deleting a cancelled tele-consultation's symptoms (0025; test/worker/clinics.test.ts).
    expect(rows.results.map((r) => r.name)).toEqual([
      "bookings_booked_notices",
      "bookings_counts_delete",
      "bookings_counts_insert",
      "bookings_counts_update",
      "bookings_teleconsult_symptoms_cleared",
      "bookings_volunteer_called_off",
      "bookings_volunteer_check_in",
      "bookings_volunteer_check_out",
    ]);
  });

  it("a slot cannot be stretched past 62 days (slot lists rely on it)", async () => {
    const community = await createCommunity();
    const { organisationId, staff } = await createOrgStaff("day_care_centre", community);
    const offeringId = await createOffering(staff, organisationId);
    const startsAt = Date.now() + DAY;
    const slotId = await createSlot(staff, offeringId, { startsAt, capacity: 2 });
    const res = await call(`/api/slots/${slotId}`, {
      cookie: staff.cookie,
      method: "PATCH",
      body: { endsAt: startsAt + 63 * DAY },
    });
    expect(res.status).toBe(400);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe("VALIDATION_FAILED");
  });
});
