import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, bookings, proxyLinks } from "../../db/schema";
import { DAY } from "../../worker/lib/time";
import {
  book,
  call,
  createAccount,
  createCommunity,
  createManagedPerson,
  createOffering,
  createOrgStaff,
  createSlot,
  db,
  grantRole,
  json,
  linkProxy,
  type TestAccount,
} from "../factories";

type BookingBody = { id: string; status: string; code: string; actorRole: string; channel: string };
type ErrorBody = { error: { code: string } };

let community: string;
let organisationId: string;
let staff: TestAccount;
let offeringId: string;
let slotId: string;

beforeEach(async () => {
  community = await createCommunity();
  ({ organisationId, staff } = await createOrgStaff("day_care_centre", community));
  offeringId = await createOffering(staff, organisationId, { minAge: 60 });
  slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 2 * DAY, capacity: 5 });
});

async function statusOf(bookingId: string) {
  const [row] = await db().select({ status: bookings.status }).from(bookings).where(eq(bookings.id, bookingId));
  return row?.status;
}

async function expectNotFound(res: Response) {
  expect(res.status).toBe(404);
  expect((await json<ErrorBody>(res)).error.code).toBe("NOT_FOUND");
}

describe("booking for someone else", () => {
  it("needs an active proxy link scoped to all or bookings: none, pending, revoked, declined or health-only is 404", async () => {
    const elder = await createManagedPerson(community);
    const child = await createAccount({ name: "子女" });
    await expectNotFound(await book(child, { slotId, personId: elder }));

    const linkId = await linkProxy(child.id, elder, staff.id);
    const setLink = (fields: Partial<typeof proxyLinks.$inferInsert>) =>
      db().update(proxyLinks).set(fields).where(eq(proxyLinks.id, linkId));
    for (const status of ["pending", "revoked", "declined"] as const) {
      await setLink({ status });
      await expectNotFound(await book(child, { slotId, personId: elder }));
    }
    await setLink({ status: "active", scope: "health" });
    await expectNotFound(await book(child, { slotId, personId: elder }));

    await setLink({ scope: "bookings" });
    const res = await book(child, { slotId, personId: elder });
    expect(res.status).toBe(201);
    expect(await json<BookingBody>(res)).toMatchObject({ actorRole: "proxy", channel: "app", status: "confirmed" });
  });

  it("a proxy sees the person's booking while the link is active, and not after it is revoked", async () => {
    const elder = await createManagedPerson(community);
    const child = await createAccount();
    const linkId = await linkProxy(child.id, elder, staff.id);
    const booking = await json<BookingBody>(await book(child, { slotId, personId: elder }));
    expect((await call(`/api/bookings/${booking.id}`, { cookie: child.cookie })).status).toBe(200);
    await db().update(proxyLinks).set({ status: "revoked" }).where(eq(proxyLinks.id, linkId));
    await expectNotFound(await call(`/api/bookings/${booking.id}`, { cookie: child.cookie }));
  });

  it("another resident's booking is 404 to read, cancel or rate, and stays as it was", async () => {
    const [owner, stranger] = await Promise.all([createAccount(), createAccount()]);
    const elder = await createManagedPerson(community);
    await linkProxy(owner.id, elder, staff.id);
    const booking = await json<BookingBody>(await book(owner, { slotId, personId: elder }));

    await expectNotFound(await call(`/api/bookings/${booking.id}`, { cookie: stranger.cookie }));
    await expectNotFound(await call(`/api/bookings/${booking.id}/cancel`, { cookie: stranger.cookie, body: {} }));
    await expectNotFound(
      await call(`/api/bookings/${booking.id}/rating`, { cookie: stranger.cookie, body: { rating: 1 } }),
    );
    await expectNotFound(await call("/api/bookings/bkg_doesnotexist", { cookie: stranger.cookie }));
    expect(await statusOf(booking.id)).toBe("confirmed");
  });

  it("a resident cannot pose as staff: walk_in for a stranger is 404", async () => {
    const elder = await createManagedPerson(community);
    const resident = await createAccount();
    await expectNotFound(await book(resident, { slotId, personId: elder, channel: "walk_in" }));
  });
});

describe("organisation staff", () => {
  it("book a walk-in for any person, outside the resident window, and the booking is audited", async () => {
    const farSlot = await createSlot(staff, offeringId, { startsAt: Date.now() + 40 * DAY, capacity: 2 });
    const elder = await createManagedPerson(community, "李大爷");
    const res = await book(staff, { slotId: farSlot, personId: elder, channel: "walk_in", notes: "上门登记" });
    expect(res.status).toBe(201);
    const booking = await json<BookingBody>(res);
    expect(booking).toMatchObject({ actorRole: "staff", channel: "walk_in", status: "confirmed" });

    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, booking.id), eq(auditLog.action, "booking.create_for")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorAccountId: staff.id,
      subjectType: "booking",
      personId: elder,
      detail: { channel: "walk_in" },
    });
  });

  it("still obey eligibility for a walk-in", async () => {
    const strict = await createOffering(staff, organisationId, { minAge: 95 });
    const strictSlot = await createSlot(staff, strict, { startsAt: Date.now() + DAY, capacity: 2 });
    const elder = await createManagedPerson(community);
    const res = await book(staff, { slotId: strictSlot, personId: elder, channel: "phone" });
    expect(res.status).toBe(403);
    expect((await json<ErrorBody>(res)).error.code).toBe("NOT_ELIGIBLE");
  });

  it("book through the app only for people they act for (404 otherwise)", async () => {
    const elder = await createManagedPerson(community);
    await expectNotFound(await book(staff, { slotId, personId: elder }));
  });

  it("see who is booked on their slot, with phones masked", async () => {
    const elder = await createManagedPerson(community);
    await book(staff, { slotId, personId: elder, channel: "walk_in" });
    const res = await call(`/api/slots/${slotId}/bookings`, { cookie: staff.cookie });
    expect(res.status).toBe(200);
    const list = await json<{ bookings: Array<{ person: { id: string }; phoneMasked: string | null }> }>(res);
    expect(list.bookings).toHaveLength(1);
    expect(list.bookings[0]?.person.id).toBe(elder);
    expect(list.bookings[0]?.phoneMasked).toMatch(/^139\*{4}\d{4}$/);
  });

  it("of another organisation (or community staff) get 404 on this organisation's slots and bookings", async () => {
    const { staff: rival } = await createOrgStaff("clinic", community);
    const communityStaff = await createAccount();
    await grantRole(communityStaff.id, "community_staff", { communityId: community });
    const elder = await createManagedPerson(community);
    const booking = await json<BookingBody>(await book(staff, { slotId, personId: elder, channel: "walk_in" }));
    const now = Date.now();

    for (const outsider of [rival, communityStaff]) {
      const c = outsider.cookie;
      await expectNotFound(await call(`/api/slots/${slotId}/bookings`, { cookie: c }));
      await expectNotFound(await call("/api/bookings/check-in", { cookie: c, body: { code: booking.code } }));
      await expectNotFound(await call(`/api/bookings/${booking.id}/complete`, { cookie: c, method: "POST" }));
      await expectNotFound(await call(`/api/bookings/${booking.id}/confirm`, { cookie: c, method: "POST" }));
      await expectNotFound(await call(`/api/bookings/${booking.id}/no-show`, { cookie: c, method: "POST" }));
      await expectNotFound(await call(`/api/bookings/${booking.id}`, { cookie: c }));
      await expectNotFound(await call(`/api/bookings/${booking.id}/cancel`, { cookie: c, body: {} }));
      await expectNotFound(await call(`/api/slots/${slotId}`, { cookie: c, method: "PATCH", body: { capacity: 9 } }));
      await expectNotFound(await call(`/api/slots/${slotId}/cancel`, { cookie: c, body: {} }));
      await expectNotFound(
        await call(`/api/offerings/${offeringId}/slots`, {
          cookie: c,
          body: { startsAt: now + DAY, endsAt: now + DAY + 3_600_000, capacity: 3 },
        }),
      );
      await expectNotFound(await book(outsider, { slotId, personId: elder, channel: "walk_in" }));
    }
    expect(await statusOf(booking.id)).toBe("confirmed");
  });

  it("publish only for their own organisation (403 for another)", async () => {
    const { organisationId: other } = await createOrgStaff("clinic");
    const res = await call("/api/offerings", {
      cookie: staff.cookie,
      body: { organisationId: other, kind: "clinic", title: "义诊" },
    });
    expect(res.status).toBe(403);
  });
});

describe("residents and anonymous callers", () => {
  it("residents cannot publish offerings or add slots (403)", async () => {
    const resident = await createAccount();
    const now = Date.now();
    const offering = await call("/api/offerings", {
      cookie: resident.cookie,
      body: { organisationId, kind: "care", title: "冒充" },
    });
    expect(offering.status).toBe(403);
    const slot = await call(`/api/offerings/${offeringId}/slots`, {
      cookie: resident.cookie,
      body: { startsAt: now + DAY, endsAt: now + DAY + 3_600_000, capacity: 3 },
    });
    expect(slot.status).toBe(403);
    const series = await call(`/api/offerings/${offeringId}/slot-series`, {
      cookie: resident.cookie,
      body: { from: "2027-03-01", to: "2027-03-31", weekdays: [1], start: "08:30", end: "10:00", capacity: 3 },
    });
    expect(series.status).toBe(403);
    expect((await call(`/api/slots/${slotId}/bookings`, { cookie: resident.cookie })).status).toBe(403);
    expect((await call("/api/bookings/check-in", { cookie: resident.cookie, body: { code: "ABCDEF" } })).status).toBe(
      403,
    );
  });

  it.each([
    ["POST", "/api/bookings", { slotId: "slt_x", personId: "per_x" }],
    ["GET", "/api/bookings/mine", undefined],
    ["GET", "/api/bookings/bkg_x", undefined],
    ["POST", "/api/bookings/bkg_x/cancel", {}],
    ["POST", "/api/bookings/bkg_x/rating", { rating: 5 }],
    ["POST", "/api/bookings/check-in", { code: "ABCDEF" }],
    ["POST", "/api/offerings", { organisationId: "org_x", kind: "care", title: "x" }],
    ["GET", "/api/notifications", undefined],
  ] as Array<[string, string, unknown]>)("anonymous %s %s is 401", async (method, path, body) => {
    const res = await call(path, { method, body });
    expect(res.status).toBe(401);
    expect((await json<ErrorBody>(res)).error.code).toBe("UNAUTHENTICATED");
  });

  it("anyone may read offerings and free places", async () => {
    const offering = await call(`/api/offerings/${offeringId}`);
    expect(offering.status).toBe(200);
    const slots = await json<{ slots: Array<{ id: string; free: number; bookable: boolean }> }>(
      await call(`/api/offerings/${offeringId}/slots`),
    );
    expect(slots.slots).toEqual([expect.objectContaining({ id: slotId, free: 5, bookable: true })]);
  });
});
