import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, offerings } from "../../db/schema";
import { DAY } from "../../worker/lib/time";
import {
  book,
  call,
  createAccount,
  createCommunity,
  createCommunityStaff,
  createOffering,
  createOrgStaff,
  createSlot,
  db,
  grantRole,
  json,
  type TestAccount,
} from "../factories";

type ErrorBody = { error: { code: string; message: string } };
type OfferingBody = Record<string, unknown> & { id: string; status: string };

let community: string;
let organisationId: string;
let staff: TestAccount;
let offeringId: string;

beforeEach(async () => {
  community = await createCommunity();
  ({ organisationId, staff } = await createOrgStaff("elderly_centre", community));
  offeringId = await createOffering(staff, organisationId, {
    title: "助浴服务",
    waitlist: false,
    opensDaysBefore: 3,
    maxActivePerPerson: 2,
    minAge: 60,
  });
});

function edit(actor: TestAccount | null, id: string, body: unknown) {
  return call(`/api/offerings/${id}`, { method: "PATCH", cookie: actor?.cookie, body });
}

function archive(actor: TestAccount | null, id: string) {
  return call(`/api/offerings/${id}/archive`, { method: "POST", cookie: actor?.cookie });
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect((await json<ErrorBody>(res)).error.code).toBe(code);
}

async function audits(action: string, id: string) {
  return db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.subjectId, id), eq(auditLog.action, action)));
}

async function outsiders() {
  const { staff: otherOrg } = await createOrgStaff("day_care_centre", community);
  const communityStaff = await createCommunityStaff(community);
  const resident = await createAccount();
  return { otherOrg, communityStaff, resident };
}

describe("PATCH /api/offerings/{id}", () => {
  it("changes the given fields only — the others keep their values, not the create defaults — and is audited", async () => {
    const res = await edit(staff, offeringId, {
      title: "助浴服务（周二、周四）",
      priceFen: 2500,
      personTypes: ["disabled_elderly"],
      subsidyNote: null,
      minAge: 60,
    });
    expect(res.status).toBe(200);
    const body = await json<OfferingBody>(res);
    expect(body).toMatchObject({
      title: "助浴服务（周二、周四）",
      priceFen: 2500,
      personTypes: ["disabled_elderly"],
      // Untouched, though the create schema defaults them to true, 14 and 3.
      waitlist: false,
      opensDaysBefore: 3,
      maxActivePerPerson: 2,
      organisationId,
      kind: "care",
      status: "active",
    });
    expect(await json<OfferingBody>(await call(`/api/offerings/${offeringId}`))).toMatchObject({
      title: "助浴服务（周二、周四）",
      waitlist: false,
    });
    const [audit, ...more] = await audits("offering.update", offeringId);
    expect(more).toEqual([]);
    // minAge was already 60, subsidyNote already null.
    expect(audit).toMatchObject({ actorAccountId: staff.id, detail: { fields: ["title", "priceFen", "personTypes"] } });
  });

  it("is open to the organisation's admin and street admins; other organisations and community staff get 404, residents 403", async () => {
    const orgAdmin = await createAccount();
    await grantRole(orgAdmin.id, "org_admin", { organisationId });
    const admin = await createAccount();
    await grantRole(admin.id, "street_admin");
    expect((await edit(orgAdmin, offeringId, { priceFen: 100 })).status).toBe(200);
    expect((await edit(admin, offeringId, { priceFen: 200 })).status).toBe(200);

    const { otherOrg, communityStaff, resident } = await outsiders();
    await expectError(await edit(otherOrg, offeringId, { priceFen: 0 }), 404, "NOT_FOUND");
    await expectError(await edit(communityStaff, offeringId, { priceFen: 0 }), 404, "NOT_FOUND");
    await expectError(await edit(resident, offeringId, { priceFen: 0 }), 403, "FORBIDDEN");
    await expectError(await edit(null, offeringId, { priceFen: 0 }), 401, "UNAUTHENTICATED");
    await expectError(await edit(staff, "off_doesnotexist", { priceFen: 0 }), 404, "NOT_FOUND");
    const [row] = await db()
      .select({ priceFen: offerings.priceFen })
      .from(offerings)
      .where(eq(offerings.id, offeringId));
    expect(row?.priceFen).toBe(200);
  });

  it.each([
    [{}, "nothing to change"],
    [{ organisationId: "org_other" }, "organisation cannot change"],
    [{ kind: "clinic" }, "kind cannot change"],
    [{ title: "" }, "empty title"],
    [{ priceFen: -1 }, "negative price"],
    [{ maxActivePerPerson: 0 }, "no bookings at all"],
    [{ personTypes: ["vip"] }, "unknown person type"],
    [{ waitlist: "yes" }, "not a boolean"],
    [{ title: "x", unexpected: 1 }, "unknown field"],
  ] as Array<[Record<string, unknown>, string]>)("refuses %o (%s) with 400", async (body) => {
    await expectError(await edit(staff, offeringId, body), 400, "VALIDATION_FAILED");
  });

  it("refuses settings that would make it impossible to book: opening 0 days before, or closing before it opens", async () => {
    await expectError(await edit(staff, offeringId, { opensDaysBefore: 0 }), 400, "VALIDATION_FAILED");
    // Opens 3 days before (the offering's own setting): closing 72 hours before leaves no time.
    await expectError(await edit(staff, offeringId, { closesHoursBefore: 72 }), 400, "VALIDATION_FAILED");
    expect((await edit(staff, offeringId, { closesHoursBefore: 71 })).status).toBe(200);
    const created = await call("/api/offerings", {
      cookie: staff.cookie,
      body: { organisationId, kind: "care", title: "助餐", opensDaysBefore: 1, closesHoursBefore: 24 },
    });
    await expectError(created, 400, "VALIDATION_FAILED");
    const [row] = await db().select().from(offerings).where(eq(offerings.id, offeringId));
    expect(row).toMatchObject({ opensDaysBefore: 3, closesHoursBefore: 71 });
    // An offering saved before this rule keeps its other fields editable.
    await db().update(offerings).set({ opensDaysBefore: 0 }).where(eq(offerings.id, offeringId));
    expect((await edit(staff, offeringId, { title: "助浴（改）" })).status).toBe(200);
  });

  it("refuses a facility that does not exist", async () => {
    await expectError(await edit(staff, offeringId, { facilityId: "fac_doesnotexist" }), 404, "NOT_FOUND");
  });
});

describe("POST /api/offerings/{id}/archive", () => {
  it("hides the offering, refuses new bookings and slots, and keeps existing bookings", async () => {
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 2 * DAY, capacity: 3 });
    const resident = await createAccount();
    expect((await edit(staff, offeringId, { minAge: null })).status).toBe(200);
    const booked = await book(resident, { slotId, personId: resident.personId });
    expect(booked.status).toBe(201);
    const booking = await json<{ id: string }>(booked);

    const res = await archive(staff, offeringId);
    expect(res.status).toBe(200);
    expect((await json<OfferingBody>(res)).status).toBe("archived");

    const list = await json<{ offerings: Array<{ id: string }> }>(
      await call(`/api/offerings?organisationId=${organisationId}`),
    );
    expect(list.offerings.map((o) => o.id)).not.toContain(offeringId);
    // Still readable for the bookings that point at it.
    expect((await json<OfferingBody>(await call(`/api/offerings/${offeringId}`))).status).toBe("archived");

    const other = await createAccount();
    await expectError(await book(other, { slotId, personId: other.personId }), 409, "BOOKING_CLOSED");
    await expectError(
      await book(staff, { slotId, personId: other.personId, channel: "walk_in" }),
      409,
      "BOOKING_CLOSED",
    );
    const { slots } = await json<{ slots: Array<{ id: string; bookable: boolean }> }>(
      await call(`/api/offerings/${offeringId}/slots`),
    );
    expect(slots).toMatchObject([{ id: slotId, bookable: false }]);
    await expectError(
      await call(`/api/offerings/${offeringId}/slots`, {
        cookie: staff.cookie,
        body: { startsAt: Date.now() + 3 * DAY, endsAt: Date.now() + 3 * DAY + 3_600_000, capacity: 2 },
      }),
      409,
      "CONFLICT",
    );
    await expectError(await edit(staff, offeringId, { title: "改名" }), 409, "CONFLICT");

    const kept = await call(`/api/bookings/${booking.id}`, { cookie: resident.cookie });
    expect((await json<{ status: string }>(kept)).status).toBe("confirmed");
    const cancelled = await call(`/api/bookings/${booking.id}/cancel`, { cookie: resident.cookie, body: {} });
    expect(cancelled.status).toBe(200);
  });

  it("archives once (a second try is 409) and audits it once", async () => {
    expect((await archive(staff, offeringId)).status).toBe(200);
    await expectError(await archive(staff, offeringId), 409, "CONFLICT");
    const rows = await audits("offering.archive", offeringId);
    expect(rows).toMatchObject([{ actorAccountId: staff.id }]);
  });

  it("is refused to other organisations and community staff (404), residents (403) and the signed-out (401)", async () => {
    const { otherOrg, communityStaff, resident } = await outsiders();
    await expectError(await archive(otherOrg, offeringId), 404, "NOT_FOUND");
    await expectError(await archive(communityStaff, offeringId), 404, "NOT_FOUND");
    await expectError(await archive(resident, offeringId), 403, "FORBIDDEN");
    await expectError(await archive(null, offeringId), 401, "UNAUTHENTICATED");
    await expectError(await archive(staff, "off_doesnotexist"), 404, "NOT_FOUND");
    const [row] = await db().select({ status: offerings.status }).from(offerings).where(eq(offerings.id, offeringId));
    expect(row?.status).toBe("active");
  });
});
