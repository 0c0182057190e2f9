import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
  birthDateForAge,
  call,
  createAccount,
  createCommunity,
  createCommunityStaff,
  createOrgStaff,
  grantRole,
  inboxOf,
  json,
  randomIdNumber,
  randomPhone,
  type TestAccount,
} from "../factories";

type ErrorBody = { error: { code: string; message: string; requestId: string } };
type Volunteer = {
  id: string;
  status: string;
  number: string | null;
  realName: string;
  idMasked: string;
  age: number;
  emergencyPhoneMasked: string;
  guardianName: string | null;
  guardianConsentMethod: string | null;
  guardianConsentAt: number | null;
  reason: string | null;
  skills: string[];
  availability: string[];
  onLeaderboard: boolean;
  phoneMasked?: string | null;
  minor?: boolean;
};

let community: string;
let staff: TestAccount;

beforeEach(async () => {
  community = await createCommunity();
  staff = await createCommunityStaff(community);
});

/** An ID number for someone `age` years old today (Beijing). */
function idNumberAged(age: number): string {
  return randomIdNumber(birthDateForAge(age).replaceAll("-", ""));
}

function application(overrides: Record<string, unknown> = {}) {
  return {
    realName: "李志愿",
    idNumber: idNumberAged(35),
    communityId: community,
    skills: ["elderly_care", "digital_help"],
    languages: ["mandarin", "tianjin"],
    availability: ["sat-am", "sun-pm"],
    emergencyName: "李母",
    emergencyPhone: "13912345678",
    emergencyRelationship: "parent",
    agreeToCode: true,
    ...overrides,
  };
}

async function apply(who: TestAccount, overrides: Record<string, unknown> = {}) {
  return call("/api/volunteers/me", { cookie: who.cookie, body: application(overrides) });
}

async function applied(who: TestAccount, overrides: Record<string, unknown> = {}): Promise<Volunteer> {
  const res = await apply(who, overrides);
  expect(res.status).toBe(201);
  return (await json<{ volunteer: Volunteer }>(res)).volunteer;
}

function decide(who: TestAccount, id: string, step: string, body: unknown = {}) {
  return call(`/api/staff/volunteers/${id}/${step}`, { cookie: who.cookie, body });
}

async function countRows(query: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(query)
    .bind(...binds)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("applying to volunteer", () => {
  it("an adult applies with real name and ID number; the registration waits for community staff, ID kept as last four", async () => {
    const resident = await createAccount();
    const idNumber = idNumberAged(35);
    const volunteer = await applied(resident, { idNumber });
    expect(volunteer).toMatchObject({
      status: "pending",
      number: null,
      realName: "李志愿",
      idMasked: `**************${idNumber.slice(-4)}`,
      age: 35,
      emergencyPhoneMasked: "139****5678",
      skills: ["elderly_care", "digital_help"],
      availability: ["sat-am", "sun-pm"],
      onLeaderboard: false,
    });
    const mine = await json<{ volunteer: Volunteer }>(await call("/api/volunteers/me", { cookie: resident.cookie }));
    expect(mine.volunteer?.id).toBe(volunteer.id);
    // The ID number itself is stored nowhere.
    expect(
      await countRows("SELECT count(*) AS n FROM volunteers WHERE id_hash = ? OR id_last4 = ?", idNumber, idNumber),
    ).toBe(0);
  });

  it("someone who has not applied reads null; signed out is 401", async () => {
    const resident = await createAccount();
    expect(await json(await call("/api/volunteers/me", { cookie: resident.cookie }))).toEqual({ volunteer: null });
    expect((await call("/api/volunteers/me")).status).toBe(401);
    expect((await call("/api/volunteers/me", { body: application() })).status).toBe(401);
  });

  it("refuses under-14s (403, nothing stored); a 14-year-old may apply with a guardian", async () => {
    const child = await createAccount();
    const res = await apply(child, {
      idNumber: idNumberAged(13),
      guardian: { name: "王父", phone: randomPhone(), relationship: "parent" },
    });
    expect(res.status).toBe(403);
    expect(await json<ErrorBody>(res)).toMatchObject({ error: { code: "NOT_ELIGIBLE" } });
    expect(await countRows("SELECT count(*) AS n FROM volunteers WHERE account_id = ?", child.id)).toBe(0);

    const teen = await createAccount();
    const volunteer = await applied(teen, {
      idNumber: idNumberAged(14),
      guardian: { name: "王父", phone: "13700001111", relationship: "parent" },
    });
    expect(volunteer).toMatchObject({ status: "pending", age: 14, guardianName: "王父", guardianConsentMethod: null });
  });

  it("a minor without a guardian is refused (400); an adult's guardian is not kept", async () => {
    const teen = await createAccount();
    const res = await apply(teen, { idNumber: idNumberAged(16) });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).error.message).toMatch(/guardian/);

    const adult = await createAccount();
    const volunteer = await applied(adult, {
      guardian: { name: "某人", phone: randomPhone(), relationship: "parent" },
    });
    expect(volunteer.guardianName).toBeNull();
  });

  it.each([
    ["without agreeing to the volunteer code", { agreeToCode: false }],
    ["with an ID number whose check character is wrong", { idNumber: "110105194912310021" }],
    ["with an unknown skill", { skills: ["juggling"] }],
    ["with a skill twice", { skills: ["medical", "medical"] }],
    ["with an unknown availability cell", { availability: ["mon-night"] }],
    ["with a landline as emergency phone", { emergencyPhone: "022-12345678" }],
    ["with a one-character name", { realName: "李" }],
    ["with an unknown field", { salary: 1 }],
  ])("refuses an application %s (400 with a JSON error, nothing stored)", async (_, overrides) => {
    const resident = await createAccount();
    const res = await apply(resident, overrides);
    expect(res.status).toBe(400);
    const body = await json<ErrorBody>(res);
    expect(body.error).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(body.error.requestId).toBeTruthy();
    expect(await countRows("SELECT count(*) AS n FROM volunteers WHERE account_id = ?", resident.id)).toBe(0);
  });

  it("an unknown community is 404", async () => {
    const resident = await createAccount();
    expect((await apply(resident, { communityId: "com_nowhere" })).status).toBe(404);
  });

  it("a second application while one is live is 409; an ID number live on another account is 409 and audited", async () => {
    const first = await createAccount();
    const idNumber = idNumberAged(40);
    await applied(first, { idNumber });
    const again = await apply(first);
    expect(again.status).toBe(409);
    expect((await json<ErrorBody>(again)).error.message).toMatch(/already applied/);

    const other = await createAccount();
    const taken = await apply(other, { idNumber });
    expect(taken.status).toBe(409);
    expect((await json<ErrorBody>(taken)).error.message).toMatch(/ID number/);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'volunteer.apply_refused' AND actor_account_id = ?",
        other.id,
      ),
    ).toBe(1);
  });

  it("after a refusal the same account applies again: the same registration, pending once more", async () => {
    const resident = await createAccount();
    const volunteer = await applied(resident);
    expect((await decide(staff, volunteer.id, "reject", { reason: "请补充紧急联系人" })).status).toBe(200);
    const again = await applied(resident, { emergencyName: "李父" });
    expect(again).toMatchObject({ id: volunteer.id, status: "pending", reason: null });
  });

  it("an applicant withdraws a pending application and may apply again; an approved one cannot be withdrawn", async () => {
    const resident = await createAccount();
    const volunteer = await applied(resident);
    const withdrawn = await call("/api/volunteers/me/withdraw", { cookie: resident.cookie, method: "POST" });
    expect(withdrawn.status).toBe(200);
    expect((await json<{ volunteer: Volunteer }>(withdrawn)).volunteer.status).toBe("withdrawn");
    // The ID number is free again (for the same person applying anew).
    await applied(resident);
    expect((await decide(staff, volunteer.id, "approve")).status).toBe(200);
    const late = await call("/api/volunteers/me/withdraw", { cookie: resident.cookie, method: "POST" });
    expect(late.status).toBe(409);
    const nobody = await createAccount();
    expect((await call("/api/volunteers/me/withdraw", { cookie: nobody.cookie, method: "POST" })).status).toBe(404);
  });

  it("a volunteer changes their skills, availability and leaderboard choice; bad values are 400", async () => {
    const resident = await createAccount();
    await applied(resident);
    const res = await call("/api/volunteers/me", {
      cookie: resident.cookie,
      method: "PATCH",
      body: { skills: ["first_aid"], availability: ["mon-eve"], onLeaderboard: true },
    });
    expect(res.status).toBe(200);
    expect((await json<{ volunteer: Volunteer }>(res)).volunteer).toMatchObject({
      skills: ["first_aid"],
      availability: ["mon-eve"],
      onLeaderboard: true,
    });
    const bad = await call("/api/volunteers/me", { cookie: resident.cookie, method: "PATCH", body: { skills: ["x"] } });
    expect(bad.status).toBe(400);
    const empty = await call("/api/volunteers/me", { cookie: resident.cookie, method: "PATCH", body: {} });
    expect(empty.status).toBe(400);
    const nobody = await createAccount();
    const none = await call("/api/volunteers/me", {
      cookie: nobody.cookie,
      method: "PATCH",
      body: { onLeaderboard: true },
    });
    expect(none.status).toBe(404);
  });

  it("the options list every skill, the weekly grid and the age rules, without signing in", async () => {
    const res = await call("/api/volunteers/options");
    expect(res.status).toBe(200);
    const options = await json<{ skills: string[]; availability: string[]; minAge: number; adultAge: number }>(res);
    expect(options.skills).toContain("elderly_care");
    expect(options.availability).toHaveLength(21);
    expect(options).toMatchObject({ minAge: 14, adultAge: 18 });
  });
});

describe("community staff decide", () => {
  it("approval gives a volunteer number, tells the volunteer and is audited", async () => {
    const resident = await createAccount();
    const volunteer = await applied(resident);
    const res = await decide(staff, volunteer.id, "approve");
    expect(res.status).toBe(200);
    const approved = await json<Volunteer>(res);
    const year = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4);
    expect(approved.status).toBe("approved");
    expect(approved.number).toMatch(new RegExp(`^JZ${year}-\\d{5}$`));
    const notices = await inboxOf(resident);
    expect(notices[0]).toMatchObject({
      kind: "volunteer_approved",
      params: { number: approved.number },
      link: "/volunteer",
    });
    expect(notices[0]?.body).toContain(approved.number);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'volunteer.approve' AND subject_id = ? AND actor_account_id = ? AND json_extract(detail, '$.number') = ?",
        volunteer.id,
        staff.id,
        approved.number,
      ),
    ).toBe(1);
    // Deciding twice is refused, and writes nothing more.
    expect((await decide(staff, volunteer.id, "approve")).status).toBe(409);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'volunteer.approve' AND subject_id = ?",
        volunteer.id,
      ),
    ).toBe(1);
  });

  it("a minor is approved only with the guardian's consent recorded (how, by whom, when)", async () => {
    const teen = await createAccount();
    const volunteer = await applied(teen, {
      idNumber: idNumberAged(16),
      guardian: { name: "王母", phone: "13700002222", relationship: "parent" },
    });
    const without = await decide(staff, volunteer.id, "approve");
    expect(without.status).toBe(400);
    expect((await json<ErrorBody>(without)).error.message).toMatch(/guardian/);
    const res = await decide(staff, volunteer.id, "approve", {
      guardianConsent: { method: "signed_paper", note: "家长签字同意书" },
    });
    expect(res.status).toBe(200);
    const approved = await json<Volunteer>(res);
    expect(approved).toMatchObject({ status: "approved", minor: true, guardianConsentMethod: "signed_paper" });
    expect(approved.guardianConsentAt).toBeGreaterThan(0);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM volunteers WHERE id = ? AND guardian_consent_by_account_id = ?",
        volunteer.id,
        staff.id,
      ),
    ).toBe(1);
    const bad = await decide(staff, volunteer.id, "approve", { guardianConsent: { method: "telepathy" } });
    expect(bad.status).toBe(400);
  });

  it("a refusal needs a reason, which the applicant is told", async () => {
    const resident = await createAccount();
    const volunteer = await applied(resident);
    expect((await decide(staff, volunteer.id, "reject", {})).status).toBe(400);
    const res = await decide(staff, volunteer.id, "reject", { reason: "身份信息有误" });
    expect(res.status).toBe(200);
    expect(await json<Volunteer>(res)).toMatchObject({ status: "rejected", reason: "身份信息有误", number: null });
    const [notice] = await inboxOf(resident);
    expect(notice).toMatchObject({ kind: "volunteer_rejected", params: { reason: "身份信息有误" } });
  });

  it("suspending and reinstating keep the number, are audited, and work only from the right state", async () => {
    const resident = await createAccount();
    const volunteer = await applied(resident);
    expect((await decide(staff, volunteer.id, "suspend", { reason: "多次缺席" })).status).toBe(409);
    const approved = await json<Volunteer>(await decide(staff, volunteer.id, "approve"));
    expect((await decide(staff, volunteer.id, "reinstate")).status).toBe(409);
    const suspended = await decide(staff, volunteer.id, "suspend", { reason: "多次缺席" });
    expect(await json<Volunteer>(suspended)).toMatchObject({
      status: "suspended",
      reason: "多次缺席",
      number: approved.number,
    });
    const reinstated = await decide(staff, volunteer.id, "reinstate", {});
    expect(await json<Volunteer>(reinstated)).toMatchObject({
      status: "approved",
      reason: null,
      number: approved.number,
    });
    const actions = await env.DB.prepare("SELECT action FROM audit_log WHERE subject_id = ? ORDER BY at, rowid")
      .bind(volunteer.id)
      .all<{ action: string }>();
    expect(actions.results.map((r) => r.action)).toEqual([
      "volunteer.approve",
      "volunteer.suspend",
      "volunteer.reinstate",
    ]);
    const kinds = (await inboxOf(resident)).map((n) => n.kind);
    expect(kinds).toEqual(expect.arrayContaining(["volunteer_suspended", "volunteer_reinstated"]));
  });

  it("approvals at once give every volunteer a different number", async () => {
    const residents = await Promise.all(Array.from({ length: 8 }, () => createAccount()));
    const registrations = await Promise.all(residents.map((r) => applied(r)));
    const results = await Promise.all(registrations.map((v) => decide(staff, v.id, "approve")));
    expect(results.map((r) => r.status)).toEqual(registrations.map(() => 200));
    const numbers = await Promise.all(results.map(async (r) => (await json<Volunteer>(r)).number));
    expect(new Set(numbers).size).toBe(8);
  });

  it("an approval and a refusal at once: one wins, the other is 409, one audit row", async () => {
    const resident = await createAccount();
    const volunteer = await applied(resident);
    const other = await createCommunityStaff(community);
    const [a, b] = await Promise.all([
      decide(staff, volunteer.id, "approve"),
      decide(other, volunteer.id, "reject", { reason: "重复申请" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE subject_id = ? AND action IN ('volunteer.approve', 'volunteer.reject')",
        volunteer.id,
      ),
    ).toBe(1);
    expect(await countRows("SELECT count(*) AS n FROM notifications WHERE account_id = ?", resident.id)).toBe(1);
  });
});

describe("who may see and decide", () => {
  it("staff list their community's registrations with phones masked; a street admin sees every community", async () => {
    const resident = await createAccount();
    const volunteer = await applied(resident, { realName: "赵列表" });
    const res = await call("/api/staff/volunteers?status=pending", { cookie: staff.cookie });
    expect(res.status).toBe(200);
    const list = await json<{ volunteers: Volunteer[]; total: number }>(res);
    const row = list.volunteers.find((v) => v.id === volunteer.id);
    expect(row).toMatchObject({
      realName: "赵列表",
      phoneMasked: `${resident.phone.slice(0, 3)}****${resident.phone.slice(7)}`,
    });
    expect(JSON.stringify(list)).not.toContain(resident.phone);
    expect(JSON.stringify(list)).not.toContain("13912345678");
    const byName = await json<{ volunteers: Volunteer[] }>(
      await call("/api/staff/volunteers?q=赵列", { cookie: staff.cookie }),
    );
    expect(byName.volunteers.map((v) => v.id)).toEqual([volunteer.id]);

    const admin = await createAccount();
    await grantRole(admin.id, "street_admin");
    const all = await json<{ volunteers: Volunteer[] }>(
      await call(`/api/staff/volunteers?communityId=${community}`, { cookie: admin.cookie }),
    );
    expect(all.volunteers.map((v) => v.id)).toContain(volunteer.id);
  });

  it("staff of another community get 404 on the registration and its decisions, and never list it", async () => {
    const resident = await createAccount();
    const volunteer = await applied(resident);
    const elsewhere = await createCommunityStaff(await createCommunity());
    expect((await call(`/api/staff/volunteers/${volunteer.id}`, { cookie: elsewhere.cookie })).status).toBe(404);
    for (const step of ["approve", "reject", "suspend", "reinstate"]) {
      const body = step === "approve" ? {} : { reason: "越权操作" };
      expect((await decide(elsewhere, volunteer.id, step, body)).status).toBe(404);
    }
    const list = await json<{ volunteers: Volunteer[] }>(
      await call(`/api/staff/volunteers?communityId=${community}`, { cookie: elsewhere.cookie }),
    );
    expect(list.volunteers).toEqual([]);
    expect(
      await countRows("SELECT count(*) AS n FROM volunteers WHERE id = ? AND status = 'pending'", volunteer.id),
    ).toBe(1);
  });

  it("a grid worker, organisation staff and residents cannot list or decide (403); one staff read is audited", async () => {
    const resident = await createAccount();
    const volunteer = await applied(resident);
    const grid = await createCommunityStaff(community, "grid_worker");
    const { staff: orgStaff } = await createOrgStaff("social_organisation", community);
    for (const who of [grid, orgStaff]) {
      expect((await call("/api/staff/volunteers", { cookie: who.cookie })).status).toBe(403);
      expect((await decide(who, volunteer.id, "approve")).status).toBe(404);
    }
    const other = await createAccount();
    expect((await call("/api/staff/volunteers", { cookie: other.cookie })).status).toBe(403);
    expect((await decide(resident, volunteer.id, "approve")).status).toBe(403);

    expect((await call(`/api/staff/volunteers/${volunteer.id}`, { cookie: staff.cookie })).status).toBe(200);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'volunteer.view' AND subject_id = ? AND actor_account_id = ?",
        volunteer.id,
        staff.id,
      ),
    ).toBe(1);
  });

  it("an ID number that is not the applicant's own is refused (409) and audited: a number staff registered for another person", async () => {
    const idNumber = idNumberAged(45);
    const grid = await createCommunityStaff(community, "grid_worker");
    const created = await call("/api/persons", {
      cookie: grid.cookie,
      body: { name: "邻居", birthDate: birthDateForAge(45).toString(), communityId: community, idNumber },
    });
    expect(created.status).toBe(201);
    const resident = await createAccount();
    const res = await apply(resident, { idNumber });
    expect(res.status).toBe(409);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'volunteer.apply_refused' AND actor_account_id = ? AND json_extract(detail, '$.reason') = 'id_number_of_another_person'",
        resident.id,
      ),
    ).toBe(1);
  });
});
