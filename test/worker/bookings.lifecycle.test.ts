import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { auditLog, bookings, proxyLinks } from "../../db/schema";
import { type StaffAction, staffActions } from "../../worker/features/bookings/bookings.timing";
import { DAY, HOUR, MINUTE } from "../../worker/lib/time";
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
  inboxOf,
  json,
  lastSms,
  linkProxy,
  type TestAccount,
} from "../factories";

type BookingBody = {
  id: string;
  status: string;
  code: string;
  person: { id: string };
  rating: number | null;
  ratingComment: string | null;
  checkedInAt: number | null;
};
type ErrorBody = { error: { code: string } };

let community: string;
let organisationId: string;
let staff: TestAccount;

beforeEach(async () => {
  community = await createCommunity();
  ({ organisationId, staff } = await createOrgStaff("day_care_centre", community));
});

afterEach(() => {
  vi.useRealTimers();
});

async function slotFor(fields: Record<string, unknown> = {}, startsAt = Date.now() + DAY, capacity = 5) {
  const offeringId = await createOffering(staff, organisationId, fields);
  return createSlot(staff, offeringId, { startsAt, capacity });
}

/**
 * Moves the clock to 10 minutes after the start of a slot made by `slotFor()` just before (a day
 * ahead): check-in opens 2 hours before a slot, completion and no-show once it has started.
 */
function arrive() {
  const startsAt = Date.now() + DAY;
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(startsAt + 10 * MINUTE);
}

async function bookSelf(who: TestAccount, slotId: string) {
  const res = await book(who, { slotId, personId: who.personId });
  expect(res.status).toBe(201);
  return json<BookingBody>(res);
}

function staffPost(path: string, body?: unknown) {
  return call(path, { cookie: staff.cookie, method: "POST", body });
}

function rate(who: TestAccount, bookingId: string, body: unknown) {
  return call(`/api/bookings/${bookingId}/rating`, { cookie: who.cookie, body });
}

describe("check-in, completion and no-show", () => {
  it("staff check a person in by code (any case), then complete; a second check-in is 409", async () => {
    const me = await createAccount();
    const booking = await bookSelf(me, await slotFor());
    expect(booking.code).toMatch(/^[A-Z2-9]{6}$/);
    arrive();

    const res = await staffPost("/api/bookings/check-in", { code: booking.code.toLowerCase() });
    expect(res.status).toBe(200);
    const checkedIn = await json<BookingBody>(res);
    expect(checkedIn).toMatchObject({ id: booking.id, status: "checked_in" });
    expect(checkedIn.checkedInAt).toEqual(expect.any(Number));
    expect((await staffPost("/api/bookings/check-in", { code: booking.code })).status).toBe(409);

    const done = await staffPost(`/api/bookings/${booking.id}/complete`);
    expect(done.status).toBe(200);
    expect((await json<BookingBody>(done)).status).toBe("completed");
    expect((await staffPost(`/api/bookings/${booking.id}/complete`)).status).toBe(409);
    // Each staff action on her record is in the audit log once, by whom (the refused ones not at all).
    const audits = await db()
      .select({ action: auditLog.action, actor: auditLog.actorAccountId, personId: auditLog.personId })
      .from(auditLog)
      .where(eq(auditLog.subjectId, booking.id));
    expect(audits.map((a) => a.action).sort()).toEqual(["booking.checked_in", "booking.completed"]);
    expect(audits.every((a) => a.actor === staff.id && a.personId === me.personId)).toBe(true);
  });

  it("confirming and recording someone as not come are audited too", async () => {
    const slotId = await slotFor({ requiresConfirmation: true });
    const me = await createAccount();
    const booking = await bookSelf(me, slotId);
    expect(booking.status).toBe("pending");
    expect((await staffPost(`/api/bookings/${booking.id}/confirm`)).status).toBe(200);
    arrive();
    expect((await staffPost(`/api/bookings/${booking.id}/no-show`)).status).toBe(200);
    expect((await staffPost(`/api/bookings/${booking.id}/no-show`)).status).toBe(409);
    const audits = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.subjectId, booking.id));
    expect(audits.map((a) => a.action).sort()).toEqual(["booking.confirmed", "booking.no_show"]);
  });

  it("an unknown code is 404 and a malformed one 400", async () => {
    expect((await staffPost("/api/bookings/check-in", { code: "ZZZZZ9" })).status).toBe(404);
    for (const code of ["ABC", "ABCDEFG", "ABC-12", ""]) {
      expect((await staffPost("/api/bookings/check-in", { code })).status).toBe(400);
    }
  });

  it("no-show is for bookings not checked in; a no-show cannot be checked in or rated", async () => {
    const me = await createAccount();
    const slotId = await slotFor();
    const booking = await bookSelf(me, slotId);
    const other = await createAccount();
    const checkedIn = await bookSelf(other, slotId);
    arrive();
    const res = await staffPost(`/api/bookings/${booking.id}/no-show`);
    expect(res.status).toBe(200);
    expect((await json<BookingBody>(res)).status).toBe("no_show");
    expect((await staffPost(`/api/bookings/${booking.id}/no-show`)).status).toBe(409);
    expect((await staffPost("/api/bookings/check-in", { code: booking.code })).status).toBe(409);
    expect((await rate(me, booking.id, { rating: 3 })).status).toBe(409);

    expect((await staffPost("/api/bookings/check-in", { code: checkedIn.code })).status).toBe(200);
    expect((await staffPost(`/api/bookings/${checkedIn.id}/no-show`)).status).toBe(409);
  });

  it("a waitlisted booking cannot be checked in", async () => {
    const slotId = await slotFor({}, Date.now() + DAY, 1);
    const [holder, waiting] = await Promise.all([createAccount(), createAccount()]);
    await bookSelf(holder, slotId);
    const queued = await bookSelf(waiting, slotId);
    expect(queued.status).toBe("waitlisted");
    expect((await staffPost("/api/bookings/check-in", { code: queued.code })).status).toBe(409);
  });
});

describe("a session under way", () => {
  it("a person recorded as come (or not come) cannot be booked on it again; someone else can", async () => {
    const slotId = await slotFor();
    const me = await createAccount();
    const booking = await bookSelf(me, slotId);
    arrive();
    expect((await staffPost(`/api/bookings/${booking.id}/complete`)).status).toBe(200);
    const walkIn = (personId: string) => staffPost("/api/bookings", { slotId, personId, channel: "walk_in" });
    const again = await walkIn(me.personId);
    expect(again.status).toBe(409);
    expect((await json<ErrorBody>(again)).error.code).toBe("ALREADY_BOOKED");
    const other = await createAccount();
    const theirs = await json<BookingBody>(await walkIn(other.personId));
    expect(theirs.status).toBe("confirmed");
    expect((await staffPost(`/api/bookings/${theirs.id}/no-show`)).status).toBe(200);
    expect((await walkIn(other.personId)).status).toBe(409);
  });

  it("a resident recorded as not come cannot book herself onto the session again once it is moved", async () => {
    const startsAt = Date.now() + DAY;
    const slotId = await slotFor({}, startsAt);
    const me = await createAccount();
    const booking = await bookSelf(me, slotId);
    arrive();
    expect((await staffPost(`/api/bookings/${booking.id}/no-show`)).status).toBe(200);
    // The centre puts the session off by a day: booking is open again for everyone else.
    const moved = await call(`/api/slots/${slotId}`, {
      cookie: staff.cookie,
      method: "PATCH",
      body: { startsAt: startsAt + DAY, endsAt: startsAt + DAY + HOUR },
    });
    expect(moved.status).toBe(200);
    const again = await book(me, { slotId, personId: me.personId });
    expect(again.status).toBe(409);
    expect((await json<ErrorBody>(again)).error.code).toBe("ALREADY_BOOKED");
    const [held] = await db().select({ n: sql<number>`count(*)` }).from(bookings).where(eq(bookings.slotId, slotId));
    expect(held?.n).toBe(1);
    const other = await createAccount();
    expect((await bookSelf(other, slotId)).status).toBe("confirmed");
  });
});

describe("check-in window", () => {
  it("opens 2 hours before the start and closes at the end (CHECK_IN_CLOSED outside)", async () => {
    const startsAt = Date.now() + DAY;
    const slotId = await slotFor({}, startsAt);
    const [early, onTime, late] = await Promise.all([createAccount(), createAccount(), createAccount()]);
    const first = await bookSelf(early, slotId);
    const second = await bookSelf(onTime, slotId);
    const third = await bookSelf(late, slotId);
    vi.useFakeTimers({ toFake: ["Date"] });

    vi.setSystemTime(startsAt - 2 * HOUR - 1);
    const tooEarly = await staffPost("/api/bookings/check-in", { code: first.code });
    expect(tooEarly.status).toBe(409);
    expect((await json<ErrorBody>(tooEarly)).error.code).toBe("CHECK_IN_CLOSED");

    vi.setSystemTime(startsAt - 2 * HOUR);
    expect((await staffPost("/api/bookings/check-in", { code: first.code })).status).toBe(200);
    vi.setSystemTime(startsAt + HOUR - 1);
    expect((await staffPost("/api/bookings/check-in", { code: second.code })).status).toBe(200);
    vi.setSystemTime(startsAt + HOUR);
    const tooLate = await staffPost("/api/bookings/check-in", { code: third.code });
    expect((await json<ErrorBody>(tooLate)).error.code).toBe("CHECK_IN_CLOSED");
    // After the end, the outcome is recorded instead.
    expect((await staffPost(`/api/bookings/${third.id}/no-show`)).status).toBe(200);
  });

  it("completed and no-show cannot be recorded before the service starts", async () => {
    const startsAt = Date.now() + DAY;
    const slotId = await slotFor({}, startsAt);
    const me = await createAccount();
    const booking = await bookSelf(me, slotId);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(startsAt - MINUTE);
    expect((await staffPost("/api/bookings/check-in", { code: booking.code })).status).toBe(200);
    for (const action of ["complete", "no-show"]) {
      const res = await staffPost(`/api/bookings/${booking.id}/${action}`);
      expect(res.status).toBe(409);
    }
    vi.setSystemTime(startsAt);
    expect((await staffPost(`/api/bookings/${booking.id}/complete`)).status).toBe(200);
  });
});

describe("the staff console's buttons (staffActions)", () => {
  it("are exactly the actions the API accepts, for every status the console acts on, from before check-in to after the end", async () => {
    const startsAt = Date.now() + DAY;
    const confirmedSlot = await slotFor({}, startsAt, 100);
    const pendingSlot = await slotFor({ requiresConfirmation: true }, startsAt, 100);
    const moments = [startsAt - 3 * HOUR, startsAt - HOUR, startsAt + 10 * MINUTE, startsAt + 2 * HOUR];
    const slot = { startsAt, endsAt: startsAt + HOUR };
    const actions: StaffAction[] = ["confirm", "check-in", "complete", "no-show"];
    let checked = 0;
    for (const status of ["pending", "confirmed", "checked_in"] as const) {
      for (const at of moments) {
        // Checked in at the door: possible only from two hours before the start until the end.
        if (status === "checked_in" && (at < startsAt - 2 * HOUR || at >= slot.endsAt)) continue;
        for (const action of actions) {
          vi.useRealTimers();
          const who = await createAccount();
          const booking = await bookSelf(who, status === "pending" ? pendingSlot : confirmedSlot);
          expect(booking.status).toBe(status === "pending" ? "pending" : "confirmed");
          vi.useFakeTimers({ toFake: ["Date"] });
          vi.setSystemTime(at);
          if (status === "checked_in") {
            expect((await staffPost("/api/bookings/check-in", { code: booking.code })).status).toBe(200);
          }
          const offered = staffActions({ status, slot }, at).includes(action);
          const res =
            action === "check-in"
              ? await staffPost("/api/bookings/check-in", { code: booking.code })
              : await staffPost(`/api/bookings/${booking.id}/${action}`);
          expect({ status, at: at - startsAt, action, accepted: res.status === 200 }).toEqual({
            status,
            at: at - startsAt,
            action,
            accepted: offered,
          });
          if (!offered) expect(res.status).toBe(409);
          checked++;
        }
      }
    }
    expect(checked).toBe(40);
  });
});

describe("once the service is over", () => {
  it("a booking is neither confirmed nor cancelled any more — nobody is texted about a past service — only its outcome recorded", async () => {
    const startsAt = Date.now() + DAY;
    const slotId = await slotFor({ requiresConfirmation: true }, startsAt, 1);
    const [first, second] = await Promise.all([createAccount(), createAccount()]);
    const pending = await bookSelf(first, slotId);
    const waiting = await bookSelf(second, slotId);
    expect([pending.status, waiting.status]).toEqual(["pending", "waitlisted"]);
    vi.useFakeTimers({ toFake: ["Date"] });
    // The slot made by slotFor lasts an hour.
    vi.setSystemTime(startsAt + HOUR);

    const confirm = await staffPost(`/api/bookings/${pending.id}/confirm`);
    expect(confirm.status).toBe(409);
    expect((await json<{ error: { message: string } }>(confirm)).error.message).toMatch(/service is over/);
    for (const [who, id, message] of [
      [staff, pending.id, /record the booking as completed or no-show/],
      [staff, waiting.id, /record the booking as completed or no-show/],
      // The resident is not told to record outcomes: only that it is too late.
      [second, waiting.id, /^This service is over; it can no longer be cancelled$/],
    ] as const) {
      const refused = await call(`/api/bookings/${id}/cancel`, { cookie: who.cookie, body: {} });
      expect(refused.status).toBe(409);
      expect((await json<{ error: { message: string } }>(refused)).error.message).toMatch(message);
    }
    expect(await inboxOf(first)).toEqual([]);
    expect(await inboxOf(second)).toEqual([]);

    // Never confirmed, yet she came: the outcome is recorded all the same.
    const done = await staffPost(`/api/bookings/${pending.id}/complete`);
    expect(done.status).toBe(200);
    expect((await json<BookingBody>(done)).status).toBe("completed");
  });

  it("a slot that is over is not called off; moved into the past, nobody is asked to come", async () => {
    const startsAt = Date.now() + DAY;
    const slotId = await slotFor({}, startsAt, 2);
    const me = await createAccount();
    const booking = await bookSelf(me, slotId);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(startsAt + HOUR);
    const cancel = await call(`/api/slots/${slotId}/cancel`, { cookie: staff.cookie, body: { reason: "停电" } });
    expect(cancel.status).toBe(409);
    const kept = await json<BookingBody>(await call(`/api/bookings/${booking.id}`, { cookie: me.cookie }));
    expect(kept.status).toBe("confirmed");
    // Staff correct the record: the session really took place an hour earlier. No text about it.
    const moved = await call(`/api/slots/${slotId}`, {
      cookie: staff.cookie,
      method: "PATCH",
      body: { startsAt: startsAt - HOUR, endsAt: startsAt },
    });
    expect(moved.status).toBe(200);
    expect(await inboxOf(me)).toEqual([]);
    expect((await staffPost(`/api/bookings/${booking.id}/complete`)).status).toBe(200);
  });

  it("a pending booking whose person did not come is a no-show once the service has started", async () => {
    const startsAt = Date.now() + DAY;
    const slotId = await slotFor({ requiresConfirmation: true }, startsAt);
    const me = await createAccount();
    const pending = await bookSelf(me, slotId);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(startsAt - MINUTE);
    expect((await staffPost(`/api/bookings/${pending.id}/no-show`)).status).toBe(409);
    vi.setSystemTime(startsAt + 10 * MINUTE);
    const res = await staffPost(`/api/bookings/${pending.id}/no-show`);
    expect(res.status).toBe(200);
    expect((await json<BookingBody>(res)).status).toBe("no_show");
  });
});

describe("ratings", () => {
  it("the person rates a completed service once, 1–5", async () => {
    const me = await createAccount();
    const booking = await bookSelf(me, await slotFor());
    expect((await rate(me, booking.id, { rating: 5 })).status).toBe(409);
    arrive();
    expect((await staffPost(`/api/bookings/${booking.id}/complete`)).status).toBe(200);

    for (const rating of [0, 6, 4.5, "5"]) expect((await rate(me, booking.id, { rating })).status).toBe(400);
    const res = await rate(me, booking.id, { rating: 5, comment: "护理员很耐心" });
    expect(res.status).toBe(200);
    expect(await json<BookingBody>(res)).toMatchObject({ rating: 5, ratingComment: "护理员很耐心" });

    const again = await rate(me, booking.id, { rating: 1 });
    expect(again.status).toBe(409);
    const stored = await json<BookingBody>(await call(`/api/bookings/${booking.id}`, { cookie: me.cookie }));
    expect(stored.rating).toBe(5);
  });

  it("a proxy rates for the person; staff of the organisation may not rate", async () => {
    const elder = await createManagedPerson(community);
    const child = await createAccount();
    await linkProxy(child.id, elder, staff.id);
    const booking = await json<BookingBody>(await book(child, { slotId: await slotFor(), personId: elder }));
    arrive();
    expect((await staffPost(`/api/bookings/${booking.id}/complete`)).status).toBe(200);
    expect(
      (await call(`/api/bookings/${booking.id}/rating`, { cookie: staff.cookie, body: { rating: 1 } })).status,
    ).toBe(404);
    expect((await rate(child, booking.id, { rating: 4 })).status).toBe(200);
  });
});

describe("offerings that need confirmation", () => {
  it("book as pending (holding the place) until staff confirm", async () => {
    const slotId = await slotFor({ requiresConfirmation: true }, Date.now() + DAY, 1);
    const [first, second] = await Promise.all([createAccount(), createAccount()]);
    const booking = await bookSelf(first, slotId);
    expect(booking.status).toBe("pending");
    expect((await bookSelf(second, slotId)).status).toBe("waitlisted");
    expect((await staffPost("/api/bookings/check-in", { code: booking.code })).status).toBe(409);

    const res = await staffPost(`/api/bookings/${booking.id}/confirm`);
    expect(res.status).toBe(200);
    expect((await json<BookingBody>(res)).status).toBe("confirmed");
    expect((await staffPost(`/api/bookings/${booking.id}/confirm`)).status).toBe(409);
    // She booked it herself, so she was told nothing then; the confirmation she is told, once
    // (the second confirm changed nothing), by SMS too.
    const inbox = await inboxOf(first);
    expect(inbox).toMatchObject([{ kind: "booking_confirmed", title: "预约已确认", link: `/bookings/${booking.id}` }]);
    expect(inbox[0]?.body).toMatch(new RegExp(`已确认，签到码 ${booking.code}。$`));
    expect(await lastSms(first.phone)).toBe(`【邻里】${inbox[0]?.body}`);
    // The staff member who confirmed is not told of it.
    expect((await inboxOf(staff)).filter((n) => n.link === `/bookings/${booking.id}`)).toEqual([]);
  });

  it("a resident cannot confirm their own pending booking (403)", async () => {
    const me = await createAccount();
    const booking = await bookSelf(me, await slotFor({ requiresConfirmation: true }));
    const res = await call(`/api/bookings/${booking.id}/confirm`, { cookie: me.cookie, method: "POST" });
    expect(res.status).toBe(403);
    expect((await json<ErrorBody>(res)).error.code).toBe("FORBIDDEN");
  });
});

describe("GET /api/bookings/mine", () => {
  it("lists upcoming bookings of me and the persons I act for, soonest first, filterable by person", async () => {
    const me = await createAccount();
    const elder = await createManagedPerson(community);
    await linkProxy(me.id, elder, staff.id);
    const later = await slotFor({}, Date.now() + 3 * DAY);
    const sooner = await slotFor({}, Date.now() + DAY);
    const mine = await bookSelf(me, later);
    const theirs = await json<BookingBody>(await book(me, { slotId: sooner, personId: elder }));

    const all = await json<{ bookings: BookingBody[] }>(await call("/api/bookings/mine", { cookie: me.cookie }));
    expect(all.bookings.map((b) => b.id)).toEqual([theirs.id, mine.id]);
    const filtered = await json<{ bookings: BookingBody[] }>(
      await call(`/api/bookings/mine?personId=${elder}`, { cookie: me.cookie }),
    );
    expect(filtered.bookings.map((b) => b.id)).toEqual([theirs.id]);
  });

  it("a past booking leaves upcoming and shows under when=past", async () => {
    const me = await createAccount();
    const startsAt = Date.now() + DAY;
    const booking = await bookSelf(me, await slotFor({}, startsAt));
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(startsAt + 2 * HOUR);
    const upcoming = await json<{ bookings: BookingBody[] }>(await call("/api/bookings/mine", { cookie: me.cookie }));
    expect(upcoming.bookings).toEqual([]);
    const past = await json<{ bookings: BookingBody[] }>(
      await call("/api/bookings/mine?when=past", { cookie: me.cookie }),
    );
    expect(past.bookings.map((b) => b.id)).toEqual([booking.id]);
  });

  it("another resident's personId is 404; bad query is 400", async () => {
    const [me, other] = await Promise.all([createAccount(), createAccount()]);
    await bookSelf(other, await slotFor());
    const res = await call(`/api/bookings/mine?personId=${other.personId}`, { cookie: me.cookie });
    expect(res.status).toBe(404);
    expect((await call("/api/bookings/mine?when=tomorrow", { cookie: me.cookie })).status).toBe(400);
    expect((await call("/api/bookings/mine?foo=1", { cookie: me.cookie })).status).toBe(400);
  });

  it("stops listing a person's bookings once the proxy link is revoked", async () => {
    const me = await createAccount();
    const elder = await createManagedPerson(community);
    const linkId = await linkProxy(me.id, elder, staff.id);
    await book(me, { slotId: await slotFor(), personId: elder });
    await db().update(proxyLinks).set({ status: "revoked" }).where(eq(proxyLinks.id, linkId));
    const list = await json<{ bookings: BookingBody[] }>(await call("/api/bookings/mine", { cookie: me.cookie }));
    expect(list.bookings).toEqual([]);
    expect((await call(`/api/bookings/mine?personId=${elder}`, { cookie: me.cookie })).status).toBe(404);
  });

  it("a proxy link scoped to health only does not reveal the person's bookings (as GET /bookings/{id} does not)", async () => {
    const elder = await createManagedPerson(community);
    const booker = await createAccount();
    await linkProxy(booker.id, elder, staff.id);
    const booking = await json<BookingBody>(await book(booker, { slotId: await slotFor(), personId: elder }));

    const nurse = await createAccount();
    const linkId = await linkProxy(nurse.id, elder, staff.id);
    await db().update(proxyLinks).set({ scope: "health" }).where(eq(proxyLinks.id, linkId));
    expect((await call(`/api/bookings/${booking.id}`, { cookie: nurse.cookie })).status).toBe(404);
    const list = await json<{ bookings: BookingBody[] }>(await call("/api/bookings/mine", { cookie: nurse.cookie }));
    expect(list.bookings.map((b) => b.id)).not.toContain(booking.id);
    expect((await call(`/api/bookings/mine?personId=${elder}`, { cookie: nurse.cookie })).status).toBe(404);
  });
});
