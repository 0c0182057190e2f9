import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { shanghaiDate, shanghaiTime } from "../../worker/lib/shanghai";
import { DAY, HOUR } from "../../worker/lib/time";
import {
  birthDateForAge,
  book,
  call,
  createAccount,
  createCommunity,
  createOffering,
  createOrgStaff,
  createSlot,
  json,
  type TestAccount,
  updatePerson,
} from "../factories";

type ErrorBody = { error: { code: string; message: string } };
type BookingBody = { id: string; status: string; address: string | null };

let organisationId: string;
let staff: TestAccount;

beforeAll(async () => {
  ({ organisationId, staff } = await createOrgStaff());
});

afterEach(() => {
  vi.useRealTimers();
});

/** Moves the clock the worker reads (it runs in this isolate) to `at`. */
function clockAt(at: number) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(at);
}

/** A whole-minute start some days ahead, at 00:30 in Shanghai (16:30 UTC the day before). */
function startInDays(days: number): number {
  const at = Date.now() + days * DAY;
  return at - (at % DAY) + 16.5 * HOUR;
}

async function resident(birthDate: string | null = "1950-05-05", communityId: string | null = null) {
  const account = await createAccount();
  await updatePerson(account.personId, { birthDate, communityId });
  return account;
}

async function slotOf(fields: Record<string, unknown>, startsAt: number, capacity = 5) {
  const offeringId = await createOffering(staff, organisationId, fields);
  return createSlot(staff, offeringId, { startsAt, capacity });
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect((await json<ErrorBody>(res)).error.code).toBe(code);
}

describe("cancel cut-off", () => {
  it("refuses to cancel a confirmed booking after the cut-off, and allows it exactly at the cut-off", async () => {
    const startsAt = startInDays(3);
    const slotId = await slotOf({ cancelCutoffHours: 24 }, startsAt);
    const [late, onTime] = await Promise.all([resident(), resident()]);
    const lateBooking = await json<BookingBody>(await book(late, { slotId, personId: late.personId }));
    const onTimeBooking = await json<BookingBody>(await book(onTime, { slotId, personId: onTime.personId }));

    clockAt(startsAt - 24 * HOUR + 1);
    await expectError(
      await call(`/api/bookings/${lateBooking.id}/cancel`, { cookie: late.cookie, body: {} }),
      409,
      "CANCEL_CUTOFF_PASSED",
    );
    clockAt(startsAt - 24 * HOUR);
    const res = await call(`/api/bookings/${onTimeBooking.id}/cancel`, { cookie: onTime.cookie, body: {} });
    expect(res.status).toBe(200);
    expect((await json<BookingBody>(res)).status).toBe("cancelled");
  });

  it("lets a waitlisted person leave after the cut-off", async () => {
    const startsAt = startInDays(3);
    const slotId = await slotOf({ cancelCutoffHours: 48 }, startsAt, 1);
    const [holder, waiting] = await Promise.all([resident(), resident()]);
    await book(holder, { slotId, personId: holder.personId });
    const queued = await json<BookingBody>(await book(waiting, { slotId, personId: waiting.personId }));
    expect(queued.status).toBe("waitlisted");

    clockAt(startsAt - HOUR);
    const res = await call(`/api/bookings/${queued.id}/cancel`, { cookie: waiting.cookie, body: {} });
    expect(res.status).toBe(200);
    expect((await json<BookingBody>(res)).status).toBe("cancelled");
  });

  it("lets the organisation's staff cancel after the cut-off", async () => {
    const startsAt = startInDays(3);
    const slotId = await slotOf({ cancelCutoffHours: 48 }, startsAt);
    const me = await resident();
    const booking = await json<BookingBody>(await book(me, { slotId, personId: me.personId }));
    clockAt(startsAt - HOUR);
    const res = await call(`/api/bookings/${booking.id}/cancel`, {
      cookie: staff.cookie,
      body: { reason: "电话取消" },
    });
    expect(res.status).toBe(200);
  });
});

describe("booking window", () => {
  it("opens exactly opensDaysBefore the start: a millisecond earlier is BOOKING_CLOSED", async () => {
    const startsAt = startInDays(20);
    const slotId = await slotOf({ opensDaysBefore: 14 }, startsAt);
    const me = await resident();
    clockAt(startsAt - 14 * DAY - 1);
    const early = await book(me, { slotId, personId: me.personId });
    const opensAt = startsAt - 14 * DAY;
    // Said in the residents' time, as every other message is (not UTC's).
    expect((await early.clone().json<{ error: { message: string } }>()).error.message).toBe(
      `Booking opens at ${shanghaiTime(opensAt)} on ${shanghaiDate(opensAt)} (Beijing time)`,
    );
    await expectError(early, 409, "BOOKING_CLOSED");
    clockAt(startsAt - 14 * DAY);
    expect((await book(me, { slotId, personId: me.personId })).status).toBe(201);
  });

  it("refuses a slot too far ahead at the real clock", async () => {
    const slotId = await slotOf({ opensDaysBefore: 7 }, startInDays(10));
    const me = await resident();
    const res = await book(me, { slotId, personId: me.personId });
    await expectError(res, 409, "BOOKING_CLOSED");
  });

  it("closes closesHoursBefore the start", async () => {
    const startsAt = startInDays(2);
    const slotId = await slotOf({ closesHoursBefore: 2 }, startsAt);
    const [early, late] = await Promise.all([resident(), resident()]);
    clockAt(startsAt - 2 * HOUR - 1);
    expect((await book(early, { slotId, personId: early.personId })).status).toBe(201);
    clockAt(startsAt - 2 * HOUR);
    await expectError(await book(late, { slotId, personId: late.personId }), 409, "BOOKING_CLOSED");
  });

  it("refuses a slot that has ended or was cancelled", async () => {
    const startsAt = startInDays(1);
    const offeringId = await createOffering(staff, organisationId);
    const slotId = await createSlot(staff, offeringId, { startsAt, capacity: 5 });
    const cancelled = await createSlot(staff, offeringId, { startsAt: startsAt + HOUR, capacity: 5 });
    expect((await call(`/api/slots/${cancelled}/cancel`, { cookie: staff.cookie, body: {} })).status).toBe(200);
    const me = await resident();
    await expectError(await book(me, { slotId: cancelled, personId: me.personId }), 409, "BOOKING_CLOSED");
    clockAt(startsAt + 2 * HOUR);
    await expectError(await book(me, { slotId, personId: me.personId }), 409, "BOOKING_CLOSED");
  });
});

describe("priority for the very old", () => {
  const fields = { opensDaysBefore: 14, priorityAge: 80, priorityDays: 1 };

  it("an 85-year-old books a day before a 65-year-old can", async () => {
    const startsAt = startInDays(20);
    const slotId = await slotOf(fields, startsAt);
    const [elder, younger] = await Promise.all([
      resident(birthDateForAge(85, startsAt)),
      resident(birthDateForAge(65, startsAt)),
    ]);
    clockAt(startsAt - 14.5 * DAY);
    expect((await book(elder, { slotId, personId: elder.personId })).status).toBe(201);
    await expectError(await book(younger, { slotId, personId: younger.personId }), 409, "BOOKING_CLOSED");
    clockAt(startsAt - 14 * DAY);
    expect((await book(younger, { slotId, personId: younger.personId })).status).toBe(201);
  });

  it("the priority window opens exactly priorityDays earlier, not sooner", async () => {
    const startsAt = startInDays(20);
    const slotId = await slotOf(fields, startsAt);
    const elder = await resident(birthDateForAge(85, startsAt));
    clockAt(startsAt - 15 * DAY - 1);
    await expectError(await book(elder, { slotId, personId: elder.personId }), 409, "BOOKING_CLOSED");
    clockAt(startsAt - 15 * DAY);
    expect((await book(elder, { slotId, personId: elder.personId })).status).toBe(201);
  });

  it("counts age on the slot's Shanghai date: 80 that day is priority, 80 the next day is not", async () => {
    const startsAt = startInDays(20);
    const slotId = await slotOf(fields, startsAt);
    const [turnsEighty, almost] = await Promise.all([
      resident(birthDateForAge(80, startsAt)),
      resident(birthDateForAge(80, startsAt + DAY)),
    ]);
    clockAt(startsAt - 14.5 * DAY);
    expect((await book(turnsEighty, { slotId, personId: turnsEighty.personId })).status).toBe(201);
    await expectError(await book(almost, { slotId, personId: almost.personId }), 409, "BOOKING_CLOSED");
  });
});

describe("eligibility", () => {
  it("minAge 60: a 40-year-old and someone without a birth date are NOT_ELIGIBLE (403)", async () => {
    const slotId = await slotOf({ minAge: 60 }, startInDays(2));
    const [young, unknown, old] = await Promise.all([resident("1986-01-01"), resident(null), resident("1950-01-01")]);
    await expectError(await book(young, { slotId, personId: young.personId }), 403, "NOT_ELIGIBLE");
    await expectError(await book(unknown, { slotId, personId: unknown.personId }), 403, "NOT_ELIGIBLE");
    expect((await book(old, { slotId, personId: old.personId })).status).toBe(201);
  });

  it("minAge is met on the 60th birthday (Shanghai date of the slot), not the day before", async () => {
    const startsAt = startInDays(2);
    const slotId = await slotOf({ minAge: 60 }, startsAt);
    const [birthday, tomorrow] = await Promise.all([
      resident(birthDateForAge(60, startsAt)),
      resident(birthDateForAge(60, startsAt + DAY)),
    ]);
    expect((await book(birthday, { slotId, personId: birthday.personId })).status).toBe(201);
    await expectError(await book(tomorrow, { slotId, personId: tomorrow.personId }), 403, "NOT_ELIGIBLE");
  });

  it("an offering for some communities refuses residents of others and those without one", async () => {
    const [mine, other] = await Promise.all([createCommunity("甲"), createCommunity("乙")]);
    const slotId = await slotOf({ communities: [mine] }, startInDays(2));
    const [inside, outside, none] = await Promise.all([
      resident("1950-01-01", mine),
      resident("1950-01-01", other),
      resident("1950-01-01", null),
    ]);
    expect((await book(inside, { slotId, personId: inside.personId })).status).toBe(201);
    await expectError(await book(outside, { slotId, personId: outside.personId }), 403, "NOT_ELIGIBLE");
    await expectError(await book(none, { slotId, personId: none.personId }), 403, "NOT_ELIGIBLE");
  });
});

describe("limits", () => {
  it("maxActivePerPerson 1: a second slot of the same offering is LIMIT_REACHED, another offering is fine", async () => {
    const startsAt = startInDays(2);
    const offeringId = await createOffering(staff, organisationId, { maxActivePerPerson: 1 });
    const first = await createSlot(staff, offeringId, { startsAt, capacity: 5 });
    const second = await createSlot(staff, offeringId, { startsAt: startsAt + DAY, capacity: 5 });
    const elsewhere = await slotOf({}, startsAt + DAY);
    const me = await resident();
    expect((await book(me, { slotId: first, personId: me.personId })).status).toBe(201);
    await expectError(await book(me, { slotId: second, personId: me.personId }), 409, "LIMIT_REACHED");
    expect((await book(me, { slotId: elsewhere, personId: me.personId })).status).toBe(201);
  });

  it("a waitlisted booking counts towards the limit; a past one does not", async () => {
    const startsAt = startInDays(2);
    const offeringId = await createOffering(staff, organisationId, { maxActivePerPerson: 1 });
    const full = await createSlot(staff, offeringId, { startsAt, capacity: 1 });
    const later = await createSlot(staff, offeringId, { startsAt: startsAt + 2 * DAY, capacity: 5 });
    const [holder, me] = await Promise.all([resident(), resident()]);
    await book(holder, { slotId: full, personId: holder.personId });
    expect((await json<BookingBody>(await book(me, { slotId: full, personId: me.personId }))).status).toBe(
      "waitlisted",
    );
    await expectError(await book(me, { slotId: later, personId: me.personId }), 409, "LIMIT_REACHED");
    clockAt(startsAt + 2 * HOUR);
    expect((await book(me, { slotId: later, personId: me.personId })).status).toBe(201);
  });

  it("the same person twice on one slot is ALREADY_BOOKED, also when waitlisted", async () => {
    const slotId = await slotOf({}, startInDays(2), 1);
    const [holder, waiting] = await Promise.all([resident(), resident()]);
    expect((await book(holder, { slotId, personId: holder.personId })).status).toBe(201);
    expect((await book(waiting, { slotId, personId: waiting.personId })).status).toBe(201);
    await expectError(await book(holder, { slotId, personId: holder.personId }), 409, "ALREADY_BOOKED");
    await expectError(await book(waiting, { slotId, personId: waiting.personId }), 409, "ALREADY_BOOKED");
  });
});

describe("input", () => {
  it("a home visit needs an address (400 without, kept with one)", async () => {
    const slotId = await slotOf({ category: "home_visit", requiresAddress: true }, startInDays(2));
    const me = await resident();
    await expectError(await book(me, { slotId, personId: me.personId }), 400, "VALIDATION_FAILED");
    expect((await book(me, { slotId, personId: me.personId, address: "楼" })).status).toBe(400);
    const res = await book(me, { slotId, personId: me.personId, address: "德翔里 3-2-401", notes: "行动不便" });
    expect(res.status).toBe(201);
    expect((await json<BookingBody>(res)).address).toBe("德翔里 3-2-401");
  });

  it.each([
    ["an empty body", {}],
    ["no person", { slotId: "slt_x" }],
    ["an unknown field", { slotId: "slt_x", personId: "per_x", extra: 1 }],
    ["an unknown channel", { slotId: "slt_x", personId: "per_x", channel: "fax" }],
    ["notes over 500 characters", { slotId: "slt_x", personId: "per_x", notes: "x".repeat(501) }],
  ] as Array<[string, Record<string, unknown>]>)("refuses %s with 400", async (_label, body) => {
    const me = await resident();
    const res = await call("/api/bookings", { cookie: me.cookie, body });
    expect(res.status).toBe(400);
  });

  it("an unknown slot or person is 404", async () => {
    const slotId = await slotOf({}, startInDays(2));
    const me = await resident();
    await expectError(await book(me, { slotId: "slt_missing", personId: me.personId }), 404, "NOT_FOUND");
    await expectError(await book(me, { slotId, personId: "per_missing" }), 404, "NOT_FOUND");
  });
});
