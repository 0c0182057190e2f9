import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { accounts, familyDoctorSignings, notifications, organisations, persons, proxyLinks } from "../../../db/schema";
import type { AppEnv } from "../../env";
import { auditInsert } from "../../lib/audit";
import { isStreetAdmin, organisationScopes, requireAccount, requireStaff, staffOfOrganisation } from "../../lib/authz";
import { ApiError } from "../../lib/errors";
import { newId, newSortableId } from "../../lib/ids";
import { insertWhere } from "../../lib/insert-where";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { maskPhone } from "../../lib/phone";
import { now } from "../../lib/time";
import { personsInScope } from "../persons/persons.queries";
import {
  ClinicParams,
  Signing,
  SigningDecision,
  SigningList,
  SigningRequestInput,
  StaffSigningQuery,
} from "./clinics.schema";

const TAGS = ["family doctors"];

const requestRoute = createRoute({
  method: "post",
  path: "/family-doctor/signings",
  tags: TAGS,
  summary:
    "Ask to sign with a clinic's family-doctor team, for myself or a person I act for (one at a time per person)",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(SigningRequestInput) },
  responses: { 201: jsonResponse(Signing, "Asked"), ...errors(400, 401, 404, 409) },
});

const mineRoute = createRoute({
  method: "get",
  path: "/family-doctor/signings",
  tags: TAGS,
  summary: "My and my proxied persons' signings and requests",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: { 200: jsonResponse(SigningList, "Signings"), ...errors(401) },
});

const cancelRoute = createRoute({
  method: "post",
  path: "/family-doctor/signings/{id}/cancel",
  tags: TAGS,
  summary: "Withdraw a request or end a signing (the person or their proxy)",
  security: cookieAuth,
  request: { params: ClinicParams, query: NoQuery },
  responses: { 200: jsonResponse(Signing, "Cancelled"), ...errors(401, 404, 409) },
});

const staffListRoute = createRoute({
  method: "get",
  path: "/staff/family-doctor/signings",
  tags: TAGS,
  summary: "Requests and signings of my clinics (phones masked)",
  security: cookieAuth,
  request: { query: StaffSigningQuery },
  responses: { 200: jsonResponse(SigningList, "Signings"), ...errors(400, 401, 403) },
});

const decideRoute = createRoute({
  method: "post",
  path: "/family-doctor/signings/{id}/decision",
  tags: TAGS,
  summary: "Accept or decline a request (the clinic's staff); the person's side is told",
  security: cookieAuth,
  request: { params: ClinicParams, query: NoQuery, ...jsonBody(SigningDecision) },
  responses: { 200: jsonResponse(Signing, "Decided"), ...errors(400, 401, 404, 409) },
});

/**
 * Persons whose family-doctor signing the account handles: its own, and those it acts for in all
 * matters (a signing is about their health; not a proxy for bookings or health only).
 */
function signingPersons(c: Context<AppEnv>, accountId: string) {
  return personsInScope(c.var.db, accountId, ["all"]);
}

function selectSignings(c: Context<AppEnv>, where: SQL, waitingFirst = false) {
  return c.var.db
    .select({
      signing: familyDoctorSignings,
      organisationName: organisations.name,
      personName: persons.name,
      phone: sql<string | null>`coalesce(${accounts.phone}, ${persons.phone})`,
    })
    .from(familyDoctorSignings)
    .innerJoin(organisations, eq(organisations.id, familyDoctorSignings.organisationId))
    .innerJoin(persons, eq(persons.id, familyDoctorSignings.personId))
    .leftJoin(accounts, eq(accounts.id, persons.accountId))
    .where(where)
    .orderBy(
      ...(waitingFirst ? [sql`${familyDoctorSignings.status} <> 'requested'`] : []),
      desc(familyDoctorSignings.requestedAt),
    )
    .limit(200);
}

function toSigning(row: Awaited<ReturnType<typeof selectSignings>>[number]) {
  const s = row.signing;
  return {
    id: s.id,
    organisationId: s.organisationId,
    organisationName: row.organisationName,
    personId: s.personId,
    personName: row.personName,
    phoneMasked: maskPhone(row.phone),
    status: s.status,
    note: s.note,
    decisionNote: s.decisionNote,
    requestedAt: s.requestedAt,
    decidedAt: s.decidedAt,
  };
}

async function one(c: Context<AppEnv>, id: string) {
  const [row] = await selectSignings(c, eq(familyDoctorSignings.id, id));
  if (!row) throw new ApiError("NOT_FOUND", "Signing not found");
  return row;
}

export const signingsRoutes = createRouter()
  .openapi(requestRoute, async (c) => {
    const account = await requireAccount(c);
    const input = c.req.valid("json");
    if (!(await signingPersons(c, account.id)).includes(input.personId)) {
      throw new ApiError("NOT_FOUND", "Person not found");
    }
    const [clinic] = await c.var.db
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(eq(organisations.id, input.organisationId), eq(organisations.type, "clinic")))
      .limit(1);
    if (!clinic) throw new ApiError("NOT_FOUND", "Clinic not found");
    const id = newId("fds");
    const db = c.var.db;
    const [inserted] = await db.batch([
      db
        .insert(familyDoctorSignings)
        .values({
          id,
          organisationId: input.organisationId,
          personId: input.personId,
          requestedByAccountId: account.id,
          status: "requested",
          note: input.note,
          requestedAt: now(),
        })
        .onConflictDoNothing()
        .returning({ id: familyDoctorSignings.id }),
      auditInsert(
        c,
        {
          action: "family_doctor.request",
          subjectType: "family_doctor_signing",
          subjectId: id,
          personId: input.personId,
          detail: { organisationId: input.organisationId },
        },
        sql`EXISTS (SELECT 1 FROM ${familyDoctorSignings} WHERE ${familyDoctorSignings.id} = ${id})`,
      ),
    ]);
    if (inserted.length === 0) {
      throw new ApiError("CONFLICT", "This person already has a family-doctor request or signing");
    }
    return c.json(toSigning(await one(c, id)), 201);
  })
  .openapi(mineRoute, async (c) => {
    const account = await requireAccount(c);
    const ids = await signingPersons(c, account.id);
    const rows = ids.length ? await selectSignings(c, inArray(familyDoctorSignings.personId, ids)) : [];
    return c.json({ signings: rows.map(toSigning) }, 200);
  })
  .openapi(cancelRoute, async (c) => {
    const account = await requireAccount(c);
    const id = c.req.valid("param").id;
    const row = await one(c, id);
    if (!(await signingPersons(c, account.id)).includes(row.signing.personId)) {
      throw new ApiError("NOT_FOUND", "Signing not found");
    }
    const at = now();
    const db = c.var.db;
    const [changed] = await db.batch([
      db
        .update(familyDoctorSignings)
        .set({ status: "cancelled", decidedAt: at })
        .where(and(eq(familyDoctorSignings.id, id), inArray(familyDoctorSignings.status, ["requested", "accepted"])))
        .returning({ id: familyDoctorSignings.id }),
      auditInsert(
        c,
        {
          action: "family_doctor.cancel",
          subjectType: "family_doctor_signing",
          subjectId: id,
          personId: row.signing.personId,
        },
        sql`EXISTS (SELECT 1 FROM ${familyDoctorSignings} WHERE ${familyDoctorSignings.id} = ${id}
          AND ${familyDoctorSignings.status} = 'cancelled' AND ${familyDoctorSignings.decidedAt} = ${at})`,
      ),
    ]);
    if (changed.length === 0) throw new ApiError("CONFLICT", "This request is already closed");
    return c.json(toSigning(await one(c, id)), 200);
  })
  .openapi(staffListRoute, async (c) => {
    const account = await requireStaff(c);
    const mine = [...organisationScopes(account)];
    if (!isStreetAdmin(account) && mine.length === 0) throw new ApiError("FORBIDDEN", "Clinic staff only");
    const { organisationId } = c.req.valid("query");
    if (organisationId && !staffOfOrganisation(account, organisationId))
      throw new ApiError("FORBIDDEN", "Not your clinic");
    // Waiting requests first: they are the work; then the decided, newest first.
    const rows = await selectSignings(
      c,
      organisationId
        ? eq(familyDoctorSignings.organisationId, organisationId)
        : isStreetAdmin(account)
          ? sql`1`
          : (inArray(familyDoctorSignings.organisationId, mine) as SQL),
      true,
    );
    return c.json({ signings: rows.map(toSigning) }, 200);
  })
  .openapi(decideRoute, async (c) => {
    const account = await requireAccount(c);
    const id = c.req.valid("param").id;
    const row = await one(c, id);
    if (!staffOfOrganisation(account, row.signing.organisationId)) throw new ApiError("NOT_FOUND", "Signing not found");
    const { decision, note } = c.req.valid("json");
    const at = now();
    const to = decision === "accept" ? "accepted" : "declined";
    const db = c.var.db;
    const changed = sql`EXISTS (SELECT 1 FROM ${familyDoctorSignings} WHERE ${familyDoctorSignings.id} = ${id}
      AND ${familyDoctorSignings.status} = ${to} AND ${familyDoctorSignings.decidedAt} = ${at})`;
    const [updated] = await db.batch([
      db
        .update(familyDoctorSignings)
        .set({ status: to, decisionNote: note ?? null, decidedAt: at, decidedByAccountId: account.id })
        .where(and(eq(familyDoctorSignings.id, id), eq(familyDoctorSignings.status, "requested")))
        .returning({ id: familyDoctorSignings.id }),
      auditInsert(
        c,
        {
          action: `family_doctor.${decision}`,
          subjectType: "family_doctor_signing",
          subjectId: id,
          personId: row.signing.personId,
          detail: { organisationId: row.signing.organisationId },
        },
        changed,
      ),
      // Told: the person's own account, and whoever asked for them while they still act for them.
      insertWhere(
        db,
        notifications,
        {
          id: sql`${newSortableId("ntf", at).slice(0, 13)} || lower(hex(randomblob(6)))`,
          accountId: sql`x.account_id`,
          kind: decision === "accept" ? "family_doctor_accepted" : "family_doctor_declined",
          title: decision === "accept" ? "家庭医生签约成功" : "家庭医生签约未通过",
          body:
            decision === "accept"
              ? `${row.personName}与${row.organisationName}的家庭医生团队签约成功。`
              : `${row.personName}与${row.organisationName}的家庭医生签约申请未通过：${note ?? ""}。`,
          link: "/clinics",
          params: {
            person: row.personName,
            organisation: row.organisationName,
            ...(note ? { reason: note } : {}),
          },
          createdAt: at,
        },
        sql`FROM (SELECT ${persons.accountId} AS account_id FROM ${persons} WHERE ${persons.id} = ${row.signing.personId}
              UNION
              SELECT ${proxyLinks.proxyAccountId} FROM ${proxyLinks} WHERE ${proxyLinks.personId} = ${row.signing.personId}
                AND ${proxyLinks.proxyAccountId} = ${row.signing.requestedByAccountId} AND ${proxyLinks.status} = 'active') x
          WHERE x.account_id IS NOT NULL AND ${changed}`,
      ),
    ]);
    if (updated.length === 0) throw new ApiError("CONFLICT", "This request was decided or withdrawn meanwhile");
    return c.json(toSigning(await one(c, id)), 200);
  });
