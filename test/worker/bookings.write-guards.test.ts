import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookings, proxyLinks } from "../../db/schema";
import {
  cancelStatement,
  explainNoPlace,
  type TakeInput,
  takePlaceQuery,
  takePlaceValues,
} from "../../worker/features/bookings/bookings.queries";
import { bound, prepared, runBound } from "../../worker/lib/prepared";
import { DAY, HOUR } from "../../worker/lib/time";
import {
  book,
  createAccount,
  createCommunity,
  createManagedPerson,
  createOffering,
  createOrgStaff,
  createSlot,
  db,
  json,
  linkProxy,
} from "../factories";

/**
 * The route reads the context, runs the rules, then writes: the write must check again what could
 * change in between — these call the statements themselves, as if that change had just happened.
 */

async function setUp() {
  const community = await createCommunity();
  const { organisationId, staff } = await createOrgStaff("elderly_centre", community);
  const offeringId = await createOffering(staff, organisationId, { cancelCutoffHours: 2, waitlist: true });
  const startsAt = Date.now() + DAY;
  const slotId = await createSlot(staff, offeringId, { startsAt, capacity: 1 });
  const daughter = await createAccount({ name: "李娜" });
  const mother = await createManagedPerson(community);
  const link = await linkProxy(daughter.id, mother, staff.id);
  return { staff, slotId, startsAt, daughter, mother, link };
}

function input(fields: Pick<TakeInput, "slotId" | "personId" | "actorAccountId" | "actorRole" | "at">): TakeInput {
  return {
    channel: "app",
    notes: null,
    address: null,
    idempotencyKey: null,
    offering: { waitlist: true, requiresConfirmation: false, maxActivePerPerson: 3 },
    ...fields,
  };
}

async function take(fields: TakeInput) {
  const d = db();
  const { values } = takePlaceValues(fields);
  const [rows] = await runBound(d, [
    bound(
      prepared(d, "bookings.take", () => takePlaceQuery(d)),
      values,
    ),
  ]);
  return rows;
}

describe("the place-taking insert checks again", () => {
  it("that the actor may book for the person: a proxy link revoked after the read books nothing (404 by its reason)", async () => {
    const { slotId, daughter, mother, link } = await setUp();
    const at = Date.now();
    const asProxy = input({ slotId, personId: mother, actorAccountId: daughter.id, actorRole: "proxy", at });
    await db().update(proxyLinks).set({ status: "revoked", revokedAt: at }).where(eq(proxyLinks.id, link));
    expect(await take(asProxy)).toEqual([]);
    expect(await explainNoPlace(db(), asProxy, "ZZZZZZ")).toEqual({ ok: false, reason: "not_allowed" });
    // Staff at the desk book for her whatever her links say; with an active link, so does a daughter.
    expect(await take({ ...asProxy, actorRole: "staff" })).toHaveLength(1);
    const second = await setUp();
    const linked = input({
      slotId: second.slotId,
      personId: second.mother,
      actorAccountId: second.daughter.id,
      actorRole: "proxy",
      at,
    });
    expect(await take(linked)).toHaveLength(1);
  });

  it("that the slot has not ended: moved into the past after the read, it takes no booking", async () => {
    const { slotId, startsAt, daughter } = await setUp();
    const after = startsAt + 2 * HOUR;
    const late = input({
      slotId,
      personId: daughter.personId,
      actorAccountId: daughter.id,
      actorRole: "self",
      at: after,
    });
    expect(await take(late)).toEqual([]);
    expect(await explainNoPlace(db(), late, "ZZZZZZ")).toEqual({ ok: false, reason: "slot_closed" });
    const inTime = { ...late, at: startsAt - HOUR };
    expect(await take(inTime)).toHaveLength(1);
  });
});

describe("a resident's cancel checks the cut-off itself", () => {
  it("past the cut-off (a slot moved earlier after the read) a held place stays; a waitlisted one may go; staff may cancel", async () => {
    const { slotId, startsAt, daughter, staff } = await setUp();
    const held = await json<{ id: string; status: string }>(
      await book(daughter, { slotId, personId: daughter.personId }),
    );
    const other = await createAccount();
    const waiting = await json<{ id: string; status: string }>(await book(other, { slotId, personId: other.personId }));
    expect([held.status, waiting.status]).toEqual(["confirmed", "waitlisted"]);
    const pastCutoff = startsAt - HOUR;
    const cancel = (id: string, actor: string, cutoff: boolean, at = pastCutoff) =>
      db().batch([cancelStatement(db(), id, slotId, actor, at, ["confirmed", "waitlisted"], { cutoff })]);

    expect((await cancel(held.id, daughter.id, true))[0]).toEqual([]);
    expect((await cancel(held.id, daughter.id, true, startsAt - 2 * HOUR))[0]).toEqual([{ id: held.id }]);
    expect((await cancel(waiting.id, other.id, true))[0]).toEqual([{ id: waiting.id }]);
    const statuses = await db()
      .select({ id: bookings.id, status: bookings.status })
      .from(bookings)
      .where(sql`${bookings.slotId} = ${slotId}`);
    expect(Object.fromEntries(statuses.map((b) => [b.id, b.status]))).toEqual({
      [held.id]: "cancelled",
      [waiting.id]: "cancelled",
    });
    // Staff cancel past the cut-off (a booking made again for the test).
    const again = await json<{ id: string }>(await book(daughter, { slotId, personId: daughter.personId }));
    expect((await cancel(again.id, staff.id, false))[0]).toEqual([{ id: again.id }]);
  });
});
