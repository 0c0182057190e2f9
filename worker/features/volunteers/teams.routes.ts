import { createRoute } from "@hono/zod-openapi";
import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import {
  accounts,
  notifications,
  organisations,
  volunteers,
  volunteerTeamMembers,
  volunteerTeams,
} from "../../../db/schema";
import type { AppEnv, SessionAccount } from "../../env";
import { auditInsert } from "../../lib/audit";
import { isStreetAdmin, organisationScopes, requireAccount, requireStaff, staffOfOrganisation } from "../../lib/authz";
import { ApiError } from "../../lib/errors";
import { newId, newSortableId } from "../../lib/ids";
import { insertWhere } from "../../lib/insert-where";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { maskPhone } from "../../lib/phone";
import { now } from "../../lib/time";
import { currentAccount } from "../../middleware/session";
import { IdParam } from "../persons/persons.schema";
import {
  MemberDecision,
  MemberRole,
  Team,
  TeamCreate,
  TeamList,
  TeamListQuery,
  TeamMember,
  TeamMemberList,
  TeamMemberParams,
  TeamPatch,
  TeamWithMe,
} from "./teams.schema";
import { registrationOfAccount } from "./volunteers.queries";

const TAGS = ["volunteer teams"];

const listRoute = createRoute({
  method: "get",
  path: "/volunteer-teams",
  tags: TAGS,
  summary: "Active volunteer teams (with my membership when signed in)",
  request: { query: TeamListQuery },
  responses: { 200: jsonResponse(TeamList, "Teams"), ...errors(400) },
});

const oneRoute = createRoute({
  method: "get",
  path: "/volunteer-teams/{id}",
  tags: TAGS,
  summary: "One team",
  request: { params: IdParam, query: NoQuery },
  responses: { 200: jsonResponse(TeamWithMe, "Team"), ...errors(404) },
});

const createTeamRoute = createRoute({
  method: "post",
  path: "/volunteer-teams",
  tags: TAGS,
  summary: "Start a team run by my organisation",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(TeamCreate) },
  responses: { 201: jsonResponse(Team, "Created"), ...errors(400, 401, 403, 404, 409) },
});

const patchTeamRoute = createRoute({
  method: "patch",
  path: "/volunteer-teams/{id}",
  tags: TAGS,
  summary: "Rename, describe or archive a team (its organisation's staff)",
  security: cookieAuth,
  request: { params: IdParam, query: NoQuery, ...jsonBody(TeamPatch) },
  responses: { 200: jsonResponse(Team, "Updated"), ...errors(400, 401, 403, 404, 409) },
});

const joinRoute = createRoute({
  method: "post",
  path: "/volunteer-teams/{id}/join",
  tags: TAGS,
  summary: "Ask to join a team (registered volunteers); a leader or the team's staff decide",
  security: cookieAuth,
  request: { params: IdParam, query: NoQuery },
  responses: { 201: jsonResponse(TeamWithMe, "Asked"), ...errors(401, 403, 404, 409) },
});

const leaveRoute = createRoute({
  method: "post",
  path: "/volunteer-teams/{id}/leave",
  tags: TAGS,
  summary: "Leave a team, or withdraw my request to join",
  security: cookieAuth,
  request: { params: IdParam, query: NoQuery },
  responses: { 200: jsonResponse(TeamWithMe, "Left"), ...errors(401, 404) },
});

const membersRoute = createRoute({
  method: "get",
  path: "/volunteer-teams/{id}/members",
  tags: TAGS,
  summary: "Members and requests to join (leaders and the team's staff; phones masked)",
  security: cookieAuth,
  request: { params: IdParam, query: NoQuery },
  responses: { 200: jsonResponse(TeamMemberList, "Members"), ...errors(401, 404) },
});

const decideRoute = createRoute({
  method: "post",
  path: "/volunteer-teams/{id}/members/{memberId}/decision",
  tags: TAGS,
  summary: "Approve or decline a request to join, or remove a member (leaders and the team's staff)",
  security: cookieAuth,
  request: { params: TeamMemberParams, query: NoQuery, ...jsonBody(MemberDecision) },
  responses: { 200: jsonResponse(TeamMember, "Decided"), ...errors(400, 401, 404, 409) },
});

const roleRoute = createRoute({
  method: "post",
  path: "/volunteer-teams/{id}/members/{memberId}/role",
  tags: TAGS,
  summary: "Make a member a leader, or a leader a member (the team's staff)",
  security: cookieAuth,
  request: { params: TeamMemberParams, query: NoQuery, ...jsonBody(MemberRole) },
  responses: { 200: jsonResponse(TeamMember, "Changed"), ...errors(400, 401, 404, 409) },
});

// ---------- queries ----------

type TeamRow = typeof volunteerTeams.$inferSelect;

const ACTIVE_MEMBERS = sql<number>`(SELECT count(*) FROM ${volunteerTeamMembers} m
  WHERE m.team_id = ${volunteerTeams.id} AND m.status = 'active')`;

async function teamsWhere(c: Context<AppEnv>, where: SQL | undefined) {
  return c.var.db
    .select({ team: volunteerTeams, organisationName: organisations.name, memberCount: ACTIVE_MEMBERS })
    .from(volunteerTeams)
    .innerJoin(organisations, eq(organisations.id, volunteerTeams.organisationId))
    .where(where)
    .orderBy(asc(volunteerTeams.name));
}

function toTeam(row: { team: TeamRow; organisationName: string; memberCount: number }) {
  const { team } = row;
  return {
    id: team.id,
    organisationId: team.organisationId,
    organisationName: row.organisationName,
    name: team.name,
    description: team.description,
    status: team.status,
    memberCount: row.memberCount,
    createdAt: team.createdAt,
  };
}

/** The reader's registration (approved or not) and their live or last memberships. */
async function myVolunteer(c: Context<AppEnv>, accountId: string) {
  return registrationOfAccount(c.var.db, accountId);
}

async function myMemberships(c: Context<AppEnv>, volunteerId: string | null) {
  if (!volunteerId) return new Map<string, { id: string; role: "leader" | "member"; status: TeamMemberStatus }>();
  const rows = await c.var.db
    .select({
      id: volunteerTeamMembers.id,
      teamId: volunteerTeamMembers.teamId,
      role: volunteerTeamMembers.role,
      status: volunteerTeamMembers.status,
    })
    .from(volunteerTeamMembers)
    .where(eq(volunteerTeamMembers.volunteerId, volunteerId))
    .orderBy(asc(volunteerTeamMembers.requestedAt));
  // The newest per team wins (a request after leaving replaces the old membership).
  return new Map(rows.map((r) => [r.teamId, { id: r.id, role: r.role, status: r.status }]));
}

type TeamMemberStatus = (typeof volunteerTeamMembers.$inferSelect)["status"];

function staffOfTeam(account: SessionAccount | null, team: TeamRow): boolean {
  return !!account && staffOfOrganisation(account, team.organisationId);
}

function leads(membership: { role: string; status: string } | undefined): boolean {
  return membership?.role === "leader" && membership.status === "active";
}

async function withMe(
  c: Context<AppEnv>,
  rows: Array<{ team: TeamRow; organisationName: string; memberCount: number }>,
) {
  const account = await currentAccount(c);
  const volunteer = account ? await myVolunteer(c, account.id) : null;
  const mine = await myMemberships(c, volunteer?.id ?? null);
  return rows.map((row) => {
    const membership = mine.get(row.team.id);
    return {
      ...toTeam(row),
      myMembership: membership ?? null,
      canManage: staffOfTeam(account, row.team) || (volunteer?.status === "approved" && leads(membership)),
    };
  });
}

async function loadTeam(c: Context<AppEnv>, id: string) {
  const [row] = await teamsWhere(c, eq(volunteerTeams.id, id));
  if (!row) throw new ApiError("NOT_FOUND", "Team not found");
  return row;
}

/** The team for someone deciding on its members: its staff, or (unless `staffOnly`) a leader; others 404. */
export async function managedTeam(c: Context<AppEnv>, id: string, staffOnly = false) {
  const account = await requireAccount(c);
  const row = await loadTeam(c, id);
  if (staffOfTeam(account, row.team)) return { account, row, asStaff: true };
  if (!staffOnly) {
    const volunteer = await myVolunteer(c, account.id);
    const membership = (await myMemberships(c, volunteer?.id ?? null)).get(id);
    if (volunteer?.status === "approved" && leads(membership)) return { account, row, asStaff: false };
  }
  throw new ApiError("NOT_FOUND", "Team not found");
}

const memberSelection = {
  id: volunteerTeamMembers.id,
  volunteerId: volunteerTeamMembers.volunteerId,
  realName: volunteers.realName,
  number: volunteers.number,
  phone: accounts.phone,
  accountId: volunteers.accountId,
  personId: volunteers.personId,
  role: volunteerTeamMembers.role,
  status: volunteerTeamMembers.status,
  requestedAt: volunteerTeamMembers.requestedAt,
  decidedAt: volunteerTeamMembers.decidedAt,
};

async function membersWhere(c: Context<AppEnv>, where: SQL) {
  return c.var.db
    .select(memberSelection)
    .from(volunteerTeamMembers)
    .innerJoin(volunteers, eq(volunteers.id, volunteerTeamMembers.volunteerId))
    .innerJoin(accounts, eq(accounts.id, volunteers.accountId))
    .where(where)
    .orderBy(asc(volunteerTeamMembers.requestedAt));
}

function toMember(row: Awaited<ReturnType<typeof membersWhere>>[number]) {
  return {
    id: row.id,
    volunteerId: row.volunteerId,
    realName: row.realName,
    number: row.number,
    phoneMasked: maskPhone(row.phone),
    role: row.role,
    status: row.status,
    requestedAt: row.requestedAt,
    decidedAt: row.decidedAt,
  };
}

const MEMBER_NOTICES = {
  approve: (team: string) => ({
    kind: "team_joined",
    title: "已加入志愿服务队",
    body: `您已加入志愿服务队“${team}”。`,
    params: { organisation: team },
  }),
  decline: (team: string, reason?: string) => ({
    kind: "team_declined",
    title: "入队申请未通过",
    body: `您加入志愿服务队“${team}”的申请未通过${reason ? `：${reason}` : ""}。`,
    params: { organisation: team, ...(reason ? { reason } : {}) },
  }),
  remove: (team: string, reason?: string) => ({
    kind: "team_removed",
    title: "已移出志愿服务队",
    body: `您已被移出志愿服务队“${team}”${reason ? `：${reason}` : ""}。`,
    params: { organisation: team, ...(reason ? { reason } : {}) },
  }),
};

export const teamsRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const where: SQL[] = [eq(volunteerTeams.status, "active")];
    if (query.organisationId) where.push(eq(volunteerTeams.organisationId, query.organisationId));
    let teams = await withMe(c, await teamsWhere(c, and(...where)));
    if (query.mine) {
      teams = teams.filter((t) => t.myMembership && ["pending", "active"].includes(t.myMembership.status));
    }
    return c.json({ teams }, 200);
  })
  .openapi(oneRoute, async (c) => {
    const [team] = await withMe(c, [await loadTeam(c, c.req.valid("param").id)]);
    if (!team) throw new ApiError("NOT_FOUND", "Team not found");
    return c.json(team, 200);
  })
  .openapi(createTeamRoute, async (c) => {
    const account = await requireStaff(c);
    const input = c.req.valid("json");
    if (!isStreetAdmin(account) && !organisationScopes(account).has(input.organisationId)) {
      throw new ApiError("FORBIDDEN", "Only staff of that organisation may start its teams");
    }
    const [org] = await c.var.db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.id, input.organisationId))
      .limit(1);
    if (!org) throw new ApiError("NOT_FOUND", "Organisation not found");
    const at = now();
    const id = newId("vtm");
    const db = c.var.db;
    const [inserted] = await db.batch([
      db
        .insert(volunteerTeams)
        .values({ id, ...input, createdByAccountId: account.id, createdAt: at, updatedAt: at })
        .onConflictDoNothing()
        .returning({ id: volunteerTeams.id }),
      auditInsert(
        c,
        { action: "team.create", subjectType: "volunteer_team", subjectId: id, detail: { name: input.name } },
        sql`EXISTS (SELECT 1 FROM ${volunteerTeams} WHERE ${volunteerTeams.id} = ${id})`,
      ),
    ]);
    if (inserted.length === 0) throw new ApiError("CONFLICT", "This organisation already has a team of that name");
    return c.json(toTeam(await loadTeam(c, id)), 201);
  })
  .openapi(patchTeamRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { row } = await managedTeam(c, id, true);
    const patch = c.req.valid("json");
    const at = now();
    const db = c.var.db;
    // The name is checked by the UPDATE itself: two renames at once cannot both take it.
    const free = patch.name
      ? sql`NOT EXISTS (SELECT 1 FROM ${volunteerTeams} other WHERE other.organisation_id = ${row.team.organisationId}
          AND other.name = ${patch.name} AND other.id <> ${id})`
      : sql`1`;
    const [updated] = await db.batch([
      db
        .update(volunteerTeams)
        .set({ ...patch, updatedAt: at })
        .where(and(eq(volunteerTeams.id, id), free))
        .returning({ id: volunteerTeams.id }),
      auditInsert(
        c,
        { action: "team.update", subjectType: "volunteer_team", subjectId: id, detail: patch },
        sql`EXISTS (SELECT 1 FROM ${volunteerTeams} WHERE ${volunteerTeams.id} = ${id} AND ${volunteerTeams.updatedAt} = ${at})`,
      ),
    ]);
    if (updated.length === 0) throw new ApiError("CONFLICT", "This organisation already has a team of that name");
    return c.json(toTeam(await loadTeam(c, id)), 200);
  })
  .openapi(joinRoute, async (c) => {
    const account = await requireAccount(c);
    const id = c.req.valid("param").id;
    const row = await loadTeam(c, id);
    if (row.team.status !== "active") throw new ApiError("CONFLICT", "This team is archived");
    const volunteer = await myVolunteer(c, account.id);
    if (volunteer?.status !== "approved") {
      throw new ApiError("FORBIDDEN", "Only registered volunteers may join teams");
    }
    const at = now();
    const inserted = await c.var.db
      .insert(volunteerTeamMembers)
      .values({ id: newId("vtmm"), teamId: id, volunteerId: volunteer.id, status: "pending", requestedAt: at })
      .onConflictDoNothing()
      .returning({ id: volunteerTeamMembers.id });
    if (inserted.length === 0) throw new ApiError("CONFLICT", "You are already in this team or have asked to join");
    const [team] = await withMe(c, [row]);
    return c.json(team as NonNullable<typeof team>, 201);
  })
  .openapi(leaveRoute, async (c) => {
    const account = await requireAccount(c);
    const id = c.req.valid("param").id;
    const row = await loadTeam(c, id);
    const volunteer = await myVolunteer(c, account.id);
    const at = now();
    const left = volunteer
      ? await c.var.db
          .update(volunteerTeamMembers)
          .set({ status: "left", decidedAt: at, decidedByAccountId: account.id })
          .where(
            and(
              eq(volunteerTeamMembers.teamId, id),
              eq(volunteerTeamMembers.volunteerId, volunteer.id),
              inArray(volunteerTeamMembers.status, ["pending", "active"]),
            ),
          )
          .returning({ id: volunteerTeamMembers.id })
      : [];
    if (left.length === 0) throw new ApiError("NOT_FOUND", "You are not in this team");
    const [team] = await withMe(c, [row]);
    return c.json(team as NonNullable<typeof team>, 200);
  })
  .openapi(membersRoute, async (c) => {
    const id = c.req.valid("param").id;
    await managedTeam(c, id);
    const rows = await membersWhere(
      c,
      and(eq(volunteerTeamMembers.teamId, id), inArray(volunteerTeamMembers.status, ["pending", "active"])) as SQL,
    );
    return c.json({ members: rows.map(toMember) }, 200);
  })
  .openapi(decideRoute, async (c) => {
    const { id, memberId } = c.req.valid("param");
    const { account, row, asStaff } = await managedTeam(c, id);
    const { decision, reason } = c.req.valid("json");
    const db = c.var.db;
    const [member] = await membersWhere(
      c,
      and(eq(volunteerTeamMembers.id, memberId), eq(volunteerTeamMembers.teamId, id)) as SQL,
    );
    if (!member) throw new ApiError("NOT_FOUND", "Member not found");
    const from = decision === "remove" ? "active" : "pending";
    const to = decision === "approve" ? "active" : decision === "decline" ? "declined" : "removed";
    if (member.status !== from) throw new ApiError("CONFLICT", `This membership is ${member.status}, not ${from}`);
    if (decision === "remove" && member.accountId === account.id) {
      throw new ApiError("CONFLICT", "Leave the team instead of removing yourself");
    }
    if (decision === "remove" && member.role === "leader" && !asStaff) {
      throw new ApiError("CONFLICT", "Only the team's organisation removes a leader");
    }
    const at = now();
    const changed = sql`EXISTS (SELECT 1 FROM ${volunteerTeamMembers} WHERE ${volunteerTeamMembers.id} = ${memberId}
      AND ${volunteerTeamMembers.status} = ${to} AND ${volunteerTeamMembers.decidedAt} = ${at})`;
    const [updated] = await db.batch([
      db
        .update(volunteerTeamMembers)
        .set({ status: to, decidedAt: at, decidedByAccountId: account.id, reason: reason ?? null })
        .where(and(eq(volunteerTeamMembers.id, memberId), eq(volunteerTeamMembers.status, from)))
        .returning({ id: volunteerTeamMembers.id }),
      auditInsert(
        c,
        {
          action: `team.member_${decision}`,
          subjectType: "volunteer_team",
          subjectId: id,
          personId: member.personId,
          detail: { memberId, reason: reason ?? null },
        },
        changed,
      ),
      insertWhere(
        db,
        notifications,
        {
          id: newSortableId("ntf", at),
          accountId: member.accountId,
          link: "/volunteer/teams",
          createdAt: at,
          ...MEMBER_NOTICES[decision](row.team.name, reason),
        },
        sql`WHERE ${changed}`,
      ),
    ]);
    if (updated.length === 0) throw new ApiError("CONFLICT", "This membership was decided meanwhile");
    const [after] = await membersWhere(c, eq(volunteerTeamMembers.id, memberId));
    if (!after) throw new ApiError("NOT_FOUND", "Member not found");
    return c.json(toMember(after), 200);
  })
  .openapi(roleRoute, async (c) => {
    const { id, memberId } = c.req.valid("param");
    await managedTeam(c, id, true);
    const { role } = c.req.valid("json");
    const db = c.var.db;
    const [member] = await membersWhere(
      c,
      and(eq(volunteerTeamMembers.id, memberId), eq(volunteerTeamMembers.teamId, id)) as SQL,
    );
    if (!member) throw new ApiError("NOT_FOUND", "Member not found");
    if (member.status !== "active") throw new ApiError("CONFLICT", "Only an active member can lead");
    await db.batch([
      db.update(volunteerTeamMembers).set({ role }).where(eq(volunteerTeamMembers.id, memberId)),
      auditInsert(c, {
        action: "team.member_role",
        subjectType: "volunteer_team",
        subjectId: id,
        personId: member.personId,
        detail: { memberId, role },
      }),
    ]);
    const [after] = await membersWhere(c, eq(volunteerTeamMembers.id, memberId));
    if (!after) throw new ApiError("NOT_FOUND", "Member not found");
    return c.json(toMember(after), 200);
  });
