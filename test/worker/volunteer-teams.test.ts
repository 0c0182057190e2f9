import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
  call,
  createAccount,
  createCommunity,
  createCommunityStaff,
  createOrgStaff,
  createVolunteer,
  inboxOf,
  joinTeam,
  json,
  type TestAccount,
} from "../factories";

type Team = {
  id: string;
  name: string;
  memberCount: number;
  myMembership: { id: string; role: string; status: string } | null;
  canManage: boolean;
};
type Member = { id: string; realName: string; number: string; phoneMasked: string; role: string; status: string };

let community: string;
let approver: TestAccount;
let organisationId: string;
let orgStaff: TestAccount;

beforeEach(async () => {
  community = await createCommunity();
  approver = await createCommunityStaff(community);
  ({ organisationId, staff: orgStaff } = await createOrgStaff("social_organisation", community));
});

async function createTeam(name = "助老服务队") {
  const res = await call("/api/volunteer-teams", {
    cookie: orgStaff.cookie,
    body: { organisationId, name, description: "每周探访独居老人" },
  });
  expect(res.status).toBe(201);
  return json<Team>(res);
}

function decide(who: TestAccount, teamId: string, memberId: string, decision: string, reason?: string) {
  return call(`/api/volunteer-teams/${teamId}/members/${memberId}/decision`, {
    cookie: who.cookie,
    body: reason ? { decision, reason } : { decision },
  });
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

describe("volunteer teams", () => {
  it("organisation staff start a team and appoint a leader; the leader approves a volunteer's request to join", async () => {
    const team = await createTeam();
    const leader = await createVolunteer(community, { name: "队长老李", approver });
    const leaderMembership = await joinTeam(team.id, leader, orgStaff, "leader");
    const staffView = await json<{ members: Member[] }>(
      await call(`/api/volunteer-teams/${team.id}/members`, { cookie: orgStaff.cookie }),
    );
    expect(staffView.members.find((m) => m.id === leaderMembership)).toMatchObject({
      role: "leader",
      status: "active",
      realName: "队长老李",
    });

    const volunteer = await createVolunteer(community, { name: "小张", approver });
    const joined = await call(`/api/volunteer-teams/${team.id}/join`, { cookie: volunteer.cookie, method: "POST" });
    expect(joined.status).toBe(201);
    expect((await json<Team>(joined)).myMembership).toMatchObject({ status: "pending", role: "member" });
    expect(
      (await call(`/api/volunteer-teams/${team.id}/join`, { cookie: volunteer.cookie, method: "POST" })).status,
    ).toBe(409);

    const list = await call(`/api/volunteer-teams/${team.id}/members`, { cookie: leader.cookie });
    expect(list.status).toBe(200);
    const { members } = await json<{ members: Member[] }>(list);
    const request = members.find((m) => m.realName === "小张");
    expect(request).toMatchObject({
      status: "pending",
      phoneMasked: `${volunteer.phone.slice(0, 3)}****${volunteer.phone.slice(7)}`,
    });
    expect(JSON.stringify(members)).not.toContain(volunteer.phone);

    const approved = await decide(leader, team.id, request?.id ?? "", "approve");
    expect(approved.status).toBe(200);
    expect(await json<Member>(approved)).toMatchObject({ status: "active" });
    expect((await inboxOf(volunteer))[0]).toMatchObject({ kind: "team_joined" });
    expect(
      await countRows(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'team.member_approve' AND actor_account_id = ?",
        leader.id,
      ),
    ).toBe(1);

    const mine = await json<{ teams: Team[] }>(
      await call("/api/volunteer-teams?mine=true", { cookie: volunteer.cookie }),
    );
    expect(mine.teams.map((t) => [t.id, t.memberCount, t.canManage])).toEqual([[team.id, 2, false]]);
    const leaderView = await json<Team>(await call(`/api/volunteer-teams/${team.id}`, { cookie: leader.cookie }));
    expect(leaderView.canManage).toBe(true);

    // She leaves; she may ask again later.
    expect(
      (await call(`/api/volunteer-teams/${team.id}/leave`, { cookie: volunteer.cookie, method: "POST" })).status,
    ).toBe(200);
    expect(
      (await call(`/api/volunteer-teams/${team.id}/join`, { cookie: volunteer.cookie, method: "POST" })).status,
    ).toBe(201);
  });

  it("a leader declines or removes with a reason the volunteer is told; deciding twice is 409", async () => {
    const team = await createTeam();
    const leader = await createVolunteer(community, { approver });
    await joinTeam(team.id, leader, orgStaff, "leader");
    const volunteer = await createVolunteer(community, { approver });
    const membership = (
      await json<Team>(await call(`/api/volunteer-teams/${team.id}/join`, { cookie: volunteer.cookie, method: "POST" }))
    ).myMembership;
    const declined = await decide(leader, team.id, membership?.id ?? "", "decline", "本队已满员");
    expect(declined.status).toBe(200);
    expect((await decide(leader, team.id, membership?.id ?? "", "approve")).status).toBe(409);
    const [notice] = await inboxOf(volunteer);
    expect(notice).toMatchObject({ kind: "team_declined" });
    expect(notice?.body).toContain("本队已满员");
  });

  it("only registered volunteers join; a pending applicant or a plain resident is refused (403)", async () => {
    const team = await createTeam();
    const resident = await createAccount();
    expect(
      (await call(`/api/volunteer-teams/${team.id}/join`, { cookie: resident.cookie, method: "POST" })).status,
    ).toBe(403);
    expect((await call(`/api/volunteer-teams/${team.id}/join`, { method: "POST" })).status).toBe(401);
  });

  it("members, decisions and roles are closed to other organisations, plain members and residents (404)", async () => {
    const team = await createTeam();
    const member = await createVolunteer(community, { approver });
    const added = { id: await joinTeam(team.id, member, orgStaff) };
    const { staff: otherOrg } = await createOrgStaff("social_organisation", community);
    const resident = await createAccount();
    for (const who of [otherOrg, member, resident]) {
      expect((await call(`/api/volunteer-teams/${team.id}/members`, { cookie: who.cookie })).status).toBe(404);
      expect((await decide(who, team.id, added.id, "remove", "越权")).status).toBe(404);
      const role = await call(`/api/volunteer-teams/${team.id}/members/${added.id}/role`, {
        cookie: who.cookie,
        body: { role: "leader" },
      });
      expect(role.status).toBe(404);
    }
    const patch = await call(`/api/volunteer-teams/${team.id}`, {
      cookie: otherOrg.cookie,
      method: "PATCH",
      body: { name: "改名" },
    });
    expect(patch.status).toBe(404);
    expect(
      await countRows(
        "SELECT count(*) AS n FROM volunteer_team_members WHERE id = ? AND status = 'active' AND role = 'member'",
        added.id,
      ),
    ).toBe(1);
  });

  it("refuses bad input: a second team of the same name (409), an unknown decision or role (400), another organisation's team (403)", async () => {
    await createTeam("应急救护队");
    const again = await call("/api/volunteer-teams", {
      cookie: orgStaff.cookie,
      body: { organisationId, name: "应急救护队" },
    });
    expect(again.status).toBe(409);
    const team = await createTeam("文艺队");
    const member = await createVolunteer(community, { approver });
    const membership = await joinTeam(team.id, member, orgStaff);
    const bad = await call(`/api/volunteer-teams/${team.id}/members/${membership}/decision`, {
      cookie: orgStaff.cookie,
      body: { decision: "promote" },
    });
    expect(bad.status).toBe(400);
    const badRole = await call(`/api/volunteer-teams/${team.id}/members/${membership}/role`, {
      cookie: orgStaff.cookie,
      body: { role: "captain" },
    });
    expect(badRole.status).toBe(400);
    const { organisationId: elsewhere } = await createOrgStaff("social_organisation");
    const foreign = await call("/api/volunteer-teams", {
      cookie: orgStaff.cookie,
      body: { organisationId: elsewhere, name: "外队" },
    });
    expect(foreign.status).toBe(403);
    const short = await call("/api/volunteer-teams", { cookie: orgStaff.cookie, body: { organisationId, name: "队" } });
    expect(short.status).toBe(400);
  });

  it("teams are listed without signing in, with no member's details", async () => {
    const team = await createTeam("环保队");
    const res = await call(`/api/volunteer-teams?organisationId=${organisationId}`);
    expect(res.status).toBe(200);
    const { teams } = await json<{ teams: Team[] }>(res);
    expect(teams.map((t) => t.name)).toContain("环保队");
    expect(teams.find((t) => t.id === team.id)).toMatchObject({ myMembership: null, canManage: false, memberCount: 0 });
  });

  it("a leader removes members but not another leader; the team's staff may", async () => {
    const team = await createTeam();
    const [first, second] = [
      await createVolunteer(community, { approver }),
      await createVolunteer(community, { approver }),
    ];
    await joinTeam(team.id, first, orgStaff, "leader");
    const secondId = await joinTeam(team.id, second, orgStaff, "leader");
    const refused = await decide(first, team.id, secondId, "remove", "意见不合");
    expect(refused.status).toBe(409);
    expect((await decide(orgStaff, team.id, secondId, "remove", "调整")).status).toBe(200);
  });

  it("two renames to the same name at once: one wins, the other is 409 (never a 500)", async () => {
    const [a, b] = [await createTeam("甲队"), await createTeam("乙队")];
    const [ra, rb] = await Promise.all([
      call(`/api/volunteer-teams/${a.id}`, { cookie: orgStaff.cookie, method: "PATCH", body: { name: "丙队" } }),
      call(`/api/volunteer-teams/${b.id}`, { cookie: orgStaff.cookie, method: "PATCH", body: { name: "丙队" } }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
  });

  it("staff cannot put a volunteer in a team unasked (no adding by number)", async () => {
    const team = await createTeam();
    const volunteer = await createVolunteer(community, { approver });
    const res = await call(`/api/volunteer-teams/${team.id}/members`, {
      cookie: orgStaff.cookie,
      body: { number: volunteer.number },
    });
    expect([404, 405]).toContain(res.status);
    expect(
      await countRows("SELECT count(*) AS n FROM volunteer_team_members WHERE volunteer_id = ?", volunteer.volunteerId),
    ).toBe(0);
  });
});
