import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../db";
import { autoCloseStatement } from "../../worker/features/volunteers/service-records.queries";
import { fromShanghai, shanghaiDate } from "../../worker/lib/shanghai";
import {
  book,
  call,
  createAccount,
  createBookableSlot,
  createCommunity,
  createCommunityStaff,
  createOffering,
  createOrgStaff,
  createSlot,
  createVolunteer,
  inboxOf,
  joinTeam,
  json,
  type TestAccount,
} from "../factories";

type ErrorBody = { error: { code: string; message: string } };
type Record_ = {
  id: string;
  status: string;
  minutes: number | null;
  startedAt: number;
  endedAt: number | null;
  autoClosed: boolean;
  source: string;
  title: string;
  category: string | null;
  note: string | null;
  volunteerNumber: string;
};
type Booking = { id: string; status: string; code: string };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let community: string;
let approver: TestAccount;
let organisationId: string;
let staff: TestAccount;

beforeEach(async () => {
  community = await createCommunity();
  approver = await createCommunityStaff(community);
  ({ organisationId, staff } = await createOrgStaff("social_organisation", community));
});

afterEach(() => {
  vi.useRealTimers();
});

async function shift(
  fields: Record<string, unknown> = {},
  slot: { startsAt?: number; endsAt?: number; capacity?: number } = {},
) {
  const offeringId = await createOffering(staff, organisationId, {
    kind: "volunteer_shift",
    category: "elderly_care",
    title: "助老探访",
    skills: ["companionship"],
    ...fields,
  });
  const startsAt = slot.startsAt ?? Date.now() + 30 * MINUTE;
  const slotId = await createSlot(staff, offeringId, {
    startsAt,
    endsAt: slot.endsAt ?? startsAt + 2 * HOUR,
    capacity: slot.capacity ?? 5,
  });
  return { offeringId, slotId };
}

async function signUp(volunteer: TestAccount, slotId: string): Promise<Booking> {
  const res = await book(volunteer, { slotId, personId: volunteer.personId });
  expect(res.status).toBe(201);
  return json<Booking>(res);
}

async function shiftCode(who: TestAccount, slotId: string): Promise<string> {
  const res = await call(`/api/slots/${slotId}/shift-code`, { cookie: who.cookie });
  expect(res.status).toBe(200);
  return (await json<{ code: string }>(res)).code;
}

function checkIn(who: TestAccount, bookingId: string, code: string) {
  return call(`/api/bookings/${bookingId}/shift-check-in`, { cookie: who.cookie, body: { code } });
}

function checkOut(who: TestAccount, bookingId: string, code: string) {
  return call(`/api/bookings/${bookingId}/shift-check-out`, { cookie: who.cookie, body: { code } });
}

async function countRows(query: string, ...binds: unknown[]) {
  return (
    (
      await env.DB.prepare(query)
        .bind(...binds)
        .first<{ n: number }>()
    )?.n ?? 0
  );
}

describe("signing up for volunteer shifts", () => {
  it("a registered volunteer signs up; a resident who is not one, or a suspended volunteer, is refused (403)", async () => {
    const { slotId } = await shift();
    const volunteer = await createVolunteer(community, { approver });
    expect((await signUp(volunteer, slotId)).status).toBe("confirmed");

    const resident = await createAccount();
    const refused = await book(resident, { slotId, personId: resident.personId });
    expect(refused.status).toBe(403);
    expect(await json<ErrorBody>(refused)).toMatchObject({ error: { code: "NOT_ELIGIBLE" } });
    expect(
      (await json<ErrorBody>(await book(resident, { slotId, personId: resident.personId }))).error.message,
    ).toMatch(/registered volunteers/);

    const suspended = await createVolunteer(community, { approver });
    const res = await call(`/api/staff/volunteers/${suspended.volunteerId}/suspend`, {
      cookie: approver.cookie,
      body: { reason: "暂停测试" },
    });
    expect(res.status).toBe(200);
    expect((await book(suspended, { slotId, personId: suspended.personId })).status).toBe(403);
  });

  it("a team-only shift takes its team's members only; the team must be the organisation's own", async () => {
    const team = await json<{ id: string }>(
      await call("/api/volunteer-teams", { cookie: staff.cookie, body: { organisationId, name: "探访队" } }),
    );
    const { slotId } = await shift({ teamId: team.id });
    const member = await createVolunteer(community, { approver });
    const outsider = await createVolunteer(community, { approver });
    await joinTeam(team.id, member, staff);
    expect((await signUp(member, slotId)).status).toBe("confirmed");
    const refused = await book(outsider, { slotId, personId: outsider.personId });
    expect(refused.status).toBe(403);
    expect((await json<ErrorBody>(refused)).error.message).toMatch(/team/);

    const { organisationId: otherOrg, staff: otherStaff } = await createOrgStaff("social_organisation");
    const foreign = await call("/api/offerings", {
      cookie: otherStaff.cookie,
      body: { organisationId: otherOrg, kind: "volunteer_shift", title: "外队", teamId: team.id },
    });
    expect(foreign.status).toBe(404);
    const notShift = await call("/api/offerings", {
      cookie: staff.cookie,
      body: { organisationId, kind: "care", title: "照料", skills: ["medical"] },
    });
    expect(notShift.status).toBe(400);
  });

  it("never takes more volunteers than the shift needs, however many sign up at once", async () => {
    const { slotId } = await shift({ waitlist: false }, { capacity: 3 });
    const volunteers = await Promise.all(Array.from({ length: 10 }, () => createVolunteer(community, { approver })));
    const answers = await Promise.all(volunteers.map((v) => book(v, { slotId, personId: v.personId })));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    expect(await countRows("SELECT held_count AS n FROM slots WHERE id = ?", slotId)).toBe(3);
    expect(
      await countRows("SELECT count(*) AS n FROM bookings WHERE slot_id = ? AND status = 'confirmed'", slotId),
    ).toBe(3);
  });
});

describe("checking in and out", () => {
  it("with the lead's code: check-in opens a record, check-out leaves it pending with the minutes served", async () => {
    const { slotId } = await shift();
    const volunteer = await createVolunteer(community, { approver });
    const booking = await signUp(volunteer, slotId);
    const early = await checkIn(volunteer, booking.id, "123456");
    expect(early.status).toBe(409);
    expect((await json<ErrorBody>(early)).error.message).toMatch(/not opened/);

    const code = await shiftCode(staff, slotId);
    expect(code).toMatch(/^\d{6}$/);
    expect(await shiftCode(staff, slotId)).toBe(code);
    const wrong = await checkIn(volunteer, booking.id, code === "000000" ? "111111" : "000000");
    expect(wrong.status).toBe(400);
    expect((await checkIn(volunteer, booking.id, "12ab")).status).toBe(400);

    const opened = await checkIn(volunteer, booking.id, code);
    expect(opened.status).toBe(200);
    const record = await json<Record_>(opened);
    expect(record).toMatchObject({
      status: "open",
      minutes: null,
      source: "check_in",
      title: "助老探访",
      category: "elderly_care",
    });
    expect((await checkIn(volunteer, booking.id, code)).status).toBe(409);

    const closed = await checkOut(volunteer, booking.id, code);
    expect(closed.status).toBe(200);
    const after = await json<Record_>(closed);
    expect(after).toMatchObject({ id: record.id, status: "pending", minutes: 0 });
    expect(after.endedAt).toBeGreaterThanOrEqual(record.startedAt);
    expect(
      await countRows("SELECT count(*) AS n FROM bookings WHERE id = ? AND status = 'completed'", booking.id),
    ).toBe(1);
  });

  it("counts the minutes of a shift across midnight (Beijing time)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    // Tomorrow at 23:00 Beijing time (sessions made today are still valid then).
    const day = shanghaiDate(Date.now() + DAY);
    const next = shanghaiDate(Date.now() + 2 * DAY);
    const startsAt = fromShanghai(day, "23:00");
    vi.setSystemTime(startsAt - 3 * HOUR);
    const { slotId } = await shift({}, { startsAt, endsAt: startsAt + 3 * HOUR });
    const volunteer = await createVolunteer(community, { approver });
    const booking = await signUp(volunteer, slotId);
    const code = await shiftCode(staff, slotId);
    vi.setSystemTime(fromShanghai(day, "23:20"));
    expect((await checkIn(volunteer, booking.id, code)).status).toBe(200);
    vi.setSystemTime(fromShanghai(next, "01:05") + 30_000);
    const record = await json<Record_>(await checkOut(volunteer, booking.id, code));
    expect(record.minutes).toBe(105);
    // Counted in the month it began, on Beijing time.
    const hours = await json<{ byMonth: Array<{ key: string; pending: number }> }>(
      await call(`/api/volunteers/me/hours?year=${day.slice(0, 4)}`, { cookie: volunteer.cookie }),
    );
    expect(hours.byMonth).toEqual([{ key: day.slice(5, 7), label: null, approved: 0, pending: 105 }]);
  });

  it("a check-in left open is closed after 12 hours at the shift's end and flagged; bulk approval leaves it for review", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const startsAt = fromShanghai(shanghaiDate(Date.now() + DAY), "09:00");
    vi.setSystemTime(startsAt - HOUR);
    const { slotId } = await shift({}, { startsAt, endsAt: startsAt + 3 * HOUR });
    const [forgetful, careful] = [
      await createVolunteer(community, { approver }),
      await createVolunteer(community, { approver }),
    ];
    const [b1, b2] = [await signUp(forgetful, slotId), await signUp(careful, slotId)];
    const code = await shiftCode(staff, slotId);
    vi.setSystemTime(startsAt);
    expect((await checkIn(forgetful, b1.id, code)).status).toBe(200);
    expect((await checkIn(careful, b2.id, code)).status).toBe(200);
    vi.setSystemTime(startsAt + 2 * HOUR);
    expect((await checkOut(careful, b2.id, code)).status).toBe(200);

    const db = createDb(env.DB);
    await autoCloseStatement(db, startsAt + 11 * HOUR);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM volunteer_service_records WHERE slot_id = ? AND status = 'open'",
        slotId,
      ),
    ).toBe(1);
    await autoCloseStatement(db, startsAt + 12 * HOUR + MINUTE);
    const row = await env.DB.prepare(
      "SELECT status, auto_closed, minutes, ended_at FROM volunteer_service_records WHERE booking_id = ?",
    )
      .bind(b1.id)
      .first<{ status: string; auto_closed: number; minutes: number; ended_at: number }>();
    expect(row).toEqual({ status: "pending", auto_closed: 1, minutes: 180, ended_at: startsAt + 3 * HOUR });

    const bulk = await call(`/api/slots/${slotId}/service-records/approve`, { cookie: staff.cookie, method: "POST" });
    expect(bulk.status).toBe(200);
    expect(await json(bulk)).toEqual({ approved: 1, left: 1 });
    expect(
      await countRows(
        "SELECT count(*) AS n FROM volunteer_service_records WHERE booking_id = ? AND status = 'approved'",
        b2.id,
      ),
    ).toBe(1);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'service_record.approve_shift' AND subject_id = ? AND json_extract(detail, '$.approved') = 1",
        slotId,
      ),
    ).toBe(1);
  });

  it("staff checking a volunteer in by booking code, and completing without any check-in, make records too", async () => {
    const { slotId } = await shift();
    const [atDesk, absentMinded] = [
      await createVolunteer(community, { approver }),
      await createVolunteer(community, { approver }),
    ];
    const b1 = await signUp(atDesk, slotId);
    const b2 = await signUp(absentMinded, slotId);
    const res = await call("/api/bookings/check-in", { cookie: staff.cookie, body: { code: b1.code } });
    expect(res.status).toBe(200);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM volunteer_service_records WHERE booking_id = ? AND status = 'open'",
        b1.id,
      ),
    ).toBe(1);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + HOUR);
    expect((await call(`/api/bookings/${b2.id}/complete`, { cookie: staff.cookie, method: "POST" })).status).toBe(200);
    const row = await env.DB.prepare("SELECT status, minutes, note FROM volunteer_service_records WHERE booking_id = ?")
      .bind(b2.id)
      .first<{ status: string; minutes: number; note: string }>();
    expect(row).toEqual({ status: "pending", minutes: 120, note: "未签到，按排班时间记录" });
  });

  it("the triggers that write service records exist", async () => {
    const names = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'bookings_volunteer_%' ORDER BY name",
    ).all<{
      name: string;
    }>();
    expect(names.results.map((r) => r.name)).toEqual([
      "bookings_volunteer_called_off",
      "bookings_volunteer_check_in",
      "bookings_volunteer_check_out",
    ]);
  });

  it("a care booking's check-in makes no service record", async () => {
    const offeringId = await createOffering(staff, organisationId, { kind: "care", title: "助餐" });
    const slotId = await createSlot(staff, offeringId, { startsAt: Date.now() + 30 * MINUTE, capacity: 2 });
    const resident = await createVolunteer(community, { approver });
    const booking = await signUp(resident, slotId);
    expect((await call("/api/bookings/check-in", { cookie: staff.cookie, body: { code: booking.code } })).status).toBe(
      200,
    );
    expect(
      await countRows("SELECT count(*) AS n FROM volunteer_service_records WHERE booking_id = ?", booking.id),
    ).toBe(0);
  });
});

describe("who records, certifies (谁记录谁证明)", () => {
  async function pendingRecord() {
    const { slotId } = await shift();
    const volunteer = await createVolunteer(community, { approver });
    const booking = await signUp(volunteer, slotId);
    const code = await shiftCode(staff, slotId);
    await checkIn(volunteer, booking.id, code);
    const record = await json<Record_>(await checkOut(volunteer, booking.id, code));
    return { volunteer, record, slotId, booking };
  }

  it("only the recording organisation approves; another organisation's staff get 404", async () => {
    const { record } = await pendingRecord();
    const { staff: other } = await createOrgStaff("social_organisation", community);
    expect(
      (await call(`/api/service-records/${record.id}/approve`, { cookie: other.cookie, method: "POST" })).status,
    ).toBe(404);
    expect(
      (await call(`/api/service-records/${record.id}/reject`, { cookie: other.cookie, body: { reason: "不认可" } }))
        .status,
    ).toBe(404);
    expect(
      (await call(`/api/service-records/${record.id}`, { cookie: other.cookie, method: "PATCH", body: { note: "x" } }))
        .status,
    ).toBe(404);
    const list = await json<{ records: Record_[] }>(await call("/api/staff/service-records", { cookie: other.cookie }));
    expect(list.records.map((r) => r.id)).not.toContain(record.id);

    const approved = await call(`/api/service-records/${record.id}/approve`, { cookie: staff.cookie, method: "POST" });
    expect(approved.status).toBe(200);
    expect((await json<Record_>(approved)).status).toBe("approved");
    expect(
      (await call(`/api/service-records/${record.id}/approve`, { cookie: staff.cookie, method: "POST" })).status,
    ).toBe(409);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'service_record.approve' AND subject_id = ?",
        record.id,
      ),
    ).toBe(1);
  });

  it("a rejection needs a reason, which the volunteer is told", async () => {
    const { record, volunteer } = await pendingRecord();
    expect((await call(`/api/service-records/${record.id}/reject`, { cookie: staff.cookie, body: {} })).status).toBe(
      400,
    );
    const res = await call(`/api/service-records/${record.id}/reject`, {
      cookie: staff.cookie,
      body: { reason: "当天未到岗" },
    });
    expect(res.status).toBe(200);
    const [notice] = await inboxOf(volunteer);
    expect(notice).toMatchObject({ kind: "service_record_rejected" });
    expect(notice?.body).toContain("当天未到岗");
  });

  it("an edit after approval is audited with the times before and after", async () => {
    const { record } = await pendingRecord();
    await call(`/api/service-records/${record.id}/approve`, { cookie: staff.cookie, method: "POST" });
    const startedAt = record.startedAt;
    const res = await call(`/api/service-records/${record.id}`, {
      cookie: staff.cookie,
      method: "PATCH",
      body: { startedAt, endedAt: startedAt + 90 * MINUTE, note: "按签到表更正" },
    });
    expect(res.status).toBe(200);
    expect(await json<Record_>(res)).toMatchObject({ status: "approved", minutes: 90, note: "按签到表更正" });
    const audit = await env.DB.prepare(
      "SELECT detail FROM audit_log WHERE action = 'service_record.edit_after_approval' AND subject_id = ?",
    )
      .bind(record.id)
      .first<{ detail: string }>();
    const detail = JSON.parse(audit?.detail ?? "{}") as { before: { minutes: number }; after: { minutes: number } };
    expect(detail.before.minutes).toBe(0);
    expect(detail.after.minutes).toBe(90);
    const bad = await call(`/api/service-records/${record.id}`, {
      cookie: staff.cookie,
      method: "PATCH",
      body: { startedAt, endedAt: startedAt - MINUTE },
    });
    expect(bad.status).toBe(400);
  });

  it("staff enter a record from a paper sheet by volunteer number; it waits for approval and counts once approved", async () => {
    const volunteer = await createVolunteer(community, { approver });
    const startedAt = Date.now() - 5 * HOUR;
    const entry = {
      number: volunteer.number.toLowerCase(),
      organisationId,
      title: "社区环境整治",
      category: "environment",
      startedAt,
      endedAt: startedAt + 150 * MINUTE,
      note: "纸质签到表第 3 页",
    };
    const res = await call("/api/service-records", { cookie: staff.cookie, body: entry });
    expect(res.status).toBe(201);
    const record = await json<Record_>(res);
    expect(record).toMatchObject({
      status: "pending",
      minutes: 150,
      source: "staff_entry",
      volunteerNumber: volunteer.number,
    });
    await call(`/api/service-records/${record.id}/approve`, { cookie: staff.cookie, method: "POST" });
    const year = new Date(startedAt + 8 * HOUR).getUTCFullYear();
    const hours = await json<{
      approvedMinutes: number;
      allTimeApprovedMinutes: number;
      byCategory: Array<{ key: string; approved: number }>;
      byOrganisation: Array<{ key: string; approved: number }>;
    }>(await call(`/api/volunteers/me/hours?year=${year}`, { cookie: volunteer.cookie }));
    expect(hours.approvedMinutes).toBe(150);
    expect(hours.allTimeApprovedMinutes).toBe(150);
    expect(hours.byCategory).toEqual([{ key: "environment", label: null, approved: 150, pending: 0 }]);
    expect(hours.byOrganisation[0]).toMatchObject({ key: organisationId, approved: 150 });

    const { organisationId: elsewhere } = await createOrgStaff("social_organisation");
    expect(
      (await call("/api/service-records", { cookie: staff.cookie, body: { ...entry, organisationId: elsewhere } }))
        .status,
    ).toBe(403);
    expect(
      (await call("/api/service-records", { cookie: staff.cookie, body: { ...entry, number: "JZ1999-99999" } })).status,
    ).toBe(404);
    expect(
      (await call("/api/service-records", { cookie: staff.cookie, body: { ...entry, endedAt: startedAt } })).status,
    ).toBe(400);
    const future = { ...entry, startedAt: Date.now() + HOUR, endedAt: Date.now() + 2 * HOUR };
    expect((await call("/api/service-records", { cookie: staff.cookie, body: future })).status).toBe(400);
  });

  it("a volunteer sees only their own records; another's booking cannot be checked in (404)", async () => {
    const { record, volunteer, booking, slotId } = await pendingRecord();
    const other = await createVolunteer(community, { approver });
    const theirs = await json<{ records: Record_[] }>(
      await call("/api/volunteers/me/service-records", { cookie: other.cookie }),
    );
    expect(theirs.records).toEqual([]);
    const mine = await json<{ records: Record_[] }>(
      await call("/api/volunteers/me/service-records", { cookie: volunteer.cookie }),
    );
    expect(mine.records.map((r) => r.id)).toEqual([record.id]);
    const code = await shiftCode(staff, slotId);
    expect((await checkOut(other, booking.id, code)).status).toBe(404);
    // A plain member cannot read the shift's code; a resident cannot list records.
    expect((await call(`/api/slots/${slotId}/shift-code`, { cookie: other.cookie })).status).toBe(404);
    expect((await call("/api/staff/service-records", { cookie: other.cookie })).status).toBe(403);
  });
});

describe("the list of open shifts", () => {
  it("shows open shifts with free places; a volunteer sees their own sign-up and whether they may sign up", async () => {
    const team = await json<{ id: string }>(
      await call("/api/volunteer-teams", { cookie: staff.cookie, body: { organisationId, name: "列表队" } }),
    );
    const { slotId: open } = await shift({ title: "开放班次" }, { capacity: 2 });
    const { slotId: teamOnly } = await shift({ title: "队内班次", teamId: team.id });
    const volunteer = await createVolunteer(community, { approver });
    const booking = await signUp(volunteer, open);

    const anonymous = await json<{
      registered: boolean;
      shifts: Array<{ slotId: string; canSignUp: boolean; free: number }>;
    }>(await call(`/api/volunteer-shifts?organisationId=${organisationId}`));
    expect(anonymous.registered).toBe(false);
    expect(anonymous.shifts.map((s) => s.slotId)).toEqual(expect.arrayContaining([open, teamOnly]));
    expect(anonymous.shifts.every((s) => !s.canSignUp)).toBe(true);

    const mine = await json<{
      registered: boolean;
      shifts: Array<{
        slotId: string;
        canSignUp: boolean;
        free: number;
        teamName: string | null;
        myBooking: { id: string } | null;
      }>;
    }>(await call(`/api/volunteer-shifts?organisationId=${organisationId}`, { cookie: volunteer.cookie }));
    expect(mine.registered).toBe(true);
    const first = mine.shifts.find((s) => s.slotId === open);
    expect(first).toMatchObject({ free: 1, canSignUp: false, myBooking: { id: booking.id } });
    expect(mine.shifts.find((s) => s.slotId === teamOnly)).toMatchObject({ canSignUp: false, teamName: "列表队" });
    expect((await call("/api/volunteer-shifts?unknown=1")).status).toBe(400);
  });
});

describe("the shift list at scale", () => {
  it("lists more shifts than one statement may bind, with my booking among them", async () => {
    const offeringId = await createOffering(staff, organisationId, { kind: "volunteer_shift", title: "每日巡查" });
    const first = Date.now() + HOUR;
    const slotIds: string[] = [];
    for (let i = 0; i < 105; i++) {
      slotIds.push(await createSlot(staff, offeringId, { startsAt: first + i * 6 * HOUR, capacity: 2 }));
    }
    const volunteer = await createVolunteer(community, { approver });
    const booking = await signUp(volunteer, slotIds[10] as string);
    const res = await call(`/api/volunteer-shifts?organisationId=${organisationId}`, { cookie: volunteer.cookie });
    expect(res.status).toBe(200);
    const { shifts } = await json<{ shifts: Array<{ slotId: string; myBooking: { id: string } | null }> }>(res);
    expect(shifts).toHaveLength(105);
    expect(shifts.find((s) => s.slotId === slotIds[10])?.myBooking?.id).toBe(booking.id);
  });
});

describe("suspension", () => {
  it("cancels the volunteer's shifts to come and hands their places to the waitlist; other bookings stay", async () => {
    const tomorrow = Date.now() + DAY;
    const { slotId: full } = await shift({}, { startsAt: tomorrow, capacity: 1 });
    const { slotId: later } = await shift({ title: "周末义诊" }, { startsAt: tomorrow + DAY });
    const volunteer = await createVolunteer(community, { approver });
    const waiting = await createVolunteer(community, { approver });
    const mine = await signUp(volunteer, full);
    const theirs = await signUp(waiting, full);
    expect(theirs.status).toBe("waitlisted");
    const second = await signUp(volunteer, later);
    const careSlot = await createBookableSlot();
    const care = await book(volunteer, { slotId: careSlot, personId: volunteer.personId });
    expect(care.status).toBe(201);
    const careBooking = await json<Booking>(care);

    const res = await call(`/api/staff/volunteers/${volunteer.volunteerId}/suspend`, {
      cookie: approver.cookie,
      body: { reason: "多次无故缺席" },
    });
    expect(res.status).toBe(200);
    const status = async (id: string) =>
      (await env.DB.prepare("SELECT status FROM bookings WHERE id = ?").bind(id).first<{ status: string }>())?.status;
    expect(await status(mine.id)).toBe("cancelled");
    expect(await status(second.id)).toBe("cancelled");
    expect(await status(theirs.id)).toBe("confirmed");
    expect(await status(careBooking.id)).toBe(careBooking.status);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'booking.cancel_for' AND person_id = ? AND actor_account_id = ?",
        volunteer.personId,
        approver.id,
      ),
    ).toBe(2);
    // The volunteer who got the place is told, like any promotion off a waitlist.
    expect((await inboxOf(waiting)).map((n) => n.kind)).toContain("waitlist_promoted");
    // Reinstated, the volunteer signs up again if they want: nothing comes back by itself.
    await call(`/api/staff/volunteers/${volunteer.volunteerId}/reinstate`, { cookie: approver.cookie, body: {} });
    expect(await status(second.id)).toBe("cancelled");
  });

  it("another community's staff cannot suspend (404), and nothing is cancelled", async () => {
    const { slotId } = await shift({}, { startsAt: Date.now() + DAY });
    const volunteer = await createVolunteer(community, { approver });
    const booking = await signUp(volunteer, slotId);
    const stranger = await createCommunityStaff(await createCommunity("别的社区"));
    const res = await call(`/api/staff/volunteers/${volunteer.volunteerId}/suspend`, {
      cookie: stranger.cookie,
      body: { reason: "暂停" },
    });
    expect(res.status).toBe(404);
    const row = await env.DB.prepare("SELECT status FROM bookings WHERE id = ?")
      .bind(booking.id)
      .first<{ status: string }>();
    expect(row?.status).toBe(booking.status);
  });
});

describe("hours that cannot be padded (review findings)", () => {
  it("a volunteer suspended during a shift earns nothing from it: check-in refused, a desk check-in opens no record", async () => {
    const startsAt = Date.now() + 30 * MINUTE;
    const { slotId } = await shift({}, { startsAt });
    const volunteer = await createVolunteer(community, { approver });
    const booking = await signUp(volunteer, slotId);
    const code = await shiftCode(staff, slotId);
    // Under way: the suspension leaves the booking (only shifts to come are given up).
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(startsAt + 5 * MINUTE);
    await call(`/api/staff/volunteers/${volunteer.volunteerId}/suspend`, {
      cookie: approver.cookie,
      body: { reason: "暂停" },
    });
    const refused = await checkIn(volunteer, booking.id, code);
    expect(refused.status).toBe(403);
    expect((await call("/api/bookings/check-in", { cookie: staff.cookie, body: { code: booking.code } })).status).toBe(
      200,
    );
    expect(
      await countRows("SELECT count(*) AS n FROM volunteer_service_records WHERE booking_id = ?", booking.id),
    ).toBe(0);
  });

  it("an early check-in counts from the shift's start; a check-out over an hour after its end is flagged and left out of the whole-shift approval", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const startsAt = fromShanghai(shanghaiDate(Date.now() + DAY), "09:00");
    vi.setSystemTime(startsAt - 3 * HOUR);
    const { slotId } = await shift({}, { startsAt, endsAt: startsAt + 2 * HOUR });
    const volunteer = await createVolunteer(community, { approver });
    const booking = await signUp(volunteer, slotId);
    const code = await shiftCode(staff, slotId);
    vi.setSystemTime(startsAt - 90 * 60_000);
    const opened = await json<Record_>(await checkIn(volunteer, booking.id, code));
    expect(opened.startedAt).toBe(startsAt);
    vi.setSystemTime(startsAt + 9 * HOUR);
    const closed = await json<Record_ & { flagged: boolean }>(await checkOut(volunteer, booking.id, code));
    expect(closed).toMatchObject({ minutes: 540, flagged: true });
    const bulk = await json(
      await call(`/api/slots/${slotId}/service-records/approve`, { cookie: staff.cookie, method: "POST" }),
    );
    expect(bulk).toEqual({ approved: 0, left: 1 });
  });

  it("a check-out after the platform closed a forgotten check-in replaces the platform's end", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const startsAt = fromShanghai(shanghaiDate(Date.now() + DAY), "08:00");
    vi.setSystemTime(startsAt - HOUR);
    const { slotId } = await shift({}, { startsAt, endsAt: startsAt + 14 * HOUR });
    const volunteer = await createVolunteer(community, { approver });
    const booking = await signUp(volunteer, slotId);
    const code = await shiftCode(staff, slotId);
    vi.setSystemTime(startsAt);
    await checkIn(volunteer, booking.id, code);
    await autoCloseStatement(createDb(env.DB), startsAt + 12 * HOUR + 60_000);
    vi.setSystemTime(startsAt + 13 * HOUR);
    const record = await json<Record_ & { flagged: boolean }>(await checkOut(volunteer, booking.id, code));
    expect(record).toMatchObject({ status: "pending", minutes: 780, autoClosed: true, flagged: true });
  });

  it("calling a shift off while volunteers are checked in closes their records there, flagged", async () => {
    const { slotId } = await shift({}, { startsAt: Date.now() - 10 * MINUTE + 60 * MINUTE });
    const volunteer = await createVolunteer(community, { approver });
    const booking = await signUp(volunteer, slotId);
    const code = await shiftCode(staff, slotId);
    expect((await checkIn(volunteer, booking.id, code)).status).toBe(200);
    expect((await call(`/api/slots/${slotId}/cancel`, { cookie: staff.cookie, body: { reason: "暴雨" } })).status).toBe(
      200,
    );
    const row = await env.DB.prepare(
      "SELECT status, flagged, ended_at IS NOT NULL AS ended FROM volunteer_service_records WHERE booking_id = ?",
    )
      .bind(booking.id)
      .first<{ status: string; flagged: number; ended: number }>();
    expect(row).toEqual({ status: "pending", flagged: 1, ended: 1 });
  });

  it("the same paper sheet entered twice is refused (409): records of one volunteer never overlap", async () => {
    const volunteer = await createVolunteer(community, { approver });
    const startedAt = Date.now() - 6 * HOUR;
    const entry = { number: volunteer.number, organisationId, title: "义诊", startedAt, endedAt: startedAt + 2 * HOUR };
    expect((await call("/api/service-records", { cookie: staff.cookie, body: entry })).status).toBe(201);
    const twice = await call("/api/service-records", {
      cookie: staff.cookie,
      body: { ...entry, startedAt: startedAt + HOUR },
    });
    expect(twice.status).toBe(409);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM volunteer_service_records WHERE volunteer_id = ?",
        volunteer.volunteerId,
      ),
    ).toBe(1);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'service_record.enter' AND person_id = (SELECT person_id FROM volunteers WHERE id = ?)",
        volunteer.volunteerId,
      ),
    ).toBe(1);
  });

  it("a leader of the shift's team reads its code; whole-shift approval audits each record for its volunteer", async () => {
    const team = await json<{ id: string }>(
      await call("/api/volunteer-teams", { cookie: staff.cookie, body: { organisationId, name: "领队测试队" } }),
    );
    const { slotId } = await shift({ teamId: team.id });
    const leader = await createVolunteer(community, { approver });
    await joinTeam(team.id, leader, staff, "leader");
    const member = await createVolunteer(community, { approver });
    await joinTeam(team.id, member, staff);
    const code = await shiftCode(leader, slotId);
    expect((await call(`/api/slots/${slotId}/shift-code`, { cookie: member.cookie })).status).toBe(404);
    // The shift list tells the leader (only) that they may show its code.
    const listed = async (who: TestAccount) =>
      (
        await json<{ shifts: Array<{ slotId: string; iLead: boolean }> }>(
          await call("/api/volunteer-shifts", { cookie: who.cookie }),
        )
      ).shifts.find((s) => s.slotId === slotId);
    expect(await listed(leader)).toMatchObject({ iLead: true });
    expect(await listed(member)).toMatchObject({ iLead: false });
    const booking = await signUp(member, slotId);
    await checkIn(member, booking.id, code);
    await checkOut(member, booking.id, code);
    expect(
      await json(await call(`/api/slots/${slotId}/service-records/approve`, { cookie: staff.cookie, method: "POST" })),
    ).toEqual({
      approved: 1,
      left: 0,
    });
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'service_record.approve' AND person_id = ?",
        member.personId,
      ),
    ).toBe(1);
  });
});
