import { beforeEach, describe, expect, it } from "vitest";
import { DAY, HOUR } from "../../worker/lib/time";
import {
  birthDateForAge,
  book,
  call,
  createAccount,
  createOffering,
  createOrgStaff,
  createSlot,
  json,
  type TestAccount,
  updatePerson,
} from "../factories";

type ErrorBody = { error: { code: string } };
type SlotBody = {
  id: string;
  offeringId: string;
  capacity: number;
  taken: number;
  waitlisted: number;
  free: number;
  status: string;
  bookable: boolean;
  opensAt: number;
  closesAt: number;
  priorityOpensAt: number | null;
  offering?: { id: string; title: string; kind: string; organisationName: string; status: string };
};

let organisationId: string;
let staff: TestAccount;

beforeEach(async () => {
  ({ organisationId, staff } = await createOrgStaff());
});

/** A whole-minute time `days` from now. */
function inDays(days: number): number {
  const at = Date.now() + days * DAY;
  return at - (at % 60_000);
}

async function residentAged(age: number, startsAt: number) {
  const account = await createAccount();
  await updatePerson(account.personId, { birthDate: birthDateForAge(age, startsAt) });
  return account;
}

describe("GET /api/slots/{id}", () => {
  it("is public: the slot's places, its booking window and its offering", async () => {
    const offeringId = await createOffering(staff, organisationId, {
      title: "日间照料",
      opensDaysBefore: 7,
      closesHoursBefore: 2,
      priorityAge: 80,
      priorityDays: 1,
    });
    const startsAt = inDays(3);
    const slotId = await createSlot(staff, offeringId, { startsAt, capacity: 1 });
    const [first, second] = [await createAccount(), await createAccount()];
    expect((await book(first, { slotId, personId: first.personId })).status).toBe(201);
    expect((await book(second, { slotId, personId: second.personId })).status).toBe(201);

    const res = await call(`/api/slots/${slotId}`);
    expect(res.status).toBe(200);
    const slot = await json<SlotBody>(res);
    expect(slot).toMatchObject({
      id: slotId,
      offeringId,
      capacity: 1,
      taken: 1,
      waitlisted: 1,
      free: 0,
      status: "open",
      bookable: true,
      opensAt: startsAt - 7 * DAY,
      closesAt: startsAt - 2 * HOUR,
      priorityOpensAt: startsAt - 8 * DAY,
      offering: { id: offeringId, title: "日间照料", kind: "care", status: "active" },
    });
    expect(slot.offering?.organisationName).toMatch(/^机构/);
  });

  it("shows a cancelled slot as cancelled and not bookable", async () => {
    const offeringId = await createOffering(staff, organisationId);
    const slotId = await createSlot(staff, offeringId, { startsAt: inDays(2), capacity: 4 });
    expect((await call(`/api/slots/${slotId}/cancel`, { cookie: staff.cookie, body: {} })).status).toBe(200);
    const slot = await json<SlotBody>(await call(`/api/slots/${slotId}`));
    expect(slot).toMatchObject({ status: "cancelled", bookable: false, free: 4, priorityOpensAt: null });
  });

  it("answers 404 for a slot that does not exist and 400 for bad input", async () => {
    const missing = await call("/api/slots/slt_doesnotexist");
    expect(missing.status).toBe(404);
    expect((await json<ErrorBody>(missing)).error.code).toBe("NOT_FOUND");
    expect((await call(`/api/slots/${"x".repeat(65)}`)).status).toBe(400);
    expect((await call("/api/slots/slt_x?extra=1")).status).toBe(400);
  });
});

describe("the priority window in slot answers", () => {
  it("tells when people of the priority age may book, while `bookable` stays the general public's answer", async () => {
    const offeringId = await createOffering(staff, organisationId, {
      opensDaysBefore: 7,
      priorityAge: 80,
      priorityDays: 1,
    });
    // Opens for everyone in 12 hours; for people of 80 and over it opened 12 hours ago.
    const startsAt = inDays(7.5);
    const slotId = await createSlot(staff, offeringId, { startsAt, capacity: 5 });
    const { slots } = await json<{ slots: SlotBody[] }>(
      await call(`/api/offerings/${offeringId}/slots?to=${startsAt + DAY}`),
    );
    const slot = slots.find((s) => s.id === slotId);
    expect(slot).toMatchObject({ bookable: false, opensAt: startsAt - 7 * DAY, priorityOpensAt: startsAt - 8 * DAY });
    expect(slot?.priorityOpensAt ?? Number.POSITIVE_INFINITY).toBeLessThan(Date.now());

    const elder = await residentAged(82, startsAt);
    const younger = await residentAged(70, startsAt);
    expect((await book(elder, { slotId, personId: elder.personId })).status).toBe(201);
    const early = await book(younger, { slotId, personId: younger.personId });
    expect(early.status).toBe(409);
    expect((await json<ErrorBody>(early)).error.code).toBe("BOOKING_CLOSED");
  });

  it("has no priority opening without a priority age", async () => {
    const offeringId = await createOffering(staff, organisationId, { opensDaysBefore: 5, priorityDays: 2 });
    const startsAt = inDays(1);
    await createSlot(staff, offeringId, { startsAt, capacity: 5 });
    const { slots } = await json<{ slots: SlotBody[] }>(await call(`/api/offerings/${offeringId}/slots`));
    expect(slots).toMatchObject([{ bookable: true, opensAt: startsAt - 5 * DAY, priorityOpensAt: null }]);
  });
});
