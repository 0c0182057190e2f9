import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { shanghaiDate } from "../../worker/lib/shanghai";
import { DAY, HOUR } from "../../worker/lib/time";
import {
  book,
  call,
  createAccount,
  createAccounts,
  createCommunity,
  createManagedPerson,
  createOffering,
  createOrgStaff,
  createSlot,
  json,
  lastSms,
  linkProxy,
  type TestAccount,
} from "../factories";

type SlotBody = { id: string; startsAt: number; endsAt: number; capacity: number; taken: number; status: string };
type BookingBody = { id: string; status: string };
type ErrorBody = { error: { code: string } };
type Inbox = {
  notifications: Array<{ kind: string; body: string; link: string | null; params: { person?: string } | null }>;
};

let community: string;
let organisationId: string;
let staff: TestAccount;
let offeringId: string;

beforeEach(async () => {
  community = await createCommunity();
  ({ organisationId, staff } = await createOrgStaff("day_care_centre", community));
  offeringId = await createOffering(staff, organisationId, { title: "午餐助餐" });
});

function series(body: Record<string, unknown>) {
  return call(`/api/offerings/${offeringId}/slot-series`, {
    cookie: staff.cookie,
    body: { start: "08:30", end: "10:00", capacity: 6, ...body },
  });
}

async function slotsBetween(from: string, to: string) {
  const range = `from=${Date.parse(`${from}T00:00:00+08:00`)}&to=${Date.parse(`${to}T23:59:59+08:00`)}`;
  const res = await call(`/api/offerings/${offeringId}/slots?${range}&includeCancelled=true`);
  return (await json<{ slots: SlotBody[] }>(res)).slots;
}

function patchSlot(slotId: string, body: unknown) {
  return call(`/api/slots/${slotId}`, { cookie: staff.cookie, method: "PATCH", body });
}

async function inbox(who: TestAccount) {
  return (await json<Inbox>(await call("/api/notifications", { cookie: who.cookie }))).notifications;
}

async function bookingStatus(who: TestAccount, bookingId: string) {
  return (await json<BookingBody>(await call(`/api/bookings/${bookingId}`, { cookie: who.cookie }))).status;
}

/** A slot with `capacity` places and `n` residents booked one after another. */
async function bookedSlot(capacity: number, n: number, startsAt = Date.now() + 2 * DAY) {
  const slotId = await createSlot(staff, offeringId, { startsAt, capacity });
  const people = await Promise.all(Array.from({ length: n }, () => createAccount()));
  const booked: BookingBody[] = [];
  for (const p of people) booked.push(await json<BookingBody>(await book(p, { slotId, personId: p.personId })));
  return { slotId, people, booked };
}

describe("slot series", () => {
  // The series here are on fixed 2027 dates, chosen for their calendar (a National Day week, a
  // Monday that is a Sunday in UTC): the clock is held on a day before them, as when they were
  // written, since a series may not start in the past.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse("2026-11-30T12:00:00+08:00"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("creates Mondays and Wednesdays at 08:30 Shanghai (00:30Z), skipping listed holidays only on those days", async () => {
    const res = await series({
      from: "2027-03-01",
      to: "2027-03-31",
      weekdays: [1, 3],
      skipDates: ["2027-03-08", "2027-03-09", "2027-03-31"],
    });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ created: 8, skipped: ["2027-03-08", "2027-03-31"] });

    const slots = await slotsBetween("2027-03-01", "2027-03-31");
    expect(slots.map((s) => new Date(s.startsAt).toISOString())).toEqual(
      ["01", "03", "10", "15", "17", "22", "24", "29"].map((d) => `2027-03-${d}T00:30:00.000Z`),
    );
    expect(slots.every((s) => s.endsAt - s.startsAt === 90 * 60_000 && s.capacity === 6)).toBe(true);
  });

  it("starting today leaves out today's time when it is already over (the clock: Monday 30 November, noon)", async () => {
    const res = await series({ from: "2026-11-30", to: "2026-12-06", weekdays: [1, 3], start: "08:30", end: "10:00" });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ created: 1 });
    const slots = await slotsBetween("2026-11-30", "2026-12-06");
    expect(slots.map((s) => new Date(s.startsAt).toISOString())).toEqual(["2026-12-02T00:30:00.000Z"]);
    // The afternoon is still to come: today's slot is made.
    const later = await series({ from: "2026-11-30", to: "2026-11-30", weekdays: [1], start: "14:00", end: "15:00" });
    expect(await json(later)).toMatchObject({ created: 1 });
    // Only this morning's time, already over: nothing to make.
    expect((await series({ from: "2026-11-30", to: "2026-12-01", weekdays: [1] })).status).toBe(400);
  });

  it("run again (or retried), adds only the times that have no open slot yet", async () => {
    const body = { from: "2027-04-05", to: "2027-04-18", weekdays: [1] };
    expect(await json(await series(body))).toMatchObject({ created: 2, existing: [] });
    const wider = await series({ ...body, to: "2027-04-25" });
    expect(wider.status).toBe(201);
    expect(await json(wider)).toMatchObject({ created: 1, existing: ["2027-04-05", "2027-04-12"] });
    expect(await slotsBetween("2027-04-05", "2027-04-25")).toHaveLength(3);
    // Nothing new at all: refused, nothing written.
    const again = await series({ ...body, to: "2027-04-25" });
    expect(again.status).toBe(409);
    expect(await slotsBetween("2027-04-05", "2027-04-25")).toHaveLength(3);
  });

  it("adds listed make-up working days (调休) and puts the note on every slot", async () => {
    // National Day week: Friday 1st to Thursday 7th off, Saturday the 9th worked instead.
    const res = await series({
      from: "2027-09-27",
      to: "2027-10-10",
      weekdays: [1, 2, 3, 4, 5],
      skipDates: ["2027-10-01", "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07"],
      extraDates: ["2027-10-09"],
      note: "国庆期间请提前一天预约",
    });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({
      created: 6,
      skipped: ["2027-10-01", "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07"],
      added: ["2027-10-09"],
      existing: [],
    });
    const slots = await slotsBetween("2027-09-27", "2027-10-10");
    expect(slots.map((s) => shanghaiDate(s.startsAt))).toEqual([
      "2027-09-27",
      "2027-09-28",
      "2027-09-29",
      "2027-09-30",
      "2027-10-08",
      "2027-10-09",
    ]);
    expect(slots.every((s) => (s as SlotBody & { note: string | null }).note === "国庆期间请提前一天预约")).toBe(true);

    // The make-up day again, with a Sunday: the Saturday already has its slot — not "added" again.
    const again = await series({ from: "2027-10-09", to: "2027-10-10", weekdays: [7], extraDates: ["2027-10-09"] });
    expect(await json(again)).toMatchObject({ created: 1, added: [], existing: ["2027-10-09"] });
  });

  it("five identical series at once write each time once, and audit what each wrote", async () => {
    const body = { from: "2027-05-03", to: "2027-05-30", weekdays: [1, 3, 5] };
    const answers = await Promise.all(Array.from({ length: 5 }, () => series(body)));
    expect(answers.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const created = await Promise.all(
      answers.filter((r) => r.status === 201).map(async (r) => (await json<{ created: number }>(r)).created),
    );
    expect(created.reduce((a, b) => a + b, 0)).toBe(12);
    expect(await slotsBetween("2027-05-03", "2027-05-30")).toHaveLength(12);
    const audits = await env.DB.prepare(
      "SELECT json_extract(detail, '$.count') AS n FROM audit_log WHERE action = 'slot.series' AND subject_id = ?",
    )
      .bind(offeringId)
      .all<{ n: number }>();
    expect(audits.results.map((a) => a.n).sort()).toEqual([...created].sort());
  });

  it("takes the weekday from the Shanghai date: a Monday 06:00 slot starts on Sunday in UTC", async () => {
    const res = await series({ from: "2027-03-01", to: "2027-03-07", weekdays: [1], start: "06:00", end: "07:00" });
    expect(res.status).toBe(201);
    const slots = await slotsBetween("2027-03-01", "2027-03-07");
    expect(slots.map((s) => new Date(s.startsAt).toISOString())).toEqual(["2027-02-28T22:00:00.000Z"]);
  });

  it.each([
    ["end before start", { from: "2027-03-01", to: "2027-03-31", weekdays: [1], start: "10:00", end: "09:00" }],
    ["to before from", { from: "2027-03-31", to: "2027-03-01", weekdays: [1] }],
    ["weekday 0", { from: "2027-03-01", to: "2027-03-31", weekdays: [0] }],
    ["weekday 8", { from: "2027-03-01", to: "2027-03-31", weekdays: [8] }],
    ["no weekdays", { from: "2027-03-01", to: "2027-03-31", weekdays: [] }],
    ["a time without leading zero", { from: "2027-03-01", to: "2027-03-31", weekdays: [1], start: "8:30" }],
    ["an impossible date", { from: "2027-02-30", to: "2027-03-31", weekdays: [1] }],
    ["dates before 2020", { from: "1999-03-01", to: "1999-03-31", weekdays: [1] }],
    ["dates after 2099", { from: "2100-03-01", to: "2100-03-31", weekdays: [1] }],
    ["no matching date", { from: "2027-03-01", to: "2027-03-02", weekdays: [7] }],
    ["over 400 slots", { from: "2027-01-01", to: "2029-12-31", weekdays: [1, 2, 3, 4, 5, 6, 7] }],
    [
      "an extra date outside the range",
      { from: "2027-03-01", to: "2027-03-31", weekdays: [1], extraDates: ["2027-04-03"] },
    ],
    [
      "a date both skipped and added",
      { from: "2027-03-01", to: "2027-03-31", weekdays: [1], skipDates: ["2027-03-06"], extraDates: ["2027-03-06"] },
    ],
    ["a note over 200 characters", { from: "2027-03-01", to: "2027-03-31", weekdays: [1], note: "长".repeat(201) }],
    ["a start before today", { from: "2026-11-23", to: "2026-12-31", weekdays: [1] }],
  ] as Array<[string, Record<string, unknown>]>)("refuses %s with 400 and creates nothing", async (_label, body) => {
    const res = await series(body);
    expect(res.status).toBe(400);
    const count = await env.DB.prepare("SELECT count(*) AS n FROM slots WHERE offering_id = ?")
      .bind(offeringId)
      .first<{ n: number }>();
    expect(count?.n).toBe(0);
  });

  it.each([
    ["ending before it starts", { startsAt: Date.now() + DAY, endsAt: Date.now() + DAY - 1, capacity: 3 }],
    ["with no places", { startsAt: Date.now() + DAY, endsAt: Date.now() + DAY + HOUR, capacity: 0 }],
    ["with times in seconds", { startsAt: 1_800_000_000, endsAt: 1_800_003_600, capacity: 3 }],
  ] as Array<[string, Record<string, unknown>]>)("refuses a single slot %s with 400", async (_label, body) => {
    const res = await call(`/api/offerings/${offeringId}/slots`, { cookie: staff.cookie, body });
    expect(res.status).toBe(400);
  });

  it("a single slot already over is refused; one under way (someone at the desk now) is not", async () => {
    const at = Date.now();
    const over = await call(`/api/offerings/${offeringId}/slots`, {
      cookie: staff.cookie,
      body: { startsAt: at - 2 * HOUR, endsAt: at - HOUR, capacity: 3 },
    });
    expect(over.status).toBe(400);
    expect((await json<ErrorBody>(over)).error.code).toBe("VALIDATION_FAILED");
    const underWay = await call(`/api/offerings/${offeringId}/slots`, {
      cookie: staff.cookie,
      body: { startsAt: at - HOUR, endsAt: at + HOUR, capacity: 3 },
    });
    expect(underWay.status).toBe(201);
  });

  it("a single slot at a time that already has an open slot is 409 SLOT_TIME_TAKEN; once that is cancelled, fine", async () => {
    const startsAt = Date.now() + 3 * DAY;
    const first = await createSlot(staff, offeringId, { startsAt, capacity: 4 });
    const again = await call(`/api/offerings/${offeringId}/slots`, {
      cookie: staff.cookie,
      body: { startsAt, endsAt: startsAt + 2 * HOUR, capacity: 8 },
    });
    expect(again.status).toBe(409);
    expect(await json<ErrorBody>(again)).toMatchObject({ error: { code: "SLOT_TIME_TAKEN" } });
    // The refused slot left no audit row behind.
    const orphans = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log a WHERE a.action = 'slot.create' AND NOT EXISTS (SELECT 1 FROM slots s WHERE s.id = a.subject_id)",
    ).first<{ n: number }>();
    expect(orphans?.n).toBe(0);
    expect(await slotsBetween(shanghaiDate(startsAt), "2099-12-31")).toHaveLength(1);

    const cancel = await call(`/api/slots/${first}/cancel`, { cookie: staff.cookie, body: {} });
    expect(cancel.status).toBe(200);
    const reopened = await call(`/api/offerings/${offeringId}/slots`, {
      cookie: staff.cookie,
      body: { startsAt, endsAt: startsAt + 2 * HOUR, capacity: 8 },
    });
    expect(reopened.status).toBe(201);
  });
});

describe("changing a slot", () => {
  it("moving it tells everyone booked, placed or waitlisted, in the inbox and by SMS", async () => {
    const { slotId, people, booked } = await bookedSlot(1, 2);
    expect(booked.map((b) => b.status)).toEqual(["confirmed", "waitlisted"]);
    const startsAt = Date.now() + 3 * DAY;
    const res = await patchSlot(slotId, { startsAt, endsAt: startsAt + HOUR });
    expect(res.status).toBe(200);
    expect(await json<SlotBody>(res)).toMatchObject({ startsAt, endsAt: startsAt + HOUR });
    for (const [i, p] of people.entries()) {
      const changed = (await inbox(p)).filter((n) => n.kind === "slot_changed");
      expect(changed).toEqual([expect.objectContaining({ link: `/bookings/${booked[i]?.id}` })]);
      expect(await lastSms(p.phone)).toContain("时间改为");
    }
  });

  it("more places promote from the waitlist in order and tell the promoted", async () => {
    const { slotId, people, booked } = await bookedSlot(1, 3);
    const res = await patchSlot(slotId, { capacity: 2 });
    expect(res.status).toBe(200);
    expect(await json<SlotBody>(res)).toMatchObject({ capacity: 2, taken: 2 });
    const [, promoted, still] = people as [TestAccount, TestAccount, TestAccount];
    expect(await bookingStatus(promoted, booked[1]?.id ?? "")).toBe("confirmed");
    expect(await bookingStatus(still, booked[2]?.id ?? "")).toBe("waitlisted");
    expect((await inbox(promoted)).filter((n) => n.kind === "waitlist_promoted")).toHaveLength(1);
    expect(await lastSms(promoted.phone)).toContain("已有名额");
    expect((await inbox(still)).some((n) => n.kind === "waitlist_promoted")).toBe(false);
  });

  it("fewer places than are taken is 409 and changes nothing; exactly as many is fine", async () => {
    const { slotId } = await bookedSlot(3, 2);
    const res = await patchSlot(slotId, { capacity: 1 });
    expect(res.status).toBe(409);
    expect((await json<ErrorBody>(res)).error.code).toBe("CONFLICT");
    const row = await env.DB.prepare("SELECT capacity FROM slots WHERE id = ?")
      .bind(slotId)
      .first<{ capacity: number }>();
    expect(row?.capacity).toBe(3);
    expect((await patchSlot(slotId, { capacity: 2 })).status).toBe(200);
  });

  it("a time sent unchanged with another change (a client sending the whole slot) tells nobody of a move", async () => {
    const startsAt = Date.now() + 3 * DAY;
    const { slotId, people } = await bookedSlot(3, 1, startsAt);
    const res = await patchSlot(slotId, { startsAt, endsAt: startsAt + HOUR, capacity: 4, note: "请带毛巾" });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ capacity: 4, note: "请带毛巾", startsAt });
    expect((await inbox(people[0] as TestAccount)).some((n) => n.kind === "slot_changed")).toBe(false);
    expect((await patchSlot(slotId, { startsAt: startsAt + HOUR, endsAt: startsAt + 2 * HOUR })).status).toBe(200);
    expect((await inbox(people[0] as TestAccount)).filter((n) => n.kind === "slot_changed")).toHaveLength(1);
  });

  it("moving onto the time of another open slot is 409 SLOT_TIME_TAKEN and tells nobody; onto a cancelled one's, fine", async () => {
    const { slotId, people } = await bookedSlot(3, 1);
    const taken = Date.now() + 4 * DAY;
    const other = await createSlot(staff, offeringId, { startsAt: taken, capacity: 2 });
    const res = await patchSlot(slotId, { startsAt: taken, endsAt: taken + HOUR });
    expect(res.status).toBe(409);
    expect(await json<ErrorBody>(res)).toMatchObject({ error: { code: "SLOT_TIME_TAKEN" } });
    expect((await inbox(people[0] as TestAccount)).some((n) => n.kind === "slot_changed")).toBe(false);

    expect((await call(`/api/slots/${other}/cancel`, { cookie: staff.cookie, body: {} })).status).toBe(200);
    expect((await patchSlot(slotId, { startsAt: taken, endsAt: taken + HOUR })).status).toBe(200);
    expect((await inbox(people[0] as TestAccount)).some((n) => n.kind === "slot_changed")).toBe(true);
  });

  it.each([
    ["an empty patch", {}],
    ["an end before the start", { endsAt: 1_700_000_000_000 }],
    ["zero places", { capacity: 0 }],
    ["an unknown field", { status: "cancelled" }],
  ] as Array<[string, Record<string, unknown>]>)("refuses %s with 400", async (_label, body) => {
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + DAY, capacity: 2 });
    expect((await patchSlot(slotId, body)).status).toBe(400);
  });
});

describe("cancelling a slot", () => {
  it("cancels every booking on it and tells each person and proxy, with the reason", async () => {
    const { slotId, people, booked } = await bookedSlot(1, 2);
    // A daughter books for both her parents: she is told of each, by name.
    const elder = await createManagedPerson(community, "王桂英");
    const father = await createManagedPerson(community, "李德顺");
    const child = await createAccount();
    await linkProxy(child.id, elder, staff.id);
    await linkProxy(child.id, father, staff.id);
    const proxied = await json<BookingBody>(await book(child, { slotId, personId: elder }));
    const fathers = await json<BookingBody>(await book(child, { slotId, personId: father }));

    const res = await call(`/api/slots/${slotId}/cancel`, { cookie: staff.cookie, body: { reason: "停水" } });
    expect(res.status).toBe(200);
    expect((await json<SlotBody>(res)).status).toBe("cancelled");
    const { results } = await env.DB.prepare("SELECT DISTINCT status FROM bookings WHERE slot_id = ?")
      .bind(slotId)
      .all<{ status: string }>();
    expect(results).toEqual([{ status: "cancelled" }]);

    const told = people.map((p, i) => [p, booked[i]?.id] as const);
    for (const [who, bookingId] of told) {
      const notices = (await inbox(who)).filter((n) => n.kind === "slot_cancelled");
      expect(notices).toEqual([expect.objectContaining({ link: `/bookings/${bookingId}` })]);
      expect(notices[0]?.body).toContain("停水");
      expect(await lastSms(who.phone)).toContain("停水");
    }
    const childs = (await inbox(child)).filter((n) => n.kind === "slot_cancelled");
    expect(childs.map((n) => [n.link, n.body.split("：")[0], n.params?.person]).sort()).toEqual(
      [
        [`/bookings/${proxied.id}`, "王桂英", "王桂英"],
        [`/bookings/${fathers.id}`, "李德顺", "李德顺"],
      ].sort(),
    );
    expect(childs.every((n) => n.body.includes("停水"))).toBe(true);
    // The parents have no account: each is texted at their own number, by their own name.
    const texts = await env.DB.prepare(
      "SELECT body, params FROM outbox WHERE template = 'slot_cancelled' AND recipient IN (SELECT phone FROM persons WHERE id IN (?, ?)) ORDER BY body",
    )
      .bind(elder, father)
      .all<{ body: string; params: string }>();
    expect(texts.results.map((t) => [t.body.slice(0, 8), (JSON.parse(t.params) as { person: string }).person])).toEqual(
      [
        ["【邻里】李德顺：", "李德顺"],
        ["【邻里】王桂英：", "王桂英"],
      ],
    );
  });

  it("a cancelled slot cannot be cancelled again, changed or booked", async () => {
    const { slotId } = await bookedSlot(2, 1);
    expect((await call(`/api/slots/${slotId}/cancel`, { cookie: staff.cookie, body: {} })).status).toBe(200);
    expect((await call(`/api/slots/${slotId}/cancel`, { cookie: staff.cookie, body: {} })).status).toBe(409);
    expect((await patchSlot(slotId, { capacity: 5 })).status).toBe(409);
    const late = await createAccount();
    const res = await book(late, { slotId, personId: late.personId });
    expect(res.status).toBe(409);
    expect((await json<ErrorBody>(res)).error.code).toBe("BOOKING_CLOSED");
  });

  it("cancelling a booking whose slot was cancelled answers 409, not 500", async () => {
    const { slotId, people, booked } = await bookedSlot(2, 1);
    expect((await call(`/api/slots/${slotId}/cancel`, { cookie: staff.cookie, body: {} })).status).toBe(200);
    const [me] = people as [TestAccount];
    const res = await call(`/api/bookings/${booked[0]?.id}/cancel`, { cookie: me.cookie, body: {} });
    expect(res.status).toBe(409);
  });
});

describe("a slot cancelled while people book", () => {
  it("tells all 120 people booked on a large slot, in the inbox and by SMS (more than one batch)", async () => {
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 2 * DAY, capacity: 150 });
    const people = await createAccounts(120);
    for (let i = 0; i < people.length; i += 20) {
      const answers = await Promise.all(people.slice(i, i + 20).map((p) => book(p, { slotId, personId: p.personId })));
      expect(answers.map((r) => r.status)).toEqual(Array(answers.length).fill(201));
    }
    const cancel = await call(`/api/slots/${slotId}/cancel`, { cookie: staff.cookie, body: { reason: "停电" } });
    expect(cancel.status).toBe(200);
    const told = await env.DB.prepare(
      "SELECT count(DISTINCT account_id) AS n FROM notifications WHERE kind = 'slot_cancelled' AND link IN (SELECT '/bookings/' || id FROM bookings WHERE slot_id = ?)",
    )
      .bind(slotId)
      .first<{ n: number }>();
    expect(told?.n).toBe(120);
    const texted = await env.DB.prepare(
      "SELECT count(DISTINCT recipient) AS n, count(*) AS messages FROM outbox WHERE template = 'slot_cancelled' AND body LIKE '%停电%' AND recipient IN (SELECT phone FROM accounts WHERE id IN (SELECT actor_account_id FROM bookings WHERE slot_id = ?))",
    )
      .bind(slotId)
      .first<{ n: number; messages: number }>();
    // Each of them once: sent in two batches, neither repeated nor lost.
    expect(texted).toEqual({ n: 120, messages: 120 });
  });

  it("tells everyone whose booking it cancelled, including bookings made during the cancel", async () => {
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 2 * DAY, capacity: 10 });
    const people = await Promise.all(Array.from({ length: 10 }, () => createAccount()));
    const bookings = people.map((p) => book(p, { slotId, personId: p.personId }));
    const cancel = call(`/api/slots/${slotId}/cancel`, { cookie: staff.cookie, body: {} });
    const responses = await Promise.all([...bookings, cancel]);
    expect(responses.at(-1)?.status).toBe(200);
    const booked = people.filter((_, i) => responses[i]?.status === 201);
    const untold = [];
    for (const p of booked) {
      if (!(await inbox(p)).some((n) => n.kind === "slot_cancelled")) untold.push(p.id);
    }
    expect(untold).toEqual([]);
  });
});
