import { afterEach, describe, expect, it, vi } from "vitest";
import { CODE_ALPHABET } from "../../worker/features/bookings/bookings.queries";
import { DAY } from "../../worker/lib/time";
import {
  book,
  bookingsOnSlot,
  createAccount,
  createCommunity,
  createManagedPerson,
  createOffering,
  createOrgStaff,
  createSlot,
  json,
} from "../factories";

type BookingBody = { id: string; code: string; status: string };

/**
 * Makes the next `times` check-in codes drawn (6 random bytes each, byte b picking
 * CODE_ALPHABET[b % 32]) come out as `code` — an
 * existing booking's — and every other use of the random source stay random.
 */
function collideWith(code: string, times: number) {
  const bytes = [...code].map((ch) => CODE_ALPHABET.indexOf(ch));
  expect(bytes.every((b) => b >= 0)).toBe(true);
  const random = crypto.getRandomValues.bind(crypto);
  const repeats = { left: times };
  vi.spyOn(crypto, "getRandomValues").mockImplementation((array) => {
    if (repeats.left > 0 && array instanceof Uint8Array && array.length === 6) {
      repeats.left--;
      array.set(bytes);
      return array;
    }
    return random(array);
  });
  return repeats;
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** An organisation's staff member and a slot tomorrow on its care offering, with room for two. */
async function setUp() {
  const { organisationId, staff } = await createOrgStaff();
  const offeringId = await createOffering(staff, organisationId);
  const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + DAY, capacity: 2 });
  const first = await createAccount();
  const res = await book(first, { slotId, personId: first.personId });
  expect(res.status).toBe(201);
  return { staff, slotId, taken: (await json<BookingBody>(res)).code };
}

describe("a check-in code that is already taken", () => {
  it("a resident's booking is made with another code", async () => {
    const { slotId, taken } = await setUp();
    const me = await createAccount();
    const repeats = collideWith(taken, 1);
    const res = await book(me, { slotId, personId: me.personId });
    expect(res.status).toBe(201);
    const booking = await json<BookingBody>(res);
    expect(booking.code).not.toBe(taken);
    expect(booking.code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect(repeats.left).toBe(0);
    expect(await bookingsOnSlot(slotId)).toBe(2);
  });

  it("a booking staff make for a caller is made with another code, even after two collisions", async () => {
    const { staff, slotId, taken } = await setUp();
    const caller = await createManagedPerson(await createCommunity());
    const repeats = collideWith(taken, 2);
    const res = await book(staff, { slotId, personId: caller, channel: "phone" });
    expect(res.status).toBe(201);
    expect((await json<BookingBody>(res)).code).not.toBe(taken);
    expect(repeats.left).toBe(0);
    expect(await bookingsOnSlot(slotId)).toBe(2);
  });

  it("every code drawn taken: 409 to try again, nothing written, no 500", async () => {
    const { staff, slotId, taken } = await setUp();
    const me = await createAccount();
    const repeats = collideWith(taken, 100);
    const res = await book(me, { slotId, personId: me.personId });
    expect(res.status).toBe(409);
    expect((await json<{ error: { code: string; message: string } }>(res)).error).toMatchObject({
      code: "CONFLICT",
      message: "Please try again",
    });
    const caller = await createManagedPerson(await createCommunity());
    const byStaff = await book(staff, { slotId, personId: caller, channel: "phone" });
    expect(byStaff.status).toBe(409);
    // Four codes drawn for the resident (her one-statement try, then three), three for staff.
    expect(repeats.left).toBe(100 - 7);
    expect(await bookingsOnSlot(slotId)).toBe(1);
  });
});
