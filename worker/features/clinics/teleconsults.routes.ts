import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Context } from "hono";
import { bookings, doctors, offerings, persons, slots, teleconsultNotes } from "../../../db/schema";
import type { AppEnv, SessionAccount } from "../../env";
import { auditInsert } from "../../lib/audit";
import { requireAccount, staffOfOrganisation } from "../../lib/authz";
import { ApiError } from "../../lib/errors";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { now } from "../../lib/time";
import { personsInScope } from "../persons/persons.queries";
import { BookingParam, ConsentInput, SymptomsInput, Teleconsult, TeleconsultList } from "./clinics.schema";

const TAGS = ["tele-consultations"];

const oneRoute = createRoute({
  method: "get",
  path: "/teleconsults/{bookingId}",
  tags: TAGS,
  summary:
    "A tele-consultation: for the patient (or a proxy) and their doctor with the symptoms, for the clinic's staff without; the meeting link once confirmed",
  security: cookieAuth,
  request: { params: BookingParam, query: NoQuery },
  responses: { 200: jsonResponse(Teleconsult, "Consultation"), ...errors(400, 401, 404) },
});

const consentRoute = createRoute({
  method: "post",
  path: "/teleconsults/{bookingId}/consent",
  tags: TAGS,
  summary: "Record the patient's separate consent to keeping symptoms (PIPL sensitive data); the patient or a proxy",
  security: cookieAuth,
  request: { params: BookingParam, query: NoQuery, ...jsonBody(ConsentInput) },
  responses: { 200: jsonResponse(Teleconsult, "Consent recorded"), ...errors(400, 401, 404, 409) },
});

const withdrawRoute = createRoute({
  method: "delete",
  path: "/teleconsults/{bookingId}/consent",
  tags: TAGS,
  summary: "Withdraw the consent: the symptoms are deleted at once",
  security: cookieAuth,
  request: { params: BookingParam, query: NoQuery },
  responses: { 200: jsonResponse(Teleconsult, "Withdrawn"), ...errors(400, 401, 404) },
});

const symptomsRoute = createRoute({
  method: "put",
  path: "/teleconsults/{bookingId}/symptoms",
  tags: TAGS,
  summary: "Describe the symptoms for the doctor; refused (409 CONSENT_REQUIRED) without a recorded consent",
  security: cookieAuth,
  request: { params: BookingParam, query: NoQuery, ...jsonBody(SymptomsInput) },
  responses: { 200: jsonResponse(Teleconsult, "Saved"), ...errors(400, 401, 404, 409) },
});

const doctorListRoute = createRoute({
  method: "get",
  path: "/doctor/consultations",
  tags: TAGS,
  summary: "A doctor's own tele-consultations (from yesterday on), with symptoms where consented",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: { 200: jsonResponse(TeleconsultList, "Consultations"), ...errors(401, 403) },
});

const selection = {
  bookingId: bookings.id,
  status: bookings.status,
  personId: bookings.personId,
  personName: persons.name,
  doctorId: doctors.id,
  doctorName: doctors.name,
  doctorAccountId: doctors.accountId,
  meetingLink: doctors.meetingLink,
  organisationId: offerings.organisationId,
  startsAt: slots.startsAt,
  endsAt: slots.endsAt,
  consentAt: teleconsultNotes.consentAt,
  consentVersion: teleconsultNotes.consentVersion,
  symptoms: teleconsultNotes.symptoms,
};

function selectConsultations(c: Context<AppEnv>) {
  return c.var.db
    .select(selection)
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .innerJoin(offerings, eq(offerings.id, bookings.offeringId))
    .innerJoin(doctors, eq(doctors.teleconsultOfferingId, offerings.id))
    .innerJoin(persons, eq(persons.id, bookings.personId))
    .leftJoin(teleconsultNotes, eq(teleconsultNotes.bookingId, bookings.id));
}
type Row = Awaited<ReturnType<typeof selectConsultations>>[number];

type Reader = "patient" | "doctor" | "staff";

/**
 * Proxy scopes that reach a tele-consultation's health data: a proxy acting for everything. A
 * proxy for bookings only books the consultation (as the booking engine allows) but neither
 * consents for the person nor reads what they told the doctor.
 */
const HEALTH_SCOPES: readonly string[] = ["all"];

/** How the account relates to the consultation; 404 for anyone else (another doctor too). */
async function readerOf(c: Context<AppEnv>, account: SessionAccount, row: Row): Promise<Reader> {
  // Health data: the person, or a proxy whose link covers all matters.
  if ((await personsInScope(c.var.db, account.id, HEALTH_SCOPES)).includes(row.personId)) return "patient";
  if (row.doctorAccountId === account.id) return "doctor";
  if (staffOfOrganisation(account, row.organisationId)) return "staff";
  throw new ApiError("NOT_FOUND", "Consultation not found");
}

async function load(c: Context<AppEnv>, bookingId: string) {
  const account = await requireAccount(c);
  const [row] = await selectConsultations(c).where(eq(bookings.id, bookingId)).limit(1);
  if (!row) throw new ApiError("NOT_FOUND", "Consultation not found");
  return { account, row, reader: await readerOf(c, account, row) };
}

/** Until the appointment is over: a past patient is not shown the room again. */
function notOver(row: Row, at: number): boolean {
  return at < row.endsAt;
}

function toTeleconsult(row: Row, reader: Reader) {
  const confirmed = row.status === "confirmed" || row.status === "checked_in";
  return {
    bookingId: row.bookingId,
    status: row.status,
    personName: row.personName,
    doctorName: row.doctorName,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    consent:
      row.consentAt !== null && row.consentVersion !== null ? { at: row.consentAt, version: row.consentVersion } : null,
    // Health data: the patient's side and their doctor; the clinic's front desk confirms without it.
    symptoms: reader === "staff" ? null : row.symptoms,
    // The doctor's room is theirs for every patient (its waiting room lets the doctor admit one at
    // a time): a patient is shown it once the appointment is confirmed, and not after it is over.
    meetingLink: reader === "doctor" || (confirmed && notOver(row, now())) ? row.meetingLink : null,
  };
}

async function reread(c: Context<AppEnv>, bookingId: string, reader: Reader) {
  const [row] = await selectConsultations(c).where(eq(bookings.id, bookingId)).limit(1);
  if (!row) throw new ApiError("NOT_FOUND", "Consultation not found");
  return toTeleconsult(row, reader);
}

const ACTIVE = ["pending", "confirmed", "checked_in"] as const;

export const teleconsultsRoutes = createRouter()
  .openapi(oneRoute, async (c) => {
    const { row, reader } = await load(c, c.req.valid("param").bookingId);
    // A doctor reading a patient's health data is on the record, as every staff read of it.
    if (reader !== "patient") {
      await auditInsert(c, {
        action: "teleconsult.read",
        subjectType: "booking",
        subjectId: row.bookingId,
        personId: row.personId,
        detail: { as: reader },
      });
    }
    return c.json(toTeleconsult(row, reader), 200);
  })
  .openapi(consentRoute, async (c) => {
    const bookingId = c.req.valid("param").bookingId;
    const { account, row, reader } = await load(c, bookingId);
    if (reader !== "patient") throw new ApiError("NOT_FOUND", "Consultation not found");
    if (!(ACTIVE as readonly string[]).includes(row.status))
      throw new ApiError("CONFLICT", "This consultation is over");
    const { version } = c.req.valid("json");
    const at = now();
    const db = c.var.db;
    await db.batch([
      db
        .insert(teleconsultNotes)
        .values({ bookingId, consentAt: at, consentVersion: version, consentByAccountId: account.id, updatedAt: at })
        .onConflictDoUpdate({
          target: teleconsultNotes.bookingId,
          set: {
            consentAt: at,
            consentVersion: version,
            consentByAccountId: account.id,
            withdrawnAt: null,
            updatedAt: at,
          },
        }),
      auditInsert(c, {
        action: "teleconsult.consent",
        subjectType: "booking",
        subjectId: bookingId,
        personId: row.personId,
        detail: { version },
      }),
    ]);
    return c.json(await reread(c, bookingId, reader), 200);
  })
  .openapi(withdrawRoute, async (c) => {
    const bookingId = c.req.valid("param").bookingId;
    const { row, reader } = await load(c, bookingId);
    if (reader !== "patient") throw new ApiError("NOT_FOUND", "Consultation not found");
    const at = now();
    const db = c.var.db;
    // The consent and the symptoms go together, in one statement.
    await db.batch([
      db
        .update(teleconsultNotes)
        .set({ consentAt: null, consentVersion: null, symptoms: null, withdrawnAt: at, updatedAt: at })
        .where(eq(teleconsultNotes.bookingId, bookingId)),
      auditInsert(c, {
        action: "teleconsult.consent_withdraw",
        subjectType: "booking",
        subjectId: bookingId,
        personId: row.personId,
      }),
    ]);
    return c.json(await reread(c, bookingId, reader), 200);
  })
  .openapi(symptomsRoute, async (c) => {
    const bookingId = c.req.valid("param").bookingId;
    const { row, reader } = await load(c, bookingId);
    if (reader !== "patient") throw new ApiError("NOT_FOUND", "Consultation not found");
    if (!(ACTIVE as readonly string[]).includes(row.status))
      throw new ApiError("CONFLICT", "This consultation is over");
    const { text } = c.req.valid("json");
    // Written only where a consent stands when the statement runs: a withdrawal at the same moment wins.
    const saved = await c.var.db
      .update(teleconsultNotes)
      .set({ symptoms: text, updatedAt: now() })
      .where(and(eq(teleconsultNotes.bookingId, bookingId), sql`${teleconsultNotes.consentAt} IS NOT NULL`))
      .returning({ bookingId: teleconsultNotes.bookingId });
    if (saved.length === 0) throw new ApiError("CONSENT_REQUIRED", "Record the consent to keeping symptoms first");
    return c.json(await reread(c, bookingId, reader), 200);
  })
  .openapi(doctorListRoute, async (c) => {
    const account = await requireAccount(c);
    const mine = await c.var.db.select({ id: doctors.id }).from(doctors).where(eq(doctors.accountId, account.id));
    if (mine.length === 0) throw new ApiError("FORBIDDEN", "For doctors with tele-consultations");
    const rows = await selectConsultations(c)
      .where(
        and(
          inArray(
            doctors.id,
            mine.map((d) => d.id),
          ),
          inArray(bookings.status, ["pending", "confirmed", "checked_in", "completed"]),
          sql`${slots.endsAt} > ${now() - 86_400_000}`,
        ),
      )
      .orderBy(desc(slots.startsAt))
      .limit(200);
    if (rows.length > 0) {
      await auditInsert(c, {
        action: "teleconsult.list",
        subjectType: "doctor",
        subjectId: mine[0]?.id ?? "",
        detail: { bookings: rows.length },
      });
    }
    return c.json({ consultations: rows.map((r) => toTeleconsult(r, "doctor")) }, 200);
  });
