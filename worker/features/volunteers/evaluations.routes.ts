import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import {
  communities,
  offerings,
  organisations,
  persons,
  slots,
  volunteerAssessmentRuns,
  volunteerAssessmentSettings,
  volunteerAssessments,
  volunteerServiceRatings,
  volunteerServiceRecords,
  volunteers,
  volunteerTeamEvaluations,
  volunteerTeamMembers,
  volunteerTeams,
} from "../../../db/schema";
import type { AppEnv, SessionAccount } from "../../env";
import { auditInsert } from "../../lib/audit";
import {
  communityScopes,
  isStreetAdmin,
  requireAccount,
  requireStaff,
  requireStreetAdmin,
  staffOfOrganisation,
} from "../../lib/authz";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { insertWhere } from "../../lib/insert-where";
import { maskName } from "../../lib/mask-name";
import { createRouter, errors, jsonBody, jsonResponse, NoQuery, signedInRoutes } from "../../lib/openapi";
import { shanghaiDate } from "../../lib/shanghai";
import { DAY, now } from "../../lib/time";
import { handledPersons } from "../bookings/bookings.queries";
import { IdParam } from "../persons/persons.schema";
import { ASSESS_AFTER_DAYS, computeAssessment, currentSettings, periodSpan } from "./evaluations.queries";
import {
  ASSESSMENT_LIST_MAX,
  type Assessment,
  AssessmentBody,
  AssessmentRun,
  AssessmentSettings,
  AssessmentSettingsAnswer,
  MyEvaluations,
  previousQuarter,
  quarterOf,
  Rating,
  RatingBody,
  ServedPersonBody,
  ServedRecordList,
  StaffAssessmentQuery,
  StaffAssessments,
  TeamEvaluation,
  TeamEvaluationBody,
  TeamEvaluationQuery,
  TeamEvaluationSheet,
} from "./evaluations.schema";
import { managedTeam } from "./teams.routes";
import { registrationOfAccount } from "./volunteers.queries";

const TAGS = ["volunteer evaluation"];

const route = signedInRoutes(TAGS);

const servedRoute = route(
  "get",
  "/me/volunteer-services",
  "Volunteer services received by me or a person I act for (newest first), to rate once done",
  { query: NoQuery },
  { 200: jsonResponse(ServedRecordList, "Services"), ...errors(401) },
);

const rateRoute = route(
  "post",
  "/service-records/{id}/rating",
  "Rate a completed service once, 1–5 with a comment (the person served, or someone acting for them)",
  { params: IdParam, query: NoQuery, ...jsonBody(RatingBody) },
  { 201: jsonResponse(Rating, "Rated"), ...errors(400, 401, 404, 409) },
);

const servedPersonRoute = route(
  "put",
  "/service-records/{id}/served-person",
  "Name the person a service was for (the recording organisation's staff; audited), so they can rate it",
  { params: IdParam, query: NoQuery, ...jsonBody(ServedPersonBody) },
  { 200: jsonResponse(ServedPersonBody, "Named"), ...errors(400, 401, 403, 404, 409) },
);

const slotServedRoute = route(
  "put",
  "/slots/{id}/served-person",
  "Name the one person a volunteer shift's time serves, e.g. a home visit (the shift organisation's staff; audited); its records name them",
  { params: IdParam, query: NoQuery, ...jsonBody(ServedPersonBody) },
  { 200: jsonResponse(ServedPersonBody, "Named"), ...errors(400, 401, 403, 404, 409) },
);

const mineRoute = route(
  "get",
  "/volunteers/me/evaluations",
  "My ratings from the people I served, my teams' evaluations and my assessments",
  { query: NoQuery },
  { 200: jsonResponse(MyEvaluations, "Evaluations"), ...errors(401) },
);

const sheetRoute = route(
  "get",
  "/volunteer-teams/{id}/evaluations",
  "A team's members with their evaluation and assessment for a quarter (the team's leaders and staff)",
  { params: IdParam, query: TeamEvaluationQuery },
  { 200: jsonResponse(TeamEvaluationSheet, "Sheet"), ...errors(400, 401, 404) },
);

const evaluateRoute = route(
  "put",
  "/volunteer-teams/{id}/evaluations",
  "Evaluate a member for this quarter or the last: punctuality, attitude and skill 1–5 (a leader or the team's staff; audited; giving it again replaces it)",
  { params: IdParam, query: NoQuery, ...jsonBody(TeamEvaluationBody) },
  { 200: jsonResponse(TeamEvaluation, "Evaluated"), ...errors(400, 401, 404, 409) },
);

const settingsRoute = route(
  "get",
  "/volunteer-assessment-settings",
  "The assessment weights in force (anyone signed in: volunteers see how they are assessed)",
  { query: NoQuery },
  { 200: jsonResponse(AssessmentSettingsAnswer, "Settings"), ...errors(401) },
);

const putSettingsRoute = route(
  "put",
  "/admin/volunteer-assessment-settings",
  "Set the assessment weights (street admins; audited; later assessments use them)",
  { query: NoQuery, ...jsonBody(AssessmentSettings) },
  { 200: jsonResponse(AssessmentSettingsAnswer, "Set"), ...errors(400, 401, 403) },
);

const assessRoute = route(
  "post",
  "/admin/volunteer-assessments",
  "Compute (or recompute) a quarter's or a year's assessment for every volunteer (street admins; audited)",
  { query: NoQuery, ...jsonBody(AssessmentBody) },
  { 200: jsonResponse(AssessmentRun, "Computed"), ...errors(400, 401, 403, 409) },
);

const staffListRoute = route(
  "get",
  "/staff/volunteer-assessments",
  "A period's assessments of my communities' volunteers (community staff; street admins see all), best first",
  { query: StaffAssessmentQuery },
  { 200: jsonResponse(StaffAssessments, "Assessments"), ...errors(400, 401, 403, 404) },
);

// ---------- helpers ----------

const assessmentSelection = {
  a: volunteerAssessments,
  realName: volunteers.realName,
  volunteerNumber: volunteers.number,
  communityName: communities.name,
  final: volunteerAssessmentRuns.final,
};

function assessmentsWhere(c: Context<AppEnv>, where: SQL | undefined, limit = ASSESSMENT_LIST_MAX) {
  return c.var.db
    .select(assessmentSelection)
    .from(volunteerAssessments)
    .innerJoin(volunteers, eq(volunteers.id, volunteerAssessments.volunteerId))
    .innerJoin(communities, eq(communities.id, volunteerAssessments.communityId))
    .innerJoin(volunteerAssessmentRuns, eq(volunteerAssessmentRuns.period, volunteerAssessments.period))
    .where(where)
    .orderBy(desc(volunteerAssessments.score), asc(volunteers.number))
    .limit(limit);
}

function toAssessment(row: Awaited<ReturnType<typeof assessmentsWhere>>[number]): Assessment {
  const { a } = row;
  return {
    period: a.period,
    volunteerId: a.volunteerId,
    realName: row.realName,
    volunteerNumber: row.volunteerNumber,
    communityName: row.communityName,
    minutes: a.minutes,
    ratingCount: a.ratingCount,
    ratingAverage: a.ratingAverage,
    teamCount: a.teamCount,
    teamAverage: a.teamAverage,
    noShows: a.noShows,
    score: a.score,
    stars: a.stars,
    final: row.final,
    computedAt: a.computedAt,
  };
}

const evaluationSelection = {
  e: volunteerTeamEvaluations,
  teamName: volunteerTeams.name,
  organisationName: organisations.name,
};

function evaluationsWhere(c: Context<AppEnv>, where: SQL | undefined) {
  return c.var.db
    .select(evaluationSelection)
    .from(volunteerTeamEvaluations)
    .innerJoin(volunteerTeams, eq(volunteerTeams.id, volunteerTeamEvaluations.teamId))
    .innerJoin(organisations, eq(organisations.id, volunteerTeams.organisationId))
    .where(where)
    .orderBy(desc(volunteerTeamEvaluations.period), asc(volunteerTeams.name));
}

function toEvaluation(row: Awaited<ReturnType<typeof evaluationsWhere>>[number]): TeamEvaluation {
  const { e } = row;
  return {
    teamId: e.teamId,
    teamName: row.teamName,
    organisationName: row.organisationName,
    volunteerId: e.volunteerId,
    period: e.period,
    punctuality: e.punctuality,
    attitude: e.attitude,
    skill: e.skill,
    comment: e.comment,
    updatedAt: e.updatedAt,
  };
}

/** Records served to a person the account handles (its own, or through a link for bookings: not health-only). */
function servedToMine(accountId: string): SQL {
  return sql`${volunteerServiceRecords.servedPersonId} IN (${handledPersons(accountId)})`;
}

const RATABLE = ["pending", "approved"] as const;

/**
 * The organisation serves this person — any resident for a street-wide one, else its community's
 * residents or anyone who booked with it (a street admin: anyone) — or 404, as for no such person.
 */
async function assertServes(c: Context<AppEnv>, account: SessionAccount, organisationId: string, personId: string) {
  const [person] = await c.var.db
    .select({
      id: persons.id,
      // Spelled out with aliases: drizzle leaves a one-table select's columns unqualified.
      served: sql<number>`(EXISTS (SELECT 1 FROM organisations org WHERE org.id = ${organisationId}
          AND (org.community_id IS NULL OR org.community_id = persons.community_id))
        OR EXISTS (SELECT 1 FROM bookings b INNER JOIN offerings o ON o.id = b.offering_id
          WHERE b.person_id = persons.id AND o.organisation_id = ${organisationId}))`,
    })
    .from(persons)
    .where(eq(persons.id, personId))
    .limit(1);
  if (!person || (!isStreetAdmin(account) && !person.served)) throw new ApiError("NOT_FOUND", "Person not found");
}

// ---------- routes ----------

export const evaluationsRoutes = createRouter()
  .openapi(servedRoute, async (c) => {
    const account = await requireAccount(c);
    const rows = await c.var.db
      .select({
        r: volunteerServiceRecords,
        personName: persons.name,
        organisationName: organisations.name,
        volunteerName: volunteers.realName,
        volunteerNumber: volunteers.number,
        volunteerAccountId: volunteers.accountId,
        rating: volunteerServiceRatings,
      })
      .from(volunteerServiceRecords)
      .innerJoin(persons, eq(persons.id, volunteerServiceRecords.servedPersonId))
      .innerJoin(organisations, eq(organisations.id, volunteerServiceRecords.organisationId))
      .innerJoin(volunteers, eq(volunteers.id, volunteerServiceRecords.volunteerId))
      .leftJoin(volunteerServiceRatings, eq(volunteerServiceRatings.recordId, volunteerServiceRecords.id))
      .where(and(servedToMine(account.id), inArray(volunteerServiceRecords.status, ["open", ...RATABLE])))
      .orderBy(desc(volunteerServiceRecords.startedAt))
      .limit(100);
    return c.json(
      {
        records: rows.map((row) => ({
          id: row.r.id,
          personId: row.r.servedPersonId ?? "",
          personName: row.personName,
          title: row.r.title,
          organisationName: row.organisationName,
          volunteerName: maskName(row.volunteerName),
          volunteerNumber: row.volunteerNumber,
          startedAt: row.r.startedAt,
          minutes: row.r.minutes,
          status: row.r.status,
          canRate:
            !row.rating &&
            (RATABLE as readonly string[]).includes(row.r.status) &&
            row.volunteerAccountId !== account.id,
          rating: row.rating
            ? {
                recordId: row.r.id,
                stars: row.rating.stars,
                comment: row.rating.comment,
                createdAt: row.rating.createdAt,
              }
            : null,
        })),
      },
      200,
    );
  })
  .openapi(rateRoute, async (c) => {
    const account = await requireAccount(c);
    const id = c.req.valid("param").id;
    const input = c.req.valid("json");
    const db = c.var.db;
    const [record] = await db
      .select({
        id: volunteerServiceRecords.id,
        volunteerId: volunteerServiceRecords.volunteerId,
        servedPersonId: volunteerServiceRecords.servedPersonId,
        status: volunteerServiceRecords.status,
        volunteerAccountId: volunteers.accountId,
      })
      .from(volunteerServiceRecords)
      .innerJoin(volunteers, eq(volunteers.id, volunteerServiceRecords.volunteerId))
      .where(and(eq(volunteerServiceRecords.id, id), servedToMine(account.id)))
      .limit(1);
    if (!record?.servedPersonId) {
      throw new ApiError("NOT_FOUND", "Service not found");
    }
    if (record.volunteerAccountId === account.id) throw new ApiError("CONFLICT", "Nobody rates their own service");
    if (!(RATABLE as readonly string[]).includes(record.status)) {
      throw new ApiError(
        "CONFLICT",
        record.status === "open" ? "This service is still going on" : "This record was rejected",
      );
    }
    const at = now();
    const ratingId = newId("vrt");
    const personId = record.servedPersonId;
    // The record must still name the same person, and still count, when the batch runs.
    const [inserted] = await db.batch([
      insertWhere(
        db,
        volunteerServiceRatings,
        {
          id: ratingId,
          recordId: id,
          volunteerId: record.volunteerId,
          personId,
          stars: input.stars,
          comment: input.comment || null,
          ratedByAccountId: account.id,
          createdAt: at,
        },
        sql`WHERE EXISTS (SELECT 1 FROM ${volunteerServiceRecords} WHERE ${volunteerServiceRecords.id} = ${id}
          AND ${volunteerServiceRecords.servedPersonId} = ${personId}
          AND ${servedToMine(account.id)}
          AND ${volunteerServiceRecords.status} IN ('pending', 'approved'))
          ON CONFLICT DO NOTHING`,
      ).returning({ id: volunteerServiceRatings.id }),
      auditInsert(
        c,
        {
          action: "service_record.rate",
          subjectType: "service_record",
          subjectId: id,
          personId,
          detail: { stars: input.stars },
        },
        sql`EXISTS (SELECT 1 FROM ${volunteerServiceRatings} WHERE ${volunteerServiceRatings.id} = ${ratingId})`,
      ),
    ]);
    if (inserted.length === 0) throw new ApiError("CONFLICT", "This service has been rated already");
    return c.json({ recordId: id, stars: input.stars, comment: input.comment || null, createdAt: at }, 201);
  })
  .openapi(servedPersonRoute, async (c) => {
    const account = await requireStaff(c);
    const id = c.req.valid("param").id;
    const { personId } = c.req.valid("json");
    const db = c.var.db;
    const [record] = await db
      .select({
        organisationId: volunteerServiceRecords.organisationId,
        status: volunteerServiceRecords.status,
        servedPersonId: volunteerServiceRecords.servedPersonId,
        volunteerPersonId: volunteers.personId,
        rated: volunteerServiceRatings.id,
      })
      .from(volunteerServiceRecords)
      .innerJoin(volunteers, eq(volunteers.id, volunteerServiceRecords.volunteerId))
      .leftJoin(volunteerServiceRatings, eq(volunteerServiceRatings.recordId, volunteerServiceRecords.id))
      .where(eq(volunteerServiceRecords.id, id))
      .limit(1);
    if (!record || !staffOfOrganisation(account, record.organisationId)) {
      throw new ApiError("NOT_FOUND", "Record not found");
    }
    if (record.rated) throw new ApiError("CONFLICT", "The person served has rated it already");
    if (record.status === "rejected") throw new ApiError("CONFLICT", "This record was rejected");
    if (personId !== null && personId === record.volunteerPersonId) {
      throw new ApiError("CONFLICT", "The volunteer cannot be the person they served");
    }
    if (personId !== null) await assertServes(c, account, record.organisationId, personId);
    const at = now();
    const [updated] = await db.batch([
      db
        .update(volunteerServiceRecords)
        .set({ servedPersonId: personId, updatedAt: at })
        .where(
          and(
            eq(volunteerServiceRecords.id, id),
            sql`NOT EXISTS (SELECT 1 FROM ${volunteerServiceRatings} WHERE ${volunteerServiceRatings.recordId} = ${id})`,
          ),
        )
        .returning({ id: volunteerServiceRecords.id }),
      auditInsert(
        c,
        {
          action: "service_record.served_person",
          subjectType: "service_record",
          subjectId: id,
          personId: personId ?? record.servedPersonId,
          detail: { before: record.servedPersonId, after: personId },
        },
        sql`EXISTS (SELECT 1 FROM ${volunteerServiceRecords} WHERE ${volunteerServiceRecords.id} = ${id} AND ${volunteerServiceRecords.updatedAt} = ${at})`,
      ),
    ]);
    if (updated.length === 0) throw new ApiError("CONFLICT", "The person served has rated it already");
    return c.json({ personId }, 200);
  })
  .openapi(slotServedRoute, async (c) => {
    const account = await requireStaff(c);
    const id = c.req.valid("param").id;
    const { personId } = c.req.valid("json");
    const db = c.var.db;
    const [slot] = await db
      .select({ organisationId: offerings.organisationId, kind: offerings.kind, before: slots.servedPersonId })
      .from(slots)
      .innerJoin(offerings, eq(offerings.id, slots.offeringId))
      .where(eq(slots.id, id))
      .limit(1);
    if (!slot || !staffOfOrganisation(account, slot.organisationId)) throw new ApiError("NOT_FOUND", "Slot not found");
    if (slot.kind !== "volunteer_shift") throw new ApiError("CONFLICT", "Only a volunteer shift names a person served");
    if (personId !== null) await assertServes(c, account, slot.organisationId, personId);
    const at = now();
    const [updated] = await db.batch([
      // Only from the person read (a correction made meanwhile is not overwritten unseen).
      db
        .update(slots)
        .set({ servedPersonId: personId })
        .where(and(eq(slots.id, id), sql`${slots.servedPersonId} IS ${slot.before}`))
        .returning({ id: slots.id }),
      // Records of this time follow — those naming nobody or the person named before — unless
      // rated or rejected, and never naming their own volunteer.
      db
        .update(volunteerServiceRecords)
        .set({ servedPersonId: personId, updatedAt: at })
        .where(
          and(
            eq(volunteerServiceRecords.slotId, id),
            sql`(${volunteerServiceRecords.servedPersonId} IS NULL OR ${volunteerServiceRecords.servedPersonId} IS ${slot.before})`,
            sql`${volunteerServiceRecords.status} <> 'rejected'`,
            sql`NOT EXISTS (SELECT 1 FROM ${volunteerServiceRatings} WHERE ${volunteerServiceRatings.recordId} = ${volunteerServiceRecords.id})`,
            sql`${volunteerServiceRecords.volunteerId} NOT IN (SELECT ${volunteers.id} FROM ${volunteers} WHERE ${volunteers.personId} IS ${personId})`,
            sql`(SELECT ${slots.servedPersonId} FROM ${slots} WHERE ${slots.id} = ${id}) IS ${personId}`,
          ),
        ),
      auditInsert(
        c,
        {
          action: "slot.served_person",
          subjectType: "slot",
          subjectId: id,
          personId: personId ?? slot.before,
          detail: { before: slot.before, after: personId },
        },
        sql`(SELECT ${slots.servedPersonId} FROM ${slots} WHERE ${slots.id} = ${id}) IS ${personId}`,
      ),
    ]);
    if (updated.length === 0) throw new ApiError("CONFLICT", "The person served was changed meanwhile");
    return c.json({ personId }, 200);
  })
  .openapi(mineRoute, async (c) => {
    const account = await requireAccount(c);
    const db = c.var.db;
    const [volunteer, { settings }] = await Promise.all([registrationOfAccount(db, account.id), currentSettings(db)]);
    if (!volunteer) return c.json({ ratings: [], teamEvaluations: [], assessments: [], settings }, 200);
    const [ratings, teamEvaluations, assessments] = await Promise.all([
      db
        .select({
          stars: volunteerServiceRatings.stars,
          comment: volunteerServiceRatings.comment,
          startedAt: volunteerServiceRecords.startedAt,
          organisationName: organisations.name,
        })
        .from(volunteerServiceRatings)
        .innerJoin(volunteerServiceRecords, eq(volunteerServiceRecords.id, volunteerServiceRatings.recordId))
        .innerJoin(organisations, eq(organisations.id, volunteerServiceRecords.organisationId))
        .where(eq(volunteerServiceRatings.volunteerId, volunteer.id))
        .orderBy(desc(volunteerServiceRatings.createdAt))
        .limit(200),
      evaluationsWhere(c, eq(volunteerTeamEvaluations.volunteerId, volunteer.id)),
      assessmentsWhere(c, eq(volunteerAssessments.volunteerId, volunteer.id)),
    ]);
    assessments.sort((a, b) => (a.a.period < b.a.period ? 1 : -1));
    return c.json(
      {
        // Without the service or its date: the volunteer knows whom they served when.
        ratings: ratings.map((r) => ({
          stars: r.stars,
          comment: r.comment,
          organisationName: r.organisationName,
          month: shanghaiDate(r.startedAt).slice(0, 7),
        })),
        teamEvaluations: teamEvaluations.map(toEvaluation),
        assessments: assessments.map(toAssessment),
        settings,
      },
      200,
    );
  })
  .openapi(sheetRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { account } = await managedTeam(c, id);
    const { period } = c.req.valid("query");
    const db = c.var.db;
    const members = await db
      .select({
        volunteerId: volunteers.id,
        realName: volunteers.realName,
        number: volunteers.number,
        accountId: volunteers.accountId,
        role: volunteerTeamMembers.role,
      })
      .from(volunteerTeamMembers)
      .innerJoin(volunteers, eq(volunteers.id, volunteerTeamMembers.volunteerId))
      .where(and(eq(volunteerTeamMembers.teamId, id), eq(volunteerTeamMembers.status, "active")))
      .orderBy(asc(volunteers.number));
    const activeHere = sql`EXISTS (SELECT 1 FROM ${volunteerTeamMembers} m WHERE m.team_id = ${id}
      AND m.volunteer_id = ${volunteerAssessments.volunteerId} AND m.status = 'active')`;
    const [evaluations, assessments] = await Promise.all([
      evaluationsWhere(c, and(eq(volunteerTeamEvaluations.teamId, id), eq(volunteerTeamEvaluations.period, period))),
      assessmentsWhere(c, and(eq(volunteerAssessments.period, period), activeHere)),
    ]);
    const evaluationOf = new Map(evaluations.map((e) => [e.e.volunteerId, toEvaluation(e)]));
    const assessmentOf = new Map(assessments.map((a) => [a.a.volunteerId, toAssessment(a)]));
    return c.json(
      {
        period,
        members: members.map((m) => {
          const assessment = assessmentOf.get(m.volunteerId);
          return {
            volunteerId: m.volunteerId,
            realName: m.realName,
            number: m.number,
            role: m.role,
            isMe: m.accountId === account.id,
            evaluation: evaluationOf.get(m.volunteerId) ?? null,
            assessment: assessment
              ? { period: assessment.period, score: assessment.score, stars: assessment.stars, final: assessment.final }
              : null,
          };
        }),
      },
      200,
    );
  })
  .openapi(evaluateRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { account, row: team } = await managedTeam(c, id);
    if (team.team.status !== "active") throw new ApiError("CONFLICT", "This team is archived");
    const input = c.req.valid("json");
    const at = now();
    const thisQuarter = quarterOf(shanghaiDate(at));
    const last = previousQuarter(thisQuarter);
    // The last quarter's evaluations close with its assessment, a week into this one.
    const lastOpen = at < periodSpan(last).end + ASSESS_AFTER_DAYS * DAY;
    if (input.period !== thisQuarter && !(input.period === last && lastOpen)) {
      throw new ApiError(
        "VALIDATION_FAILED",
        "period: evaluations are given for this quarter (or the last, in the first week after it)",
      );
    }
    const db = c.var.db;
    const [member] = await db
      .select({ accountId: volunteers.accountId, personId: volunteers.personId })
      .from(volunteerTeamMembers)
      .innerJoin(volunteers, eq(volunteers.id, volunteerTeamMembers.volunteerId))
      .where(
        and(
          eq(volunteerTeamMembers.teamId, id),
          eq(volunteerTeamMembers.volunteerId, input.volunteerId),
          eq(volunteerTeamMembers.status, "active"),
        ),
      )
      .limit(1);
    if (!member) throw new ApiError("NOT_FOUND", "Not a member of this team");
    if (member.accountId === account.id) throw new ApiError("CONFLICT", "Nobody evaluates themselves");
    const scores = {
      punctuality: input.punctuality,
      attitude: input.attitude,
      skill: input.skill,
      comment: input.comment || null,
    };
    // Still an active member when the write runs; giving it again replaces it.
    const [written] = await db.batch([
      insertWhere(
        db,
        volunteerTeamEvaluations,
        {
          id: newId("vte"),
          teamId: id,
          volunteerId: input.volunteerId,
          period: input.period,
          ...scores,
          evaluatedByAccountId: account.id,
          createdAt: at,
          updatedAt: at,
        },
        sql`WHERE EXISTS (SELECT 1 FROM ${volunteerTeamMembers} WHERE ${volunteerTeamMembers.teamId} = ${id}
            AND ${volunteerTeamMembers.volunteerId} = ${input.volunteerId} AND ${volunteerTeamMembers.status} = 'active')
          ON CONFLICT (team_id, volunteer_id, period) DO UPDATE SET punctuality = excluded.punctuality,
            attitude = excluded.attitude, skill = excluded.skill, comment = excluded.comment,
            evaluated_by_account_id = excluded.evaluated_by_account_id, updated_at = excluded.updated_at`,
      ).returning({ id: volunteerTeamEvaluations.id }),
      auditInsert(
        c,
        {
          action: "team.evaluate",
          subjectType: "volunteer_team",
          subjectId: id,
          personId: member.personId,
          detail: { volunteerId: input.volunteerId, period: input.period, ...scores },
        },
        sql`EXISTS (SELECT 1 FROM ${volunteerTeamEvaluations} WHERE ${volunteerTeamEvaluations.teamId} = ${id}
          AND ${volunteerTeamEvaluations.volunteerId} = ${input.volunteerId}
          AND ${volunteerTeamEvaluations.period} = ${input.period} AND ${volunteerTeamEvaluations.updatedAt} = ${at})`,
      ),
    ]);
    if (written.length === 0) throw new ApiError("NOT_FOUND", "Not a member of this team");
    const [row] = await evaluationsWhere(
      c,
      and(
        eq(volunteerTeamEvaluations.teamId, id),
        eq(volunteerTeamEvaluations.volunteerId, input.volunteerId),
        eq(volunteerTeamEvaluations.period, input.period),
      ),
    );
    if (!row) throw new ApiError("NOT_FOUND", "Evaluation not found");
    return c.json(toEvaluation(row), 200);
  })
  .openapi(settingsRoute, async (c) => {
    await requireAccount(c);
    const { settings, changedAt } = await currentSettings(c.var.db);
    return c.json({ settings, changedAt }, 200);
  })
  .openapi(putSettingsRoute, async (c) => {
    const account = await requireStreetAdmin(c);
    const settings = c.req.valid("json");
    const at = now();
    const id = newId("vss");
    const db = c.var.db;
    await db.batch([
      db.insert(volunteerAssessmentSettings).values({ id, ...settings, createdByAccountId: account.id, createdAt: at }),
      auditInsert(c, {
        action: "assessment.settings",
        subjectType: "assessment_settings",
        subjectId: id,
        detail: settings,
      }),
    ]);
    return c.json({ settings, changedAt: at }, 200);
  })
  .openapi(assessRoute, async (c) => {
    const account = await requireStreetAdmin(c);
    const { period } = c.req.valid("json");
    const at = now();
    const today = shanghaiDate(at);
    if (period.slice(0, 4) > today.slice(0, 4) || (period.length > 4 && period > quarterOf(today))) {
      throw new ApiError("VALIDATION_FAILED", "period: this period has not begun");
    }
    const audit = auditInsert(c, {
      action: "assessment.compute",
      subjectType: "assessment",
      subjectId: period,
      detail: sql`json_object('assessed', (SELECT ${volunteerAssessmentRuns.assessed} FROM ${volunteerAssessmentRuns} WHERE ${volunteerAssessmentRuns.period} = ${period}))`,
    });
    return c.json(await computeAssessment(c.var.db, period, at, account.id, [audit]), 200);
  })
  .openapi(staffListRoute, async (c) => {
    const account = await requireStaff(c);
    const { period, communityId } = c.req.valid("query");
    const db = c.var.db;
    let where: SQL | undefined = eq(volunteerAssessments.period, period);
    if (!isStreetAdmin(account)) {
      const mine = communityScopes(account, ["community_staff"]);
      if (mine.size === 0) throw new ApiError("FORBIDDEN", "Community staff and street admins only");
      if (communityId && !mine.has(communityId)) throw new ApiError("NOT_FOUND", "Community not found");
      where = and(where, inArray(volunteerAssessments.communityId, communityId ? [communityId] : [...mine]));
    } else if (communityId) {
      where = and(where, eq(volunteerAssessments.communityId, communityId));
    }
    const [[run], rows] = await Promise.all([
      db.select().from(volunteerAssessmentRuns).where(eq(volunteerAssessmentRuns.period, period)).limit(1),
      assessmentsWhere(c, where, ASSESSMENT_LIST_MAX + 1),
    ]);
    // Weights stored with an older shape are shown as stored rather than failing the list.
    const settings = run ? AssessmentSettings.safeParse(run.settings) : null;
    return c.json(
      {
        run: run
          ? {
              period: run.period,
              final: run.final,
              assessed: run.assessed,
              settings: settings?.success ? settings.data : (run.settings as AssessmentSettings),
              computedAt: run.computedAt,
            }
          : null,
        assessments: rows.slice(0, ASSESSMENT_LIST_MAX).map(toAssessment),
        truncated: rows.length > ASSESSMENT_LIST_MAX,
      },
      200,
    );
  });
