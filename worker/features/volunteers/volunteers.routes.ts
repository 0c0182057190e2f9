import { createRoute } from "@hono/zod-openapi";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import { bookings, notifications, offerings, slots, type VolunteerStatus, volunteers } from "../../../db/schema";
import type { AppEnv, SessionAccount } from "../../env";
import { auditInsert } from "../../lib/audit";
import { communityScopes, isStreetAdmin, requireAccount, requireStaff } from "../../lib/authz";
import type { Statement } from "../../lib/batch";
import { hmac } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { hashKey } from "../../lib/hash-key";
import { newId, newSortableId } from "../../lib/ids";
import { insertWhere } from "../../lib/insert-where";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { ageOn, shanghaiDate } from "../../lib/shanghai";
import { now } from "../../lib/time";
import { bookingChangedNow, promotedNotices, promoteStatement } from "../bookings/bookings.queries";
import { dropQueuedReminders } from "../bookings/reminders";
import { idNumberBirthDate } from "../persons/id-number";
import { ownPerson, personByIdHash } from "../persons/persons.queries";
import { IdParam } from "../persons/persons.schema";
import { findCommunity } from "../places/places.queries";
import {
  applyStatement,
  idNumberTaken,
  listVolunteers,
  nextSeqSql,
  numberSql,
  PAGE_SIZE,
  toStaffVolunteer,
  toVolunteer,
  volunteerById,
  volunteerOfAccount,
} from "./volunteers.queries";
import {
  ADULT_AGE,
  ApproveBody,
  AVAILABILITY_CELLS,
  DAY_PARTS,
  EMERGENCY_RELATIONSHIPS,
  GUARDIAN_RELATIONSHIPS,
  MIN_VOLUNTEER_AGE,
  MyVolunteer,
  OptionalReasonBody,
  ReasonBody,
  StaffVolunteer,
  StaffVolunteerList,
  StaffVolunteerQuery,
  VOLUNTEER_CODE_VERSION,
  VOLUNTEER_LANGUAGES,
  VOLUNTEER_SKILLS,
  VolunteerApplication,
  VolunteerOptions,
  VolunteerProfilePatch,
} from "./volunteers.schema";

const TAGS = ["volunteers"];

const optionsRoute = createRoute({
  method: "get",
  path: "/volunteers/options",
  tags: TAGS,
  summary: "The lists a volunteer application chooses from (skills, languages, the weekly grid), and the age rules",
  request: { query: NoQuery },
  responses: { 200: jsonResponse(VolunteerOptions, "Options") },
});

const mineRoute = createRoute({
  method: "get",
  path: "/volunteers/me",
  tags: TAGS,
  summary: "My volunteer registration (null when I have not applied)",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: { 200: jsonResponse(MyVolunteer, "My registration"), ...errors(401) },
});

const applyRoute = createRoute({
  method: "post",
  path: "/volunteers/me",
  tags: TAGS,
  summary:
    "Apply to volunteer (real name): from 14; under 18 with a guardian, whose consent community staff record when approving",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(VolunteerApplication) },
  responses: { 201: jsonResponse(MyVolunteer, "Applied"), ...errors(400, 401, 403, 404, 409) },
});

const patchMineRoute = createRoute({
  method: "patch",
  path: "/volunteers/me",
  tags: TAGS,
  summary: "Change my skills, languages, availability, emergency contact or leaderboard choice",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(VolunteerProfilePatch) },
  responses: { 200: jsonResponse(MyVolunteer, "Updated"), ...errors(400, 401, 404) },
});

const withdrawRoute = createRoute({
  method: "post",
  path: "/volunteers/me/withdraw",
  tags: TAGS,
  summary: "Withdraw my application while it is still waiting for a decision",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: { 200: jsonResponse(MyVolunteer, "Withdrawn"), ...errors(401, 404, 409) },
});

const staffListRoute = createRoute({
  method: "get",
  path: "/staff/volunteers",
  tags: TAGS,
  summary: "Volunteer registrations in my communities (community staff) or the street (street admins)",
  security: cookieAuth,
  request: { query: StaffVolunteerQuery },
  responses: { 200: jsonResponse(StaffVolunteerList, "Registrations"), ...errors(400, 401, 403) },
});

const staffOneRoute = createRoute({
  method: "get",
  path: "/staff/volunteers/{id}",
  tags: TAGS,
  summary: "One registration (each read is audited)",
  security: cookieAuth,
  request: { params: IdParam, query: NoQuery },
  responses: { 200: jsonResponse(StaffVolunteer, "Registration"), ...errors(401, 403, 404) },
});

const decision = <P extends string, B extends z.ZodType>(path: P, summary: string, body: B) =>
  createRoute({
    method: "post",
    path,
    tags: TAGS,
    summary,
    security: cookieAuth,
    request: { params: IdParam, query: NoQuery, ...jsonBody(body) },
    responses: { 200: jsonResponse(StaffVolunteer, "Decided"), ...errors(400, 401, 403, 404, 409) },
  });

const approveRoute = decision(
  "/staff/volunteers/{id}/approve",
  "Approve an application; the first approval gives the volunteer number. A minor's needs the guardian's consent recorded",
  ApproveBody,
);
const rejectRoute = decision("/staff/volunteers/{id}/reject", "Refuse an application, with a reason", ReasonBody);
const suspendRoute = decision("/staff/volunteers/{id}/suspend", "Suspend a volunteer, with a reason", ReasonBody);
const reinstateRoute = decision(
  "/staff/volunteers/{id}/reinstate",
  "Reinstate a suspended volunteer",
  OptionalReasonBody,
);

// ---------- helpers ----------

/** Community staff of the volunteer's community, or a street admin. */
function decidesFor(account: SessionAccount, communityId: string): boolean {
  return isStreetAdmin(account) || communityScopes(account, ["community_staff"]).has(communityId);
}

async function myRegistration(c: Context<AppEnv>, accountId: string) {
  const row = await volunteerOfAccount(c.var.db, accountId);
  return row ? toVolunteer(row.volunteer, row.communityName, now()) : null;
}

/** The registration for staff work on it: another community's answers 404. */
async function staffRegistration(c: Context<AppEnv>, id: string) {
  const account = await requireStaff(c);
  const row = await volunteerById(c.var.db, id);
  if (!row || !decidesFor(account, row.volunteer.communityId)) throw new ApiError("NOT_FOUND", "Volunteer not found");
  return { account, row };
}

/** What the volunteer is told of a decision; `number` is SQL: a first approval gives it in the same UPDATE. */
const DECISION_NOTICES = {
  approved: (number: SQL) => ({
    kind: "volunteer_approved",
    title: "志愿者注册已通过",
    body: sql`'您的志愿者注册已通过，志愿者编号 ' || ${number} || '。'`,
    params: sql`json_object('number', ${number})`,
  }),
  rejected: (_: SQL, reason: string | null) => ({
    kind: "volunteer_rejected",
    title: "志愿者注册未通过",
    body: `您的志愿者注册未通过：${reason}。可修改后重新申请。`,
    params: { reason: reason ?? "" },
  }),
  suspended: (_: SQL, reason: string | null) => ({
    kind: "volunteer_suspended",
    title: "志愿者资格已暂停",
    body: `您的志愿者资格已暂停：${reason}。尚未开始的志愿服务报名已取消。`,
    params: { reason: reason ?? "" },
  }),
  reinstated: () => ({
    kind: "volunteer_reinstated",
    title: "志愿者资格已恢复",
    body: "您的志愿者资格已恢复，可以报名志愿服务。",
    params: {},
  }),
};

/**
 * A decision on a registration in one batch: the status change (only from `from`), its audit row
 * and the volunteer's notice, both written only if the change was. Answers the registration
 * after; 409 when it was not in `from` (decided meanwhile, or twice).
 */
async function decide(
  c: Context<AppEnv>,
  id: string,
  step: {
    from: VolunteerStatus;
    to: VolunteerStatus;
    action: string;
    notice: keyof typeof DECISION_NOTICES;
    reason: string | null;
    set?: Record<string, SQL | string | number | null>;
    /** More writes for the same batch, each to be guarded by `changed` (the decision was taken). */
    also?: (
      c: Context<AppEnv>,
      volunteer: { personId: string },
      changed: SQL,
      at: number,
      accountId: string,
    ) => Promise<Statement[]>;
  },
) {
  const { account, row } = await staffRegistration(c, id);
  const db = c.var.db;
  const at = now();
  if (row.volunteer.status !== step.from) {
    throw new ApiError("CONFLICT", `This registration is ${row.volunteer.status}, not ${step.from}`);
  }
  const changed = sql`EXISTS (SELECT 1 FROM ${volunteers} WHERE ${volunteers.id} = ${id}
    AND ${volunteers.status} = ${step.to} AND ${volunteers.decidedAt} = ${at}
    AND ${volunteers.decidedByAccountId} = ${account.id})`;
  const number = sql`(SELECT ${volunteers.number} FROM ${volunteers} WHERE ${volunteers.id} = ${id})`;
  const notice = DECISION_NOTICES[step.notice](number, step.reason);
  const also = step.also ? await step.also(c, row.volunteer, changed, at, account.id) : [];
  const [updated] = await db.batch([
    db
      .update(volunteers)
      .set({
        status: step.to,
        decidedByAccountId: account.id,
        decidedAt: at,
        reason: step.reason,
        updatedAt: at,
        ...step.set,
      })
      .where(and(eq(volunteers.id, id), eq(volunteers.status, step.from)))
      .returning({ id: volunteers.id }),
    auditInsert(
      c,
      {
        action: step.action,
        subjectType: "volunteer",
        subjectId: id,
        personId: row.volunteer.personId,
        detail: sql`json_object('from', ${step.from}, 'to', ${step.to}, 'number', ${number}, 'reason', ${step.reason})`,
      },
      changed,
    ),
    insertWhere(
      db,
      notifications,
      {
        id: newSortableId("ntf", at),
        accountId: row.volunteer.accountId,
        link: "/volunteer",
        createdAt: at,
        ...notice,
      },
      sql`WHERE ${changed}`,
    ),
    ...also,
  ]);
  if (updated.length === 0) throw new ApiError("CONFLICT", "This registration was decided meanwhile");
  const after = await volunteerById(db, id);
  if (!after) throw new ApiError("NOT_FOUND", "Volunteer not found");
  return toStaffVolunteer(after.volunteer, after.communityName, after.phone, at);
}

/**
 * A suspended volunteer gives up the shifts still to come — they could turn up but would earn
 * nothing — and their places go to the shifts' waitlists, in the suspension's batch and only if
 * the suspension was made (`changed`). Each cancellation is audited as staff cancelling for them.
 */
async function cancelFutureShifts(
  c: Context<AppEnv>,
  volunteer: { personId: string },
  changed: SQL,
  at: number,
  accountId: string,
): Promise<Statement[]> {
  const db = c.var.db;
  const coming = and(
    eq(bookings.personId, volunteer.personId),
    inArray(bookings.status, ["pending", "confirmed", "waitlisted"]),
    sql`${bookings.offeringId} IN (SELECT ${offerings.id} FROM ${offerings} WHERE ${offerings.kind} = 'volunteer_shift')`,
    sql`${bookings.slotId} IN (SELECT ${slots.id} FROM ${slots} WHERE ${slots.startsAt} > ${at})`,
  );
  const future = await db
    .select({ id: bookings.id, slotId: bookings.slotId, startsAt: slots.startsAt, title: offerings.title })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .innerJoin(offerings, eq(offerings.id, bookings.offeringId))
    .where(coming);
  if (future.length === 0) return [];
  const slotsOf = new Map(future.map((b) => [b.slotId, { id: b.slotId, startsAt: b.startsAt, title: b.title }]));
  return [
    db
      .update(bookings)
      .set({ status: "cancelled", cancelledAt: at, cancelledByAccountId: accountId, updatedAt: at })
      .where(and(coming, changed)),
    // No reminder still queued goes out for a shift given up.
    dropQueuedReminders(
      db,
      sql`${bookings.personId} = ${volunteer.personId} AND ${bookings.status} = 'cancelled'
        AND ${bookings.updatedAt} = ${at} AND ${bookings.cancelledByAccountId} = ${accountId}`,
    ),
    // The places go to the waitlists, and whoever gets one is told (inbox and text).
    ...[...slotsOf.values()].flatMap((slot) => [
      promoteStatement(db, slot.id, at, changed),
      ...promotedNotices(db, slot, slot.title, at, changed),
    ]),
    ...future.map((b) =>
      auditInsert(
        c,
        {
          action: "booking.cancel_for",
          subjectType: "booking",
          subjectId: b.id,
          personId: volunteer.personId,
          detail: { reason: "volunteer_suspended" },
        },
        bookingChangedNow(b.id, at, "cancelled"),
      ),
    ),
  ];
}

export const volunteersRoutes = createRouter()
  .openapi(optionsRoute, (c) =>
    c.json(
      {
        skills: [...VOLUNTEER_SKILLS],
        languages: [...VOLUNTEER_LANGUAGES],
        availability: [...AVAILABILITY_CELLS],
        dayParts: [...DAY_PARTS],
        emergencyRelationships: [...EMERGENCY_RELATIONSHIPS],
        guardianRelationships: [...GUARDIAN_RELATIONSHIPS],
        codeVersion: VOLUNTEER_CODE_VERSION,
        minAge: MIN_VOLUNTEER_AGE,
        adultAge: ADULT_AGE,
      },
      200,
    ),
  )
  .openapi(mineRoute, async (c) => {
    const account = await requireAccount(c);
    return c.json({ volunteer: await myRegistration(c, account.id) }, 200);
  })
  .openapi(applyRoute, async (c) => {
    const account = await requireAccount(c);
    const input = c.req.valid("json");
    const db = c.var.db;
    const at = now();
    const idNumber = input.idNumber.toUpperCase();
    const birthDate = idNumberBirthDate(idNumber);
    const age = ageOn(birthDate, shanghaiDate(at));
    if (age < MIN_VOLUNTEER_AGE) {
      throw new ApiError("NOT_ELIGIBLE", `Volunteers must be at least ${MIN_VOLUNTEER_AGE} years old`);
    }
    if (age < ADULT_AGE && !input.guardian) {
      throw new ApiError("VALIDATION_FAILED", "guardian: Under 18, give a parent or guardian who consents");
    }
    const [community, person] = await Promise.all([findCommunity(db, input.communityId), ownPerson(db, account.id)]);
    if (!community) throw new ApiError("NOT_FOUND", "Community not found");
    if (!person) throw new ApiError("UNAUTHENTICATED", "Sign in first");
    const idHash = await hmac(hashKey(c.env), `id:${idNumber}`);
    // The ID number must be the applicant's own: the one the community registered for them, if
    // any, and not one registered for somebody else (a parent's number would pass the age rule).
    const holder = person.idHash === idHash ? null : await personByIdHash(db, idHash);
    if ((person.idHash !== null && person.idHash !== idHash) || holder) {
      await auditInsert(c, {
        action: "volunteer.apply_refused",
        subjectType: "volunteer",
        subjectId: "id-number",
        personId: person.id,
        detail: {
          reason: person.idHash !== null ? "not_own_id_number" : "id_number_of_another_person",
          idLast4: idNumber.slice(-4),
        },
      });
      throw new ApiError("CONFLICT", "This ID number does not match the one registered for you; ask your community");
    }
    const guardian = age < ADULT_AGE ? input.guardian : undefined;
    const row = await applyStatement(db, {
      id: newId("vol"),
      accountId: account.id,
      personId: person.id,
      communityId: community.id,
      realName: input.realName,
      idLast4: idNumber.slice(-4),
      idHash,
      birthDate,
      skills: input.skills,
      skillsNote: input.skillsNote || null,
      languages: input.languages,
      availability: input.availability,
      emergencyName: input.emergencyName,
      emergencyPhone: input.emergencyPhone,
      emergencyRelationship: input.emergencyRelationship,
      codeVersion: VOLUNTEER_CODE_VERSION,
      codeAgreedAt: at,
      guardianName: guardian?.name ?? null,
      guardianPhone: guardian?.phone ?? null,
      guardianRelationship: guardian?.relationship ?? null,
      onLeaderboard: input.onLeaderboard,
      appliedAt: at,
      createdAt: at,
      updatedAt: at,
    });
    if (!row) {
      if (await idNumberTaken(db, idHash, account.id)) {
        await auditInsert(c, {
          action: "volunteer.apply_refused",
          subjectType: "volunteer",
          subjectId: "id-number",
          personId: person.id,
          detail: { reason: "id_number_registered", idLast4: idNumber.slice(-4) },
        });
        throw new ApiError("CONFLICT", "This ID number is already registered to a volunteer");
      }
      throw new ApiError("CONFLICT", "You have already applied");
    }
    return c.json({ volunteer: toVolunteer(row, community.name, at) }, 201);
  })
  .openapi(patchMineRoute, async (c) => {
    const account = await requireAccount(c);
    const patch = c.req.valid("json");
    const at = now();
    const updated = await c.var.db
      .update(volunteers)
      .set({ ...patch, updatedAt: at })
      .where(and(eq(volunteers.accountId, account.id), sql`${volunteers.status} NOT IN ('rejected', 'withdrawn')`))
      .returning({ id: volunteers.id });
    if (updated.length === 0) throw new ApiError("NOT_FOUND", "No live volunteer registration");
    return c.json({ volunteer: await myRegistration(c, account.id) }, 200);
  })
  .openapi(withdrawRoute, async (c) => {
    const account = await requireAccount(c);
    const db = c.var.db;
    const at = now();
    const updated = await db
      .update(volunteers)
      .set({ status: "withdrawn", updatedAt: at })
      .where(and(eq(volunteers.accountId, account.id), eq(volunteers.status, "pending")))
      .returning({ id: volunteers.id });
    if (updated.length === 0) {
      const mine = await volunteerOfAccount(db, account.id);
      if (!mine) throw new ApiError("NOT_FOUND", "No volunteer application");
      throw new ApiError(
        "CONFLICT",
        `Only an application waiting for a decision can be withdrawn (it is ${mine.volunteer.status})`,
      );
    }
    return c.json({ volunteer: await myRegistration(c, account.id) }, 200);
  })
  .openapi(staffListRoute, async (c) => {
    const account = await requireStaff(c);
    const query = c.req.valid("query");
    const mine = [...communityScopes(account, ["community_staff"])];
    if (!isStreetAdmin(account) && mine.length === 0) {
      throw new ApiError("FORBIDDEN", "Community staff and street admins only");
    }
    let communityIds = isStreetAdmin(account) ? null : mine;
    if (query.communityId) {
      if (communityIds && !communityIds.includes(query.communityId)) communityIds = [];
      else communityIds = [query.communityId];
    }
    const at = now();
    const { volunteers: list, total } = await listVolunteers(
      c.var.db,
      { communityIds, status: query.status, q: query.q, page: query.page },
      at,
    );
    return c.json({ volunteers: list, total, pageSize: PAGE_SIZE }, 200);
  })
  .openapi(staffOneRoute, async (c) => {
    const { row } = await staffRegistration(c, c.req.valid("param").id);
    await auditInsert(c, {
      action: "volunteer.view",
      subjectType: "volunteer",
      subjectId: row.volunteer.id,
      personId: row.volunteer.personId,
    });
    return c.json(toStaffVolunteer(row.volunteer, row.communityName, row.phone, now()), 200);
  })
  .openapi(approveRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { guardianConsent } = c.req.valid("json");
    const { account, row } = await staffRegistration(c, id);
    const at = now();
    const minor = ageOn(row.volunteer.birthDate, shanghaiDate(at)) < ADULT_AGE;
    if (minor && !guardianConsent) {
      throw new ApiError(
        "VALIDATION_FAILED",
        "guardianConsent: A volunteer under 18 needs their guardian's consent recorded (how it was given)",
      );
    }
    const year = shanghaiDate(at).slice(0, 4);
    const volunteer = await decide(c, id, {
      from: "pending",
      to: "approved",
      action: "volunteer.approve",
      notice: "approved",
      reason: null,
      set: {
        seq: sql`coalesce(${volunteers.seq}, ${nextSeqSql()})`,
        number: sql`coalesce(${volunteers.number}, ${numberSql(year)})`,
        ...(minor && guardianConsent
          ? {
              guardianConsentMethod: guardianConsent.method,
              guardianConsentNote: guardianConsent.note ?? null,
              guardianConsentByAccountId: account.id,
              guardianConsentAt: at,
            }
          : {}),
      },
    });
    return c.json(volunteer, 200);
  })
  .openapi(rejectRoute, async (c) => {
    const { reason } = c.req.valid("json");
    const volunteer = await decide(c, c.req.valid("param").id, {
      from: "pending",
      to: "rejected",
      action: "volunteer.reject",
      notice: "rejected",
      reason,
    });
    return c.json(volunteer, 200);
  })
  .openapi(suspendRoute, async (c) => {
    const { reason } = c.req.valid("json");
    const volunteer = await decide(c, c.req.valid("param").id, {
      from: "approved",
      to: "suspended",
      action: "volunteer.suspend",
      notice: "suspended",
      reason,
      also: cancelFutureShifts,
    });
    return c.json(volunteer, 200);
  })
  .openapi(reinstateRoute, async (c) => {
    const { reason } = c.req.valid("json");
    const volunteer = await decide(c, c.req.valid("param").id, {
      from: "suspended",
      to: "approved",
      action: "volunteer.reinstate",
      notice: "reinstated",
      reason: reason || null,
    });
    return c.json(volunteer, 200);
  });
