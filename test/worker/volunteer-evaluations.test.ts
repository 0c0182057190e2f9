import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../db";
import { assessDuePeriods, computeAssessment } from "../../worker/features/volunteers/evaluations.queries";
import {
  type AssessmentSettings,
  assessmentScore,
  DEFAULT_ASSESSMENT_SETTINGS,
  periodDates,
  previousQuarter,
  quarterOf,
} from "../../worker/features/volunteers/evaluations.schema";
import { fromShanghai, shanghaiDate } from "../../worker/lib/shanghai";
import {
  book,
  call,
  createAccount,
  createCommunity,
  createCommunityStaff,
  createManagedPerson,
  createOffering,
  createOrgStaff,
  createSlot,
  createVolunteer,
  grantRole,
  joinTeam,
  json,
  linkProxy,
  type TestAccount,
} from "../factories";

type ErrorBody = { error: { code: string; message: string } };
type Served = { id: string; personName: string; volunteerName: string; canRate: boolean; rating: unknown };
type Assessment = {
  volunteerId: string;
  minutes: number;
  ratingCount: number;
  ratingAverage: number | null;
  teamCount: number;
  teamAverage: number | null;
  noShows: number;
  score: number;
  stars: number;
  final: boolean;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let community: string;
let approver: TestAccount;
let organisationId: string;
let staff: TestAccount;
let admin: TestAccount;

beforeEach(async () => {
  community = await createCommunity();
  approver = await createCommunityStaff(community);
  ({ organisationId, staff } = await createOrgStaff("social_organisation", community));
  admin = await createAccount({ name: "街道管理员" });
  await grantRole(admin.id, "street_admin");
});

afterEach(() => {
  vi.useRealTimers();
});

/** A pending paper record of `minutes` for the volunteer, started `hoursAgo` hours ago. */
async function paperRecord(volunteer: { number: string }, minutes = 120, hoursAgo = 3) {
  const startedAt = Date.now() - hoursAgo * HOUR;
  const res = await call("/api/service-records", {
    cookie: staff.cookie,
    body: {
      number: volunteer.number,
      organisationId,
      title: "陪伴就医",
      startedAt,
      endedAt: startedAt + minutes * MINUTE,
    },
  });
  expect(res.status).toBe(201);
  return (await json<{ id: string }>(res)).id;
}

async function approve(recordId: string) {
  expect(
    (await call(`/api/service-records/${recordId}/approve`, { cookie: staff.cookie, method: "POST" })).status,
  ).toBe(200);
}

function nameServed(who: TestAccount, recordId: string, personId: string | null) {
  return call(`/api/service-records/${recordId}/served-person`, {
    cookie: who.cookie,
    method: "PUT",
    body: { personId },
  });
}

function rate(who: TestAccount, recordId: string, body: unknown) {
  return call(`/api/service-records/${recordId}/rating`, { cookie: who.cookie, body });
}

/** An elder without a phone, and her son who acts for her. */
async function elderWithSon() {
  const elder = await createManagedPerson(community, "周桂芳");
  const son = await createAccount({ name: "周强" });
  await linkProxy(son.id, elder, approver.id);
  return { elder, son };
}

async function countRows(sql: string, ...binds: unknown[]) {
  const row = await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("ratings by the person served", () => {
  it("the person served (through her son) rates a completed service once; the volunteer and the staff see it", async () => {
    const volunteer = await createVolunteer(community, { approver, name: "郑好心" });
    const { elder, son } = await elderWithSon();
    const recordId = await paperRecord(volunteer);
    expect((await nameServed(staff, recordId, elder)).status).toBe(200);
    await approve(recordId);

    const listed = await json<{ records: Served[] }>(await call("/api/me/volunteer-services", { cookie: son.cookie }));
    expect(listed.records).toHaveLength(1);
    expect(listed.records[0]).toMatchObject({
      id: recordId,
      personName: "周桂芳",
      volunteerName: "郑**",
      canRate: true,
    });

    const res = await rate(son, recordId, { stars: 5, comment: "很耐心，谢谢" });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ recordId, stars: 5, comment: "很耐心，谢谢" });
    const again = await rate(son, recordId, { stars: 1 });
    expect(again.status).toBe(409);
    expect(await countRows("SELECT count(*) AS n FROM volunteer_service_ratings WHERE record_id = ?", recordId)).toBe(
      1,
    );
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'service_record.rate' AND subject_id = ? AND person_id = ?",
        recordId,
        elder,
      ),
    ).toBe(1);

    const after = await json<{ records: Served[] }>(await call("/api/me/volunteer-services", { cookie: son.cookie }));
    expect(after.records[0]).toMatchObject({ canRate: false, rating: { stars: 5, comment: "很耐心，谢谢" } });

    // The volunteer sees the stars and the words, not whom or which service they came from.
    const mine = await json<{ ratings: Array<Record<string, unknown>> }>(
      await call("/api/volunteers/me/evaluations", { cookie: volunteer.cookie }),
    );
    expect(mine.ratings).toEqual([
      {
        stars: 5,
        comment: "很耐心，谢谢",
        organisationName: expect.any(String),
        month: expect.stringMatching(/^\d{4}-\d{2}$/),
      },
    ]);
    const ownRecords = await json<{ records: Array<Record<string, unknown>> }>(
      await call("/api/volunteers/me/service-records", { cookie: volunteer.cookie }),
    );
    expect(ownRecords.records.find((r) => r.id === recordId)).toMatchObject({
      servedPersonId: null,
      servedPersonName: null,
      rating: null,
    });

    const staffList = await json<{ records: Array<{ id: string; rating: number; servedPersonName: string }> }>(
      await call(`/api/staff/service-records?organisationId=${organisationId}`, { cookie: staff.cookie }),
    );
    expect(staffList.records.find((r) => r.id === recordId)).toMatchObject({ rating: 5, servedPersonName: "周**" });
    const [from, to] = [shanghaiDate(Date.now() - 86_400_000), shanghaiDate(Date.now())];
    const csv = await (
      await call(`/api/staff/service-records.csv?from=${from}&to=${to}&organisationId=${organisationId}`, {
        cookie: staff.cookie,
      })
    ).text();
    expect(csv.split(/\r?\n/).find((line) => line.startsWith(recordId))).toMatch(/,5$/);
    // Once rated, the person served is fixed.
    expect((await nameServed(staff, recordId, null)).status).toBe(409);
  });

  it("refuses bad ratings, services still going on or rejected, and naming nobody or the volunteer", async () => {
    const volunteer = await createVolunteer(community, { approver });
    const { elder, son } = await elderWithSon();
    const recordId = await paperRecord(volunteer);
    await nameServed(staff, recordId, elder);
    for (const body of [
      { stars: 0 },
      { stars: 6 },
      { stars: 4.5 },
      {},
      { stars: "5" },
      { stars: 3, comment: "长".repeat(301) },
      { stars: 3, extra: 1 },
    ]) {
      const res = await rate(son, recordId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json<ErrorBody>(res)).error.code).toBe("VALIDATION_FAILED");
    }
    // A pending record may be rated (the service is done); a rejected one may not.
    const rejected = await paperRecord(volunteer, 60, 6);
    await nameServed(staff, rejected, elder);
    const refused = await call(`/api/service-records/${rejected}/reject`, {
      cookie: staff.cookie,
      body: { reason: "当天未到岗" },
    });
    expect(refused.status).toBe(200);
    expect((await rate(son, rejected, { stars: 4 })).status).toBe(409);
    expect((await rate(son, recordId, { stars: 4 })).status).toBe(201);

    const another = await paperRecord(volunteer, 60, 9);
    expect((await nameServed(staff, another, "per_nobody")).status).toBe(404);
    expect((await nameServed(staff, another, volunteer.personId)).status).toBe(409);
    expect((await nameServed(staff, another, "")).status).toBe(400);
    // Someone the organisation does not serve (another community, never booked with it): as unknown.
    const elsewhere = await createManagedPerson(await createCommunity("别处社区"), "孙别处");
    expect((await nameServed(staff, another, elsewhere)).status).toBe(404);
    expect((await nameServed(admin, another, elsewhere)).status).toBe(200);
    // A street-wide organisation serves every community: its staff may name anyone.
    const { organisationId: streetOrg, staff: streetStaff } = await createOrgStaff("social_organisation", null);
    const startedAt = Date.now() - 5 * HOUR;
    const entered = await call("/api/service-records", {
      cookie: streetStaff.cookie,
      body: {
        number: volunteer.number,
        organisationId: streetOrg,
        title: "送餐",
        startedAt,
        endedAt: startedAt + HOUR,
      },
    });
    expect(entered.status).toBe(201);
    const streetRecord = (await json<{ id: string }>(entered)).id;
    expect((await nameServed(streetStaff, streetRecord, elsewhere)).status).toBe(200);
  });

  it("lists and rates for an account acting for more people than a statement may bind", async () => {
    const volunteer = await createVolunteer(community, { approver });
    const gridWorker = await createAccount({ name: "网格员" });
    const at = Date.now();
    const many = Array.from({ length: 110 }, (_, i) => `per_many_${crypto.randomUUID()}_${i}`);
    const statements = many.flatMap((id, i) => [
      env.DB.prepare(
        "INSERT INTO persons (id, name, birth_date, community_id, created_at, updated_at) VALUES (?, ?, '1940-01-01', ?, ?, ?)",
      ).bind(id, `老人${i}`, community, at, at),
      env.DB.prepare(
        `INSERT INTO proxy_links (id, proxy_account_id, person_id, relationship, scope, status, requested_by_account_id,
          consent_method, consent_recorded_by_account_id, consent_recorded_at, created_at)
         VALUES (?, ?, ?, 'grid_worker', 'all', 'active', ?, 'in_person', ?, ?, ?)`,
      ).bind(`pxl_many_${i}_${crypto.randomUUID()}`, gridWorker.id, id, approver.id, approver.id, at, at),
    ]);
    await env.DB.batch(statements);
    const recordId = await paperRecord(volunteer);
    expect((await nameServed(staff, recordId, many[105] as string)).status).toBe(200);
    const listed = await call("/api/me/volunteer-services", { cookie: gridWorker.cookie });
    expect(listed.status).toBe(200);
    expect((await json<{ records: Served[] }>(listed)).records.map((r) => r.id)).toEqual([recordId]);
    expect((await rate(gridWorker, recordId, { stars: 4 })).status).toBe(201);
  });

  it("only the person served or someone acting for them (not health-only) rates; only the recording organisation names", async () => {
    const volunteer = await createVolunteer(community, { approver });
    const { elder, son } = await elderWithSon();
    const recordId = await paperRecord(volunteer);
    await nameServed(staff, recordId, elder);

    const stranger = await createAccount();
    expect((await rate(stranger, recordId, { stars: 1 })).status).toBe(404);
    expect(
      (await json<{ records: unknown[] }>(await call("/api/me/volunteer-services", { cookie: stranger.cookie })))
        .records,
    ).toEqual([]);

    const healthOnly = await createAccount();
    const link = await linkProxy(healthOnly.id, elder, approver.id);
    await env.DB.prepare("UPDATE proxy_links SET scope = 'health' WHERE id = ?").bind(link).run();
    expect((await rate(healthOnly, recordId, { stars: 1 })).status).toBe(404);

    // The volunteer, even acting for the person served, does not rate their own service.
    await linkProxy(volunteer.id, elder, approver.id);
    expect((await rate(volunteer, recordId, { stars: 5 })).status).toBe(409);

    const { staff: otherStaff } = await createOrgStaff("social_organisation", community);
    expect((await nameServed(otherStaff, recordId, null)).status).toBe(404);
    expect((await nameServed(son, recordId, null)).status).toBe(403);
    expect((await rate(son, "vsr_missing", { stars: 3 })).status).toBe(404);
    expect(await countRows("SELECT count(*) AS n FROM volunteer_service_ratings WHERE record_id = ?", recordId)).toBe(
      0,
    );
  });
});

async function newTeam() {
  const res = await call("/api/volunteer-teams", {
    cookie: staff.cookie,
    body: { organisationId, name: `评价队${crypto.randomUUID().slice(0, 6)}` },
  });
  expect(res.status).toBe(201);
  return (await json<{ id: string }>(res)).id;
}

function evaluate(who: TestAccount, teamId: string, body: Record<string, unknown>) {
  return call(`/api/volunteer-teams/${teamId}/evaluations`, { cookie: who.cookie, method: "PUT", body });
}

const thisQuarter = () => quarterOf(shanghaiDate(Date.now()));

describe("team evaluations", () => {
  it("a leader evaluates a member for the quarter; again replaces it; the member, leader and staff see it", async () => {
    const teamId = await newTeam();
    const leader = await createVolunteer(community, { approver, name: "冯队长" });
    const member = await createVolunteer(community, { approver, name: "陈队员" });
    await joinTeam(teamId, leader, staff, "leader");
    await joinTeam(teamId, member, staff);
    const period = thisQuarter();
    const body = {
      volunteerId: member.volunteerId,
      period,
      punctuality: 3,
      attitude: 5,
      skill: 4,
      comment: "准时一点更好",
    };
    const first = await evaluate(leader, teamId, body);
    expect(first.status).toBe(200);
    const second = await evaluate(leader, teamId, { ...body, punctuality: 4 });
    expect(second.status).toBe(200);
    expect(await json(second)).toMatchObject({
      period,
      punctuality: 4,
      attitude: 5,
      skill: 4,
      comment: "准时一点更好",
    });
    expect(
      await countRows(
        "SELECT count(*) AS n FROM volunteer_team_evaluations WHERE volunteer_id = ?",
        member.volunteerId,
      ),
    ).toBe(1);
    expect(
      await countRows("SELECT count(*) AS n FROM audit_log WHERE action = 'team.evaluate' AND subject_id = ?", teamId),
    ).toBe(2);

    const mine = await json<{ teamEvaluations: Array<{ teamId: string; punctuality: number }> }>(
      await call("/api/volunteers/me/evaluations", { cookie: member.cookie }),
    );
    expect(mine.teamEvaluations).toEqual([expect.objectContaining({ teamId, punctuality: 4 })]);

    for (const who of [leader, staff]) {
      const sheet = await call(`/api/volunteer-teams/${teamId}/evaluations?period=${period}`, { cookie: who.cookie });
      expect(sheet.status).toBe(200);
      const { members } = await json<{
        members: Array<{ volunteerId: string; isMe: boolean; evaluation: { punctuality: number } | null }>;
      }>(sheet);
      expect(members.find((m) => m.volunteerId === member.volunteerId)?.evaluation?.punctuality).toBe(4);
      expect(members.find((m) => m.volunteerId === leader.volunteerId)).toMatchObject({
        isMe: who === leader,
        evaluation: null,
      });
    }
    // The team's staff evaluate the leader too.
    expect((await evaluate(staff, teamId, { ...body, volunteerId: leader.volunteerId })).status).toBe(200);
  });

  it("takes the last quarter's evaluations only in the week after it (when it is assessed)", async () => {
    const teamId = await newTeam();
    const member = await createVolunteer(community, { approver });
    await joinTeam(teamId, member, staff);
    // A few days into this quarter (never ahead of the sessions' clock by more than a week).
    const quarterStart = fromShanghai(periodDates(thisQuarter()).from, "10:00");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(quarterStart + 3 * DAY);
    const last = previousQuarter(thisQuarter());
    const body = { volunteerId: member.volunteerId, period: last, punctuality: 5, attitude: 5, skill: 5 };
    expect((await evaluate(staff, teamId, body)).status).toBe(200);
    vi.setSystemTime(quarterStart + 8 * DAY);
    const late = await evaluate(staff, teamId, body);
    expect(late.status).toBe(400);
    expect((await json<ErrorBody>(late)).error.message).toContain("first week");
    expect((await evaluate(staff, teamId, { ...body, period: thisQuarter() })).status).toBe(200);
  });

  it("refuses scores out of range, periods outside this quarter and the last, oneself and non-members", async () => {
    const teamId = await newTeam();
    const leader = await createVolunteer(community, { approver });
    const member = await createVolunteer(community, { approver });
    await joinTeam(teamId, leader, staff, "leader");
    await joinTeam(teamId, member, staff);
    const good = { volunteerId: member.volunteerId, period: thisQuarter(), punctuality: 4, attitude: 4, skill: 4 };
    for (const change of [
      { punctuality: 0 },
      { attitude: 6 },
      { skill: 3.5 },
      { period: "2026Q4" },
      { period: "2026" },
      { comment: "x".repeat(301) },
    ]) {
      const res = await evaluate(leader, teamId, { ...good, ...change });
      expect(res.status, JSON.stringify(change)).toBe(400);
    }
    const twoAgo = previousQuarter(previousQuarter(thisQuarter()));
    const old = await evaluate(leader, teamId, { ...good, period: twoAgo });
    expect(old.status).toBe(400);
    expect((await json<ErrorBody>(old)).error.message).toContain("this quarter");
    const next = `${Number(thisQuarter().slice(0, 4)) + 1}-Q1`;
    expect((await evaluate(leader, teamId, { ...good, period: next })).status).toBe(400);
    expect((await evaluate(leader, teamId, { ...good, volunteerId: leader.volunteerId })).status).toBe(409);
    const outsider = await createVolunteer(community, { approver });
    expect((await evaluate(leader, teamId, { ...good, volunteerId: outsider.volunteerId })).status).toBe(404);
  });

  it("members and other organisations' staff neither see nor give evaluations (404)", async () => {
    const teamId = await newTeam();
    const leader = await createVolunteer(community, { approver });
    const member = await createVolunteer(community, { approver });
    const peer = await createVolunteer(community, { approver });
    await joinTeam(teamId, leader, staff, "leader");
    await joinTeam(teamId, member, staff);
    await joinTeam(teamId, peer, staff);
    const { staff: otherStaff } = await createOrgStaff("social_organisation", community);
    const body = { volunteerId: member.volunteerId, period: thisQuarter(), punctuality: 1, attitude: 1, skill: 1 };
    for (const who of [peer, otherStaff, await createAccount()]) {
      expect((await evaluate(who, teamId, body)).status).toBe(404);
      expect(
        (await call(`/api/volunteer-teams/${teamId}/evaluations?period=${thisQuarter()}`, { cookie: who.cookie }))
          .status,
      ).toBe(404);
    }
    expect(
      await countRows(
        "SELECT count(*) AS n FROM volunteer_team_evaluations WHERE volunteer_id = ?",
        member.volunteerId,
      ),
    ).toBe(0);
  });
});

describe("the assessment formula", () => {
  const settings: AssessmentSettings = DEFAULT_ASSESSMENT_SETTINGS;

  it("weighs hours, ratings and team evaluations, takes off no-shows and gives stars (a worked fixture)", () => {
    // H = 100 × 18/24 = 75; R = 25 × (4.5 − 1) = 87.5; T = 25 × (4 − 1) = 75;
    // (50 × 75 + 25 × 87.5 + 25 × 75) / 100 = 78.125; − 5 for one no-show = 73.125 → 73.1: three stars.
    const parts = { minutes: 18 * 60, ratingCount: 2, ratingAverage: 4.5, teamCount: 1, teamAverage: 4, noShows: 1 };
    expect(assessmentScore(parts, settings, "2026-Q3")).toEqual({ score: 73.1, stars: 3 });
    // A year's target is four quarters': 18 of 96 hours → H = 18.75; (937.5 + 2187.5 + 1875) / 100 − 5 = 45.
    expect(assessmentScore(parts, settings, "2026")).toEqual({ score: 45, stars: 2 });
  });

  it("leaves out parts without data instead of counting them as zero, caps hours and clamps at 0 and 100", () => {
    const hoursOnly = {
      minutes: 12 * 60,
      ratingCount: 0,
      ratingAverage: null,
      teamCount: 0,
      teamAverage: null,
      noShows: 0,
    };
    expect(assessmentScore(hoursOnly, settings, "2026-Q1")).toEqual({ score: 50, stars: 2 });
    const perfect = { minutes: 100 * 60, ratingCount: 3, ratingAverage: 5, teamCount: 2, teamAverage: 5, noShows: 0 };
    expect(assessmentScore(perfect, settings, "2026-Q1")).toEqual({ score: 100, stars: 5 });
    const missed = { ...hoursOnly, minutes: 60, noShows: 4 };
    expect(assessmentScore(missed, settings, "2026-Q1")).toEqual({ score: 0, stars: 1 });
    const ratingsOnly = { ...settings, hoursWeight: 0, teamWeight: 0 };
    expect(assessmentScore({ ...perfect, ratingAverage: 3 }, ratingsOnly, "2026-Q1")).toEqual({ score: 50, stars: 2 });
    expect(assessmentScore(hoursOnly, ratingsOnly, "2026-Q1")).toEqual({ score: 0, stars: 1 });
  });

  it("knows quarters and years", () => {
    expect(periodDates("2026-Q1")).toEqual({ from: "2026-01-01", to: "2026-03-31" });
    expect(periodDates("2024-Q1")).toEqual({ from: "2024-01-01", to: "2024-03-31" });
    expect(periodDates("2026-Q4")).toEqual({ from: "2026-10-01", to: "2026-12-31" });
    expect(periodDates("2026")).toEqual({ from: "2026-01-01", to: "2026-12-31" });
    expect(quarterOf("2026-09-30")).toBe("2026-Q3");
    expect(quarterOf("2026-10-01")).toBe("2026-Q4");
    expect(previousQuarter("2027-Q1")).toBe("2026-Q4");
  });
});

describe("periodic assessment", () => {
  it("computes the score from approved hours, ratings, team evaluations and no-shows with the admin's weights", async () => {
    // Mid-way through last quarter: every record, rating and shift below falls in one quarter and
    // one year whatever the date the test runs (and behind the sessions' clock, so they stay valid).
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(fromShanghai(periodDates(previousQuarter(thisQuarter())).from, "10:00") + 40 * DAY);
    const put = await call("/api/admin/volunteer-assessment-settings", {
      cookie: admin.cookie,
      method: "PUT",
      body: DEFAULT_ASSESSMENT_SETTINGS,
    });
    expect(put.status).toBe(200);
    const volunteer = await createVolunteer(community, { approver, name: "吴考核" });
    const { elder, son } = await elderWithSon();
    // 18 approved hours: three six-hour records, two of them rated 4 and 5; a pending one does not count.
    const records = [
      await paperRecord(volunteer, 360, 7),
      await paperRecord(volunteer, 360, 14),
      await paperRecord(volunteer, 360, 21),
    ];
    for (const id of records) await approve(id);
    const pending = await paperRecord(volunteer, 300, 27);
    await nameServed(staff, records[0] as string, elder);
    await nameServed(staff, records[1] as string, elder);
    expect((await rate(son, records[0] as string, { stars: 4 })).status).toBe(201);
    expect((await rate(son, records[1] as string, { stars: 5 })).status).toBe(201);
    // A pending record rated one star and then rejected: neither its hours nor its rating count.
    await nameServed(staff, pending, elder);
    expect((await rate(son, pending, { stars: 1 })).status).toBe(201);
    const rejected = await call(`/api/service-records/${pending}/reject`, {
      cookie: staff.cookie,
      body: { reason: "重复登记" },
    });
    expect(rejected.status).toBe(200);
    // A team evaluation averaging 4, and one shift not turned up to.
    const teamId = await newTeam();
    await joinTeam(teamId, volunteer, staff);
    expect(
      (
        await evaluate(staff, teamId, {
          volunteerId: volunteer.volunteerId,
          period: thisQuarter(),
          punctuality: 3,
          attitude: 4,
          skill: 5,
        })
      ).status,
    ).toBe(200);
    const offeringId = await createOffering(staff, organisationId, { kind: "volunteer_shift", title: "助老探访" });
    const startsAt = Date.now() + 30 * MINUTE;
    const slotId = await createSlot(staff, offeringId, { startsAt, endsAt: startsAt + HOUR, capacity: 3 });
    const booked = await book(volunteer, { slotId, personId: volunteer.personId });
    expect(booked.status).toBe(201);
    const { id: bookingId } = await json<{ id: string }>(booked);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(startsAt + 20 * MINUTE);
    expect((await call(`/api/bookings/${bookingId}/no-show`, { cookie: staff.cookie, method: "POST" })).status).toBe(
      200,
    );

    const year = shanghaiDate(Date.now()).slice(0, 4);
    const res = await call("/api/admin/volunteer-assessments", { cookie: admin.cookie, body: { period: year } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ period: year, final: false, settings: DEFAULT_ASSESSMENT_SETTINGS });
    const list = await json<{ run: { period: string }; assessments: Assessment[] }>(
      await call(`/api/staff/volunteer-assessments?period=${year}`, { cookie: approver.cookie }),
    );
    const mine = list.assessments.find((a) => a.volunteerId === volunteer.volunteerId);
    // A year: H = 100 × 18/96 = 18.75; R = 87.5; T = 75 → (937.5 + 2187.5 + 1875) / 100 − 5 = 45.
    expect(mine).toMatchObject({
      minutes: 18 * 60,
      ratingCount: 2,
      ratingAverage: 4.5,
      teamCount: 1,
      teamAverage: 4,
      noShows: 1,
      score: 45,
      stars: 2,
      final: false,
    });
    // The volunteer sees it with the weights; the team's leader would see the quarter's on the sheet.
    const own = await json<{ assessments: Assessment[]; settings: AssessmentSettings }>(
      await call("/api/volunteers/me/evaluations", { cookie: volunteer.cookie }),
    );
    expect(own.assessments).toEqual([expect.objectContaining({ period: year, score: 45, stars: 2 })]);
    expect(own.settings).toEqual(DEFAULT_ASSESSMENT_SETTINGS);

    // New weights (hours only) and a recomputation replace the results, and both are audited.
    const hoursOnly = { ...DEFAULT_ASSESSMENT_SETTINGS, ratingWeight: 0, teamWeight: 0, noShowPenalty: 0 };
    expect(
      (await call("/api/admin/volunteer-assessment-settings", { cookie: admin.cookie, method: "PUT", body: hoursOnly }))
        .status,
    ).toBe(200);
    expect(
      (await call("/api/admin/volunteer-assessments", { cookie: admin.cookie, body: { period: year } })).status,
    ).toBe(200);
    const again = await json<{ assessments: Assessment[] }>(
      await call(`/api/staff/volunteer-assessments?period=${year}`, { cookie: approver.cookie }),
    );
    expect(again.assessments.filter((a) => a.volunteerId === volunteer.volunteerId)).toEqual([
      expect.objectContaining({ score: 18.8, stars: 1 }),
    ]);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action IN ('assessment.settings', 'assessment.compute') AND actor_account_id = ?",
        admin.id,
      ),
    ).toBe(4);
  });

  it("refuses bad weights, bad periods and periods not begun", async () => {
    const bad = [
      { ...DEFAULT_ASSESSMENT_SETTINGS, hoursWeight: 0, ratingWeight: 0, teamWeight: 0 },
      { ...DEFAULT_ASSESSMENT_SETTINGS, starThresholds: [40, 30, 75, 90] },
      { ...DEFAULT_ASSESSMENT_SETTINGS, quarterTargetHours: 0 },
      { ...DEFAULT_ASSESSMENT_SETTINGS, hoursWeight: -5 },
      { ...DEFAULT_ASSESSMENT_SETTINGS, extra: true },
    ];
    for (const body of bad) {
      const res = await call("/api/admin/volunteer-assessment-settings", { cookie: admin.cookie, method: "PUT", body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    for (const period of ["2026-Q5", "26", "2026-q1", ""]) {
      expect((await call("/api/admin/volunteer-assessments", { cookie: admin.cookie, body: { period } })).status).toBe(
        400,
      );
    }
    const nextYear = String(Number(shanghaiDate(Date.now()).slice(0, 4)) + 1);
    expect(
      (await call("/api/admin/volunteer-assessments", { cookie: admin.cookie, body: { period: nextYear } })).status,
    ).toBe(400);
    expect((await call("/api/staff/volunteer-assessments?period=x", { cookie: approver.cookie })).status).toBe(400);
  });

  it("only street admins set weights and compute; community staff see their own communities only", async () => {
    const volunteer = await createVolunteer(community, { approver });
    await approve(await paperRecord(volunteer, 90));
    const year = shanghaiDate(Date.now()).slice(0, 4);
    for (const who of [staff, approver, volunteer]) {
      expect(
        (
          await call("/api/admin/volunteer-assessment-settings", {
            cookie: who.cookie,
            method: "PUT",
            body: DEFAULT_ASSESSMENT_SETTINGS,
          })
        ).status,
      ).toBe(403);
      expect(
        (await call("/api/admin/volunteer-assessments", { cookie: who.cookie, body: { period: year } })).status,
      ).toBe(403);
    }
    expect(
      (await call("/api/admin/volunteer-assessments", { cookie: admin.cookie, body: { period: year } })).status,
    ).toBe(200);
    const elsewhere = await createCommunity("别的社区");
    const otherStaff = await createCommunityStaff(elsewhere);
    const theirs = await json<{ assessments: Assessment[] }>(
      await call(`/api/staff/volunteer-assessments?period=${year}`, { cookie: otherStaff.cookie }),
    );
    expect(theirs.assessments.some((a) => a.volunteerId === volunteer.volunteerId)).toBe(false);
    expect(
      (
        await call(`/api/staff/volunteer-assessments?period=${year}&communityId=${community}`, {
          cookie: otherStaff.cookie,
        })
      ).status,
    ).toBe(404);
    expect((await call(`/api/staff/volunteer-assessments?period=${year}`, { cookie: staff.cookie })).status).toBe(403);
    expect((await call(`/api/staff/volunteer-assessments?period=${year}`, { cookie: volunteer.cookie })).status).toBe(
      403,
    );
    const ours = await json<{ assessments: Assessment[] }>(
      await call(`/api/staff/volunteer-assessments?period=${year}&communityId=${community}`, {
        cookie: approver.cookie,
      }),
    );
    expect(ours.assessments.map((a) => a.volunteerId)).toEqual([volunteer.volunteerId]);
    // Another volunteer's assessment is not in mine.
    const other = await createVolunteer(community, { approver });
    const own = await json<{ assessments: Assessment[] }>(
      await call("/api/volunteers/me/evaluations", { cookie: other.cookie }),
    );
    expect(own.assessments).toEqual([]);
  });

  it("the scheduled job assesses the quarter before a week into the next — after any early run — once (and the year in January)", async () => {
    const d = createDb(env.DB);
    const volunteer = await createVolunteer(community, { approver });
    // Approved service either side of midnight at the end of 2031-03-31, Beijing time.
    const at = Date.now();
    const record = (id: string, startedAt: number, minutes: number) =>
      env.DB.prepare(
        `INSERT INTO volunteer_service_records (id, volunteer_id, organisation_id, title, started_at, ended_at, minutes,
          source, status, created_at, updated_at) VALUES (?, ?, ?, '夜间陪护', ?, ?, ?, 'staff_entry', 'approved', ?, ?)`,
      ).bind(id, volunteer.volunteerId, organisationId, startedAt, startedAt + minutes * MINUTE, minutes, at, at);
    await env.DB.batch([
      record(`vsr_q1_${crypto.randomUUID()}`, fromShanghai("2031-03-31", "23:30"), 120),
      record(`vsr_q2_${crypto.randomUUID()}`, fromShanghai("2031-04-01", "00:30"), 60),
    ]);
    const minutesIn = async (period: string) =>
      (
        await env.DB.prepare("SELECT minutes FROM volunteer_assessments WHERE period = ? AND volunteer_id = ?")
          .bind(period, volunteer.volunteerId)
          .first<{ minutes: number }>()
      )?.minutes;
    const runOf = (period: string) =>
      env.DB.prepare(
        "SELECT final, computed_at, computed_by_account_id FROM volunteer_assessment_runs WHERE period = ?",
      )
        .bind(period)
        .first<{ final: number; computed_at: number; computed_by_account_id: string | null }>();

    // An admin's run on 2 April is provisional: hours are still being approved that week.
    expect((await computeAssessment(d, "2031-Q1", fromShanghai("2031-04-02", "09:00"), admin.id)).final).toBe(false);
    await assessDuePeriods(d, fromShanghai("2031-04-05", "09:00"));
    expect(await runOf("2031-Q1")).toMatchObject({ final: 0, computed_by_account_id: admin.id });
    const due = fromShanghai("2031-04-08", "09:00");
    await assessDuePeriods(d, due);
    expect(await runOf("2031-Q1")).toEqual({ final: 1, computed_at: due, computed_by_account_id: null });
    expect(await minutesIn("2031-Q1")).toBe(120);
    await assessDuePeriods(d, due + HOUR);
    expect((await runOf("2031-Q1"))?.computed_at).toBe(due);
    await assessDuePeriods(d, fromShanghai("2032-01-09", "09:00"));
    expect(await runOf("2031-Q4")).toMatchObject({ final: 1 });
    expect(await runOf("2031")).toMatchObject({ final: 1 });
    expect(await minutesIn("2031")).toBe(180);
  });
});

describe("shifts that help with a service and serve one person", () => {
  async function shiftFor(fields: Record<string, unknown> = {}) {
    const offeringId = await createOffering(staff, organisationId, {
      kind: "volunteer_shift",
      title: "陪同上门探访",
      ...fields,
    });
    const startsAt = Date.now() + 30 * MINUTE;
    const slotId = await createSlot(staff, offeringId, { startsAt, endsAt: startsAt + 2 * HOUR, capacity: 2 });
    return { offeringId, slotId };
  }

  function nameSlotServed(who: TestAccount, slotId: string, personId: string | null) {
    return call(`/api/slots/${slotId}/served-person`, { cookie: who.cookie, method: "PUT", body: { personId } });
  }

  it("a shift names the home-visit service it helps with and the elder it serves; her son rates the service the check-in recorded", async () => {
    // An elderly centre's home visits; the association's shift helps with them.
    const { organisationId: centre, staff: centreStaff } = await createOrgStaff("elderly_centre", community);
    const visits = await createOffering(centreStaff, centre, { kind: "care", title: "上门探访" });
    const { slotId } = await shiftFor({ supportsOfferingId: visits });
    const { elder, son } = await elderWithSon();
    expect((await nameSlotServed(staff, slotId, elder)).status).toBe(200);
    const volunteer = await createVolunteer(community, { approver, name: "钱热心" });
    const listed = await json<{
      shifts: Array<{ slotId: string; supports: unknown; servedPersonName: string | null }>;
    }>(await call("/api/volunteer-shifts", { cookie: volunteer.cookie }));
    expect(listed.shifts.find((s) => s.slotId === slotId)).toMatchObject({
      supports: { offeringId: visits, title: "上门探访", organisationName: expect.any(String) },
      servedPersonName: "周**",
    });
    const booked = await book(volunteer, { slotId, personId: volunteer.personId });
    expect(booked.status).toBe(201);
    const { id: bookingId } = await json<{ id: string }>(booked);
    const { code } = await json<{ code: string }>(
      await call(`/api/slots/${slotId}/shift-code`, { cookie: staff.cookie }),
    );
    expect(
      (await call(`/api/bookings/${bookingId}/shift-check-in`, { cookie: volunteer.cookie, body: { code } })).status,
    ).toBe(200);
    const out = await call(`/api/bookings/${bookingId}/shift-check-out`, { cookie: volunteer.cookie, body: { code } });
    expect(out.status).toBe(200);
    const { id: recordId } = await json<{ id: string }>(out);
    const services = await json<{ records: Served[] }>(
      await call("/api/me/volunteer-services", { cookie: son.cookie }),
    );
    expect(services.records.map((r) => r.id)).toContain(recordId);
    expect((await rate(son, recordId, { stars: 4, comment: "准时" })).status).toBe(201);
    // A paper sheet for the same time names her too.
    const startedAt = Date.now() - 5 * HOUR;
    const paper = await call("/api/service-records", {
      cookie: staff.cookie,
      body: {
        number: volunteer.number,
        organisationId,
        slotId,
        title: "陪同上门探访",
        startedAt,
        endedAt: startedAt + HOUR,
      },
    });
    expect(paper.status).toBe(201);
    const staffList = await json<{ records: Array<{ id: string; servedPersonName: string | null }> }>(
      await call(`/api/staff/service-records?slotId=${slotId}`, { cookie: staff.cookie }),
    );
    expect(staffList.records.map((r) => r.servedPersonName)).toEqual(["周**", "周**"]);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'slot.served_person' AND subject_id = ?",
        slotId,
      ),
    ).toBe(1);
  });

  it("a corrected person served moves the time's unrated records; the volunteer is never the person they served; only volunteers see whom", async () => {
    const { slotId } = await shiftFor();
    const first = await createManagedPerson(community, "错登记");
    const right = await createManagedPerson(community, "对登记");
    expect((await nameSlotServed(staff, slotId, first)).status).toBe(200);
    const volunteer = await createVolunteer(community, { approver });
    const startedAt = Date.now() - 5 * HOUR;
    const entry = (minutesAgo: number) =>
      call("/api/service-records", {
        cookie: staff.cookie,
        body: {
          number: volunteer.number,
          organisationId,
          slotId,
          title: "陪同上门探访",
          startedAt: startedAt - minutesAgo * MINUTE,
          endedAt: startedAt - minutesAgo * MINUTE + 30 * MINUTE,
        },
      });
    expect((await entry(0)).status).toBe(201);
    expect((await nameSlotServed(staff, slotId, right)).status).toBe(200);
    const served = async () =>
      (
        await env.DB.prepare("SELECT served_person_id AS p FROM volunteer_service_records WHERE slot_id = ?")
          .bind(slotId)
          .all<{ p: string | null }>()
      ).results.map((r) => r.p);
    expect(await served()).toEqual([right]);
    // Named as the person served, the volunteer's own records do not name them.
    expect((await nameSlotServed(admin, slotId, volunteer.personId)).status).toBe(200);
    expect((await entry(60)).status).toBe(201);
    expect((await served()).filter((p) => p === volunteer.personId)).toEqual([]);
    // Signed out, the shift list says nothing of whom a time serves.
    expect((await nameSlotServed(staff, slotId, right)).status).toBe(200);
    const anonymous = await json<{ shifts: Array<{ slotId: string; servedPersonName: string | null }> }>(
      await call("/api/volunteer-shifts"),
    );
    expect(anonymous.shifts.find((s) => s.slotId === slotId)?.servedPersonName).toBeNull();
    const mine = await json<{ shifts: Array<{ slotId: string; servedPersonName: string | null }> }>(
      await call("/api/volunteer-shifts", { cookie: volunteer.cookie }),
    );
    expect(mine.shifts.find((s) => s.slotId === slotId)?.servedPersonName).toBe("对**");
  });

  it("refuses support links off shifts, to shifts or to nothing, and naming on others' or non-shift slots", async () => {
    const { organisationId: centre, staff: centreStaff } = await createOrgStaff("elderly_centre", community);
    const visits = await createOffering(centreStaff, centre, { kind: "care", title: "上门探访" });
    const { offeringId: shiftId, slotId } = await shiftFor();
    const post = (body: Record<string, unknown>) =>
      call("/api/offerings", { cookie: staff.cookie, body: { organisationId, title: "测试", ...body } });
    expect((await post({ kind: "care", supportsOfferingId: visits })).status).toBe(400);
    expect((await post({ kind: "volunteer_shift", supportsOfferingId: shiftId })).status).toBe(400);
    expect((await post({ kind: "volunteer_shift", supportsOfferingId: "off_nothing" })).status).toBe(404);
    const patched = await call(`/api/offerings/${shiftId}`, {
      cookie: staff.cookie,
      method: "PATCH",
      body: { supportsOfferingId: visits },
    });
    expect(patched.status).toBe(200);
    expect((await json<{ supportsOfferingId: string }>(patched)).supportsOfferingId).toBe(visits);

    const { elder } = await elderWithSon();
    expect((await nameSlotServed(centreStaff, slotId, elder)).status).toBe(404);
    const resident = await createAccount();
    expect((await nameSlotServed(resident, slotId, elder)).status).toBe(403);
    const careSlot = await createSlot(centreStaff, visits, { startsAt: Date.now() + DAY, capacity: 1 });
    expect((await nameSlotServed(centreStaff, careSlot, elder)).status).toBe(409);
    const elsewhere = await createManagedPerson(await createCommunity("远处社区"), "吴远处");
    expect((await nameSlotServed(staff, slotId, elsewhere)).status).toBe(404);
    expect((await nameSlotServed(staff, slotId, "")).status).toBe(400);
  });
});
