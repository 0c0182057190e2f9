import { afterEach, describe, expect, it, vi } from "vitest";
import { DAY, MINUTE } from "../../worker/lib/time";
import {
  book,
  call,
  createAccount,
  createCommunity,
  createManagedPerson,
  createOffering,
  createOrgStaff,
  createSlot,
  grantRole,
  inboxOf,
  json,
  linkProxy,
} from "../factories";

afterEach(() => {
  vi.useRealTimers();
});

type Listed = { id: string; status: string };

/** What the list shows of each booking (`BookingSummary`); notes, address and check-in code stay on the booking's page. */
const SUMMARY_KEYS = ["id", "offering", "person", "slot", "status", "waitlistPosition"];

/**
 * My bookings is built as JSON by SQLite, every other answer by `toBooking`: each listed booking
 * must equal the same booking read alone, field for field, on the summary's fields — and carry
 * no other field.
 */
async function expectListMatchesSingles(cookie: string, query = "") {
  const list = await json<{ bookings: Listed[] }>(await call(`/api/bookings/mine${query}`, { cookie }));
  for (const item of list.bookings) {
    expect(Object.keys(item).sort()).toEqual(SUMMARY_KEYS);
    const single = await json(await call(`/api/bookings/${item.id}`, { cookie }));
    expect(item).toEqual(Object.fromEntries(SUMMARY_KEYS.map((k) => [k, single[k]])));
  }
  return list.bookings;
}

describe("my bookings as JSON built by SQLite", () => {
  it("matches toBooking (on the summary's fields) for confirmed, waitlisted, assigned, proxied, cancelled, rated and awkward text", async () => {
    const community = await createCommunity();
    const { organisationId, staff } = await createOrgStaff("elderly_centre", community);
    const visits = await createOffering(staff, organisationId, { title: '上门服务 "助洁"', requiresAddress: true });
    const dayCare = await createOffering(staff, organisationId, { title: "日间照料" });
    const startsAt = Date.now() + DAY;
    const visitSlot = await createSlot(staff, visits, { startsAt, capacity: 1 });
    const careSlot = await createSlot(staff, dayCare, { startsAt: startsAt + 2 * DAY, capacity: 5 });

    const me = await createAccount({ name: "李娜" });
    const mother = await createManagedPerson(community, "张桂兰");
    await linkProxy(me.id, mother, staff.id);
    const others = [await createAccount()];

    const visit = await json<Listed>(
      await book(me, {
        slotId: visitSlot,
        personId: mother,
        address: "金钟街 3 号 2 单元 401\n（按门铃两次）",
        notes: '需要"助洁"和陪聊 🙂 \\ 反斜杠',
      }),
    );
    expect(visit.status).toBe("confirmed");
    // Two waitlisted behind her on the one-place slot, one of them mine (the centre booked it for
    // me on the phone, so I am told).
    const [other] = others;
    if (!other) throw new Error("no account");
    await book(other, { slotId: visitSlot, personId: other.personId, address: "某处" });
    const waiting = await json<Listed>(
      await book(staff, { slotId: visitSlot, personId: me.personId, address: "金钟街 3 号", channel: "phone" }),
    );
    expect(waiting.status).toBe("waitlisted");
    // A waitlisted booking's notice has no check-in code, in its text or its params.
    const notice = (await inboxOf(me)).find((n) => n.link === `/bookings/${waiting.id}`);
    expect(notice?.params).toMatchObject({ offering: '上门服务 "助洁"' });
    expect(notice?.params?.code).toBeUndefined();
    const cancelled = await json<Listed>(await book(me, { slotId: careSlot, personId: me.personId }));
    expect((await call(`/api/bookings/${cancelled.id}/cancel`, { cookie: me.cookie, body: {} })).status).toBe(200);
    expect((await book(me, { slotId: careSlot, personId: mother })).status).toBe(201);

    // Assigned to a staff member with a name.
    const carer = await createAccount({ name: "护理员小周" });
    await grantRole(carer.id, "org_staff", { organisationId });
    expect(
      (await call(`/api/bookings/${visit.id}/assign`, { cookie: staff.cookie, body: { accountId: carer.id } })).status,
    ).toBe(200);

    const upcoming = await expectListMatchesSingles(me.cookie);
    expect(upcoming.map((b) => b.status).sort()).toEqual(["cancelled", "confirmed", "confirmed", "waitlisted"]);
    // Behind the other account's booking (or level with it, when made in the same millisecond).
    expect([1, 2]).toContain(
      (upcoming.find((b) => b.id === waiting.id) as { waitlistPosition?: number })?.waitlistPosition,
    );
    expect(await json(await call(`/api/bookings/${visit.id}`, { cookie: me.cookie }))).toMatchObject({
      assignee: { accountId: carer.id, name: "护理员小周" },
      notes: '需要"助洁"和陪聊 🙂 \\ 反斜杠',
    });
    await expectListMatchesSingles(me.cookie, `?personId=${mother}`);

    // After the visit: completed and rated shows in the past list the same way.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(startsAt + 10 * MINUTE);
    expect((await call(`/api/bookings/${visit.id}/complete`, { cookie: staff.cookie, method: "POST" })).status).toBe(
      200,
    );
    expect(
      (await call(`/api/bookings/${visit.id}/rating`, { cookie: me.cookie, body: { rating: 5, comment: "很好" } }))
        .status,
    ).toBe(200);
    vi.setSystemTime(startsAt + 2 * 3_600_000);
    const past = await expectListMatchesSingles(me.cookie, "?when=past");
    expect(past.find((b) => b.id === visit.id)).toMatchObject({ status: "completed" });
    await expectListMatchesSingles(me.cookie, "?when=all");
  });

  it("the answer to a booking (built by SQLite) equals the booking read alone, and a replay's", async () => {
    const community = await createCommunity();
    const { organisationId, staff } = await createOrgStaff("elderly_centre", community);
    const offeringId = await createOffering(staff, organisationId, { requiresAddress: true });
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + DAY, capacity: 1 });
    const me = await createAccount();
    const body = { slotId, personId: me.personId, address: "金钟街 1 号", notes: '带"轮椅"\n上楼' };
    const created = await book(me, body, "json-check-1");
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toMatch(/^application\/json/);
    const first = await json<Listed>(created);
    expect(first).toEqual(await json(await call(`/api/bookings/${first.id}`, { cookie: me.cookie })));
    const replay = await book(me, body, "json-check-1");
    expect(replay.headers.get("Idempotency-Replayed")).toBe("true");
    expect(await json(replay)).toEqual(first);
  });

  it("says who cancelled: the organisation, or the person or their proxy — the same in SQL's JSON and toBooking", async () => {
    const community = await createCommunity();
    const { organisationId, staff } = await createOrgStaff("elderly_centre", community);
    const offeringId = await createOffering(staff, organisationId);
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 2 * DAY, capacity: 5 });
    const cases: Array<[string, boolean]> = [
      ["staff", true],
      ["self", false],
      ["proxy", false],
    ];
    for (const [who, byOrganisation] of cases) {
      const resident = await createAccount();
      const daughter = await createAccount();
      await linkProxy(daughter.id, resident.personId, staff.id);
      const key = `who-cancelled-${who}`;
      const created = await json<Listed>(await book(resident, { slotId, personId: resident.personId }, key));
      const canceller = who === "staff" ? staff : who === "self" ? resident : daughter;
      expect((await call(`/api/bookings/${created.id}/cancel`, { cookie: canceller.cookie, body: {} })).status).toBe(
        200,
      );
      const single = await json<{ cancelledByOrganisation: boolean }>(
        await call(`/api/bookings/${created.id}`, { cookie: resident.cookie }),
      );
      expect(single.cancelledByOrganisation, who).toBe(byOrganisation);
      // A replay of the booking's key answers with the JSON SQLite builds: the same.
      expect(await json(await book(resident, { slotId, personId: resident.personId }, key))).toEqual(single);
    }
  });

  it("answers an empty list as []", async () => {
    const nobody = await createAccount();
    const res = await call("/api/bookings/mine", { cookie: nobody.cookie });
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ bookings: [] });
  });
});

describe("an offering's slots as JSON built by SQLite", () => {
  type ListedSlot = { id: string; startsAt: number; status: string; bookable: boolean } & Record<string, unknown>;

  /** Each listed slot equals the same slot read alone (`toSlot`), without the single read's `offering`. */
  async function expectSlotsMatchSingles(offeringId: string, query = "") {
    const res = await call(`/api/offerings/${offeringId}/slots${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const { slots } = await json<{ slots: ListedSlot[] }>(res);
    for (const item of slots) {
      const { offering, ...single } = await json(await call(`/api/slots/${item.id}`));
      expect(offering).toMatchObject({ id: offeringId });
      expect(item).toEqual(single);
    }
    expect(slots.map((s) => s.startsAt)).toEqual([...slots.map((s) => s.startsAt)].sort((a, b) => a - b));
    return slots;
  }

  it("matches toSlot for full, waitlisted, noted, not yet open, closed, cancelled, priority-window and archived", async () => {
    const community = await createCommunity();
    const { organisationId, staff } = await createOrgStaff("elderly_centre", community);
    const offeringId = await createOffering(staff, organisationId, {
      opensDaysBefore: 7,
      closesHoursBefore: 2,
      priorityAge: 80,
      priorityDays: 1,
    });
    const now = Date.now();
    const full = await createSlot(staff, offeringId, { startsAt: now + DAY, capacity: 1 });
    const later = await createSlot(staff, offeringId, { startsAt: now + 10 * DAY, capacity: 3 });
    const closing = await createSlot(staff, offeringId, { startsAt: now + 60 * MINUTE, capacity: 3 });
    const noted = await call(`/api/offerings/${offeringId}/slots`, {
      cookie: staff.cookie,
      body: {
        startsAt: now + 2 * DAY,
        endsAt: now + 2 * DAY + 3_600_000,
        capacity: 4,
        note: '带"水杯"\n和老花镜 🙂 \\',
      },
    });
    expect(noted.status).toBe(201);
    const cancelled = await createSlot(staff, offeringId, { startsAt: now + 3 * DAY, capacity: 2 });
    expect((await call(`/api/slots/${cancelled}/cancel`, { cookie: staff.cookie, body: {} })).status).toBe(200);
    const [first, second] = [await createAccount(), await createAccount()];
    if (!first || !second) throw new Error("no accounts");
    expect((await book(first, { slotId: full, personId: first.personId })).status).toBe(201);
    expect(await json(await book(second, { slotId: full, personId: second.personId }))).toMatchObject({
      status: "waitlisted",
    });

    const open = await expectSlotsMatchSingles(offeringId);
    expect(open.map((s) => s.id)).not.toContain(cancelled);
    expect(open.find((s) => s.id === full)).toMatchObject({ taken: 1, waitlisted: 1, free: 0, bookable: true });
    expect(open.find((s) => s.id === later)).toMatchObject({ bookable: false });
    expect(open.find((s) => s.id === closing)).toMatchObject({ bookable: false });
    expect(open.find((s) => s.note !== null)).toMatchObject({ note: '带"水杯"\n和老花镜 🙂 \\' });
    expect(open.every((s) => typeof s.priorityOpensAt === "number")).toBe(true);
    const all = await expectSlotsMatchSingles(offeringId, "?includeCancelled=true");
    expect(all.find((s) => s.id === cancelled)).toMatchObject({ status: "cancelled", bookable: false });
    expect(await expectSlotsMatchSingles(offeringId, `?from=${now + 5 * DAY}&to=${now + 11 * DAY}`)).toHaveLength(1);

    // Without a priority age, and once the offering is archived: nothing bookable, still listed.
    const plain = await createOffering(staff, organisationId);
    await createSlot(staff, plain, { startsAt: now + DAY, capacity: 2 });
    expect((await expectSlotsMatchSingles(plain))[0]).toMatchObject({ priorityOpensAt: null, bookable: true });
    expect((await call(`/api/offerings/${plain}/archive`, { cookie: staff.cookie, method: "POST" })).status).toBe(200);
    expect((await expectSlotsMatchSingles(plain))[0]).toMatchObject({ bookable: false });
  });

  it("answers an empty list for an offering without slots, 404 for an unknown one and 400 for a bad range", async () => {
    const { organisationId, staff } = await createOrgStaff();
    const offeringId = await createOffering(staff, organisationId);
    expect(await json(await call(`/api/offerings/${offeringId}/slots`))).toEqual({ slots: [] });
    const unknown = await call("/api/offerings/off_nothinghere0000/slots");
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toMatchObject({ error: { code: "NOT_FOUND" } });
    expect((await call(`/api/offerings/${offeringId}/slots?from=soon`)).status).toBe(400);
  });
});
