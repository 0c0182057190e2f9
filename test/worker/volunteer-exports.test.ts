import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
  call,
  createAccount,
  createCommunity,
  createCommunityStaff,
  createOrgStaff,
  createVolunteer,
  grantRole,
  json,
  type TestAccount,
} from "../factories";

const HOUR = 3_600_000;

let community: string;
let approver: TestAccount;
let organisationId: string;
let staff: TestAccount;

beforeEach(async () => {
  community = await createCommunity();
  approver = await createCommunityStaff(community);
  ({ organisationId, staff } = await createOrgStaff("social_organisation", community));
});

/** An approved paper record of `minutes` for the volunteer, `hoursAgo` hours ago. */
async function approvedRecord(volunteer: { number: string }, minutes: number, hoursAgo = 30, title = "助老探访") {
  const startedAt = Date.now() - hoursAgo * HOUR;
  const res = await call("/api/service-records", {
    cookie: staff.cookie,
    body: { number: volunteer.number, organisationId, title, startedAt, endedAt: startedAt + minutes * 60_000 },
  });
  expect(res.status).toBe(201);
  const { id } = await json<{ id: string }>(res);
  expect((await call(`/api/service-records/${id}/approve`, { cookie: staff.cookie, method: "POST" })).status).toBe(200);
  return id;
}

function csvUrl(from: string, to: string) {
  return `/api/staff/service-records.csv?from=${from}&to=${to}`;
}

const today = () => new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() + 8 * HOUR - n * 24 * HOUR).toISOString().slice(0, 10);

describe("exporting service records (CSV)", () => {
  it("gives the organisation's records in the range, formulas defused, and audits the export", async () => {
    const volunteer = await createVolunteer(community, { approver, name: "刘导出" });
    await approvedRecord(volunteer, 90, 30, '=HYPERLINK("x")');
    const res = await call(csvUrl(daysAgo(3), today()), { cookie: staff.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const text = await res.text();
    const lines = text
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe(
      "record_id,volunteer_number,volunteer_name,organisation,service,kind,started_at,ended_at,minutes,status,source,flagged,note,rating",
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(volunteer.number);
    expect(lines[1]).toContain("刘导出");
    expect(lines[1]).toContain(",90,approved,staff_entry,");
    expect(lines[1]).toContain("'=HYPERLINK");
    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'service_records.export' AND actor_account_id = ?",
    )
      .bind(staff.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });

  it("never gives another organisation's records; a foreign organisation is 404, residents 403, bad ranges 400", async () => {
    const volunteer = await createVolunteer(community, { approver });
    await approvedRecord(volunteer, 60);
    const { organisationId: otherOrg, staff: other } = await createOrgStaff("social_organisation", community);
    const theirs = await (await call(csvUrl(daysAgo(3), today()), { cookie: other.cookie })).text();
    expect(theirs).not.toContain(volunteer.number);
    expect(
      (await call(`${csvUrl(daysAgo(3), today())}&organisationId=${organisationId}`, { cookie: other.cookie })).status,
    ).toBe(404);
    expect(
      (await call(`${csvUrl(daysAgo(3), today())}&organisationId=${otherOrg}`, { cookie: other.cookie })).status,
    ).toBe(200);
    const resident = await createAccount();
    expect((await call(csvUrl(daysAgo(3), today()), { cookie: resident.cookie })).status).toBe(403);
    expect((await call(csvUrl(today(), daysAgo(3)), { cookie: staff.cookie })).status).toBe(400);
    expect((await call(csvUrl("2024-01-01", "2026-01-01"), { cookie: staff.cookie })).status).toBe(400);
    expect((await call("/api/staff/service-records.csv?from=yesterday", { cookie: staff.cookie })).status).toBe(400);
    const admin = await createAccount();
    await grantRole(admin.id, "street_admin");
    expect(await (await call(csvUrl(daysAgo(3), today()), { cookie: admin.cookie })).text()).toContain(
      volunteer.number,
    );
  });
});

describe("the community leaderboard", () => {
  it("lists only volunteers who opted in, by approved hours, as family name and number", async () => {
    const shown = await createVolunteer(community, { approver, name: "张三丰" });
    const second = await createVolunteer(community, { approver, name: "李四" });
    const hidden = await createVolunteer(community, { approver, name: "王五" });
    for (const v of [shown, second]) {
      expect(
        (await call("/api/volunteers/me", { cookie: v.cookie, method: "PATCH", body: { onLeaderboard: true } })).status,
      ).toBe(200);
    }
    await approvedRecord(shown, 120, 30);
    await approvedRecord(shown, 60, 50);
    await approvedRecord(second, 150, 30);
    await approvedRecord(hidden, 600, 30);
    const res = await call(`/api/communities/${community}/volunteer-leaderboard`);
    expect(res.status).toBe(200);
    const board = await json<{ entries: Array<{ rank: number; name: string; number: string; minutes: number }> }>(res);
    expect(board.entries).toEqual([
      { rank: 1, name: "张**", number: shown.number, minutes: 180 },
      { rank: 2, name: "李*", number: second.number, minutes: 150 },
    ]);
    expect(JSON.stringify(board)).not.toContain("王");
    expect((await call("/api/communities/com_nowhere/volunteer-leaderboard")).status).toBe(404);
    expect((await call(`/api/communities/${community}/volunteer-leaderboard?year=1999`)).status).toBe(400);
  });
});

describe("the hour statement", () => {
  it("lists a period's approved records (not pending ones) and their total, for the volunteer alone", async () => {
    const volunteer = await createVolunteer(community, { approver, name: "陈明细" });
    await approvedRecord(volunteer, 90, 30, "社区义诊");
    await approvedRecord(volunteer, 45, 24 * 10, "垃圾分类宣传");
    const startedAt = Date.now() - 5 * HOUR;
    const pending = await call("/api/service-records", {
      cookie: staff.cookie,
      body: { number: volunteer.number, organisationId, title: "待审核", startedAt, endedAt: startedAt + HOUR },
    });
    expect(pending.status).toBe(201);
    const res = await call(`/api/volunteers/me/statement?from=${daysAgo(3)}&to=${today()}`, {
      cookie: volunteer.cookie,
    });
    expect(res.status).toBe(200);
    const statement = await json<{ realName: string; approvedMinutes: number; records: Array<{ title: string }> }>(res);
    expect(statement).toMatchObject({ realName: "陈明细", approvedMinutes: 90 });
    expect(statement.records.map((r) => r.title)).toEqual(["社区义诊"]);
    const wider = await json<{ approvedMinutes: number }>(
      await call(`/api/volunteers/me/statement?from=${daysAgo(30)}&to=${today()}`, { cookie: volunteer.cookie }),
    );
    expect(wider.approvedMinutes).toBe(135);
    const other = await createAccount();
    expect(
      (await call(`/api/volunteers/me/statement?from=${daysAgo(3)}&to=${today()}`, { cookie: other.cookie })).status,
    ).toBe(404);
    expect(
      (await call(`/api/volunteers/me/statement?from=${today()}&to=${daysAgo(3)}`, { cookie: volunteer.cookie }))
        .status,
    ).toBe(400);
    expect(
      (await call("/api/volunteers/me/statement?from=2024-01-01&to=2026-01-01", { cookie: volunteer.cookie })).status,
    ).toBe(400);
    expect((await call(`/api/volunteers/me/statement?from=${daysAgo(3)}&to=${today()}`)).status).toBe(401);
  });
});
