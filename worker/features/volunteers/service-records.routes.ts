import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import Papa from "papaparse";
import { z } from "zod";
import {
  auditLog,
  bookings,
  communities,
  notifications,
  offerings,
  organisations,
  persons,
  slots,
  volunteerServiceRatings,
  volunteerServiceRecords,
  volunteers,
  volunteerTeamMembers,
} from "../../../db/schema";
import type { AppEnv } from "../../env";
import { auditInsert } from "../../lib/audit";
import { isStreetAdmin, organisationScopes, requireAccount, requireStaff, staffOfOrganisation } from "../../lib/authz";
import { randomDigits } from "../../lib/crypto";
import { SPREADSHEET_FORMULA } from "../../lib/csv";
import { ApiError } from "../../lib/errors";
import { newSortableId } from "../../lib/ids";
import { insertWhere, rowExists } from "../../lib/insert-where";
import { maskName } from "../../lib/mask-name";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery, signedInRoutes } from "../../lib/openapi";
import { hit } from "../../lib/rate-limit";
import { fromShanghai, SHANGHAI_OFFSET_MS, shanghaiDate, shanghaiTime } from "../../lib/shanghai";
import { DAY, HOUR, now } from "../../lib/time";
import { EXPORT_MAX_DAYS } from "../bookings/bookings.schema";
import { checkInRefusal } from "../bookings/bookings.timing";
import { IdParam } from "../persons/persons.schema";
import { statementPdf } from "./documents";
import {
  AUTO_CLOSE_AFTER_MS,
  BulkApproved,
  Hours,
  HoursQuery,
  Leaderboard,
  RecordEntry,
  RecordPatch,
  RejectBody,
  ServiceRecord,
  ServiceRecordList,
  ShiftCheckBody,
  ShiftCodeAnswer,
  StaffRecordQuery,
  Statement,
  StatementQuery,
} from "./service-records.schema";
import { registrationOfAccount } from "./volunteers.queries";

const TAGS = ["volunteer service records"];

/** Wrong shift codes one booking may try in an hour. */
const WRONG_CODES_PER_HOUR = 10;

const route = signedInRoutes(TAGS);

const shiftCodeRoute = route(
  "get",
  "/slots/{id}/shift-code",
  "The shift's check-in code, for its lead to show (the organisation's staff, or a leader of the shift's team)",
  { params: IdParam, query: NoQuery },
  { 200: jsonResponse(ShiftCodeAnswer, "The code"), ...errors(401, 404, 409) },
);

const checkInRoute = route(
  "post",
  "/bookings/{id}/shift-check-in",
  "Check in to my volunteer shift with the code the lead shows (opens my service record)",
  { params: IdParam, query: NoQuery, ...jsonBody(ShiftCheckBody) },
  { 200: jsonResponse(ServiceRecord, "Checked in"), ...errors(400, 401, 404, 409, 429) },
);

const checkOutRoute = route(
  "post",
  "/bookings/{id}/shift-check-out",
  "Check out of my volunteer shift with its code (my service record then waits for approval)",
  { params: IdParam, query: NoQuery, ...jsonBody(ShiftCheckBody) },
  { 200: jsonResponse(ServiceRecord, "Checked out"), ...errors(400, 401, 404, 409, 429) },
);

const myRecordsRoute = route(
  "get",
  "/volunteers/me/service-records",
  "My service records, newest first",
  { query: HoursQuery },
  { 200: jsonResponse(ServiceRecordList, "Records"), ...errors(400, 401) },
);

const myHoursRoute = route(
  "get",
  "/volunteers/me/hours",
  "My minutes in a year (this year by default): approved and pending, by month, organisation and kind",
  { query: HoursQuery },
  { 200: jsonResponse(Hours, "Hours"), ...errors(400, 401) },
);

const staffListRoute = route(
  "get",
  "/staff/service-records",
  "Service records my organisations recorded (newest first; by shift or status)",
  { query: StaffRecordQuery },
  { 200: jsonResponse(ServiceRecordList, "Records"), ...errors(400, 401, 403) },
);

const entryRoute = route(
  "post",
  "/service-records",
  "Enter a record for a volunteer from a paper sign-in sheet (the organisation's staff); it waits for approval",
  { query: NoQuery, ...jsonBody(RecordEntry) },
  { 201: jsonResponse(ServiceRecord, "Entered"), ...errors(400, 401, 403, 404) },
);

const patchRoute = route(
  "patch",
  "/service-records/{id}",
  "Correct a record's times or note (the recording organisation; edits after approval are audited)",
  { params: IdParam, query: NoQuery, ...jsonBody(RecordPatch) },
  { 200: jsonResponse(ServiceRecord, "Corrected"), ...errors(400, 401, 404, 409) },
);

const approveRoute = route(
  "post",
  "/service-records/{id}/approve",
  "Approve a record (only the organisation that recorded it: 谁记录谁证明)",
  { params: IdParam, query: NoQuery },
  { 200: jsonResponse(ServiceRecord, "Approved"), ...errors(401, 404, 409) },
);

const rejectRoute = route(
  "post",
  "/service-records/{id}/reject",
  "Reject a record with a reason the volunteer is told (the recording organisation)",
  { params: IdParam, query: NoQuery, ...jsonBody(RejectBody) },
  { 200: jsonResponse(ServiceRecord, "Rejected"), ...errors(400, 401, 404, 409) },
);

const bulkApproveRoute = route(
  "post",
  "/slots/{id}/service-records/approve",
  "Approve every pending record of a shift at once (auto-closed ones are left to review one by one)",
  { params: IdParam, query: NoQuery },
  { 200: jsonResponse(BulkApproved, "Approved"), ...errors(401, 404) },
);

const statementRoute = route(
  "get",
  "/volunteers/me/statement",
  "My hour statement for a period: the approved records and their total (printable)",
  { query: StatementQuery },
  { 200: jsonResponse(Statement, "Statement"), ...errors(400, 401, 404) },
);

const statementPdfRoute = createRoute({
  method: "get",
  path: "/volunteers/me/statement.pdf",
  tags: TAGS,
  summary: "My hour statement for a period as a PDF file (in Chinese)",
  security: cookieAuth,
  request: { query: StatementQuery },
  responses: {
    200: { description: "PDF", content: { "application/pdf": { schema: z.string() } } },
    ...errors(400, 401, 404),
  },
});

const exportRoute = createRoute({
  method: "get",
  path: "/staff/service-records.csv",
  tags: TAGS,
  summary:
    "Service records my organisations recorded (all of them for a street admin) in a date range (at most 366 days) as CSV; audited",
  security: cookieAuth,
  request: {
    query: z.strictObject({
      from: z.iso.date().optional(),
      to: z.iso.date().optional(),
      organisationId: z.string().min(1).max(64).optional(),
    }),
  },
  responses: {
    200: { description: "CSV", content: { "text/csv": { schema: z.string() } } },
    ...errors(400, 401, 403, 404),
  },
});

const leaderboardRoute = createRoute({
  method: "get",
  path: "/communities/{id}/volunteer-leaderboard",
  tags: TAGS,
  summary:
    "A community's volunteers by approved hours this year — only those who chose to be shown, as family name and number",
  request: { params: IdParam, query: HoursQuery },
  responses: { 200: jsonResponse(Leaderboard, "Leaderboard"), ...errors(400, 404) },
});

// ---------- helpers ----------

type RecordRow = typeof volunteerServiceRecords.$inferSelect;

const recordSelection = {
  record: volunteerServiceRecords,
  volunteerName: volunteers.realName,
  volunteerNumber: volunteers.number,
  volunteerAccountId: volunteers.accountId,
  volunteerPersonId: volunteers.personId,
  organisationName: organisations.name,
  servedPersonName: persons.name,
  rating: volunteerServiceRatings.stars,
};

/** Records with their volunteer, organisation, person served and rating: for lists and the export. */
function selectRecords(c: Context<AppEnv>) {
  return c.var.db
    .select(recordSelection)
    .from(volunteerServiceRecords)
    .innerJoin(volunteers, eq(volunteers.id, volunteerServiceRecords.volunteerId))
    .innerJoin(organisations, eq(organisations.id, volunteerServiceRecords.organisationId))
    .leftJoin(persons, eq(persons.id, volunteerServiceRecords.servedPersonId))
    .leftJoin(volunteerServiceRatings, eq(volunteerServiceRatings.recordId, volunteerServiceRecords.id));
}

function recordsWhere(c: Context<AppEnv>, where: SQL | undefined) {
  return selectRecords(c)
    .where(where)
    .orderBy(desc(volunteerServiceRecords.startedAt), desc(volunteerServiceRecords.id))
    .limit(500);
}

type Selected = Awaited<ReturnType<typeof recordsWhere>>[number];

/**
 * A record as the API gives it. Whom it served and their rating go to the recording
 * organisation's staff only (`staff`): the volunteer's own lists and statement leave them out.
 */
function toRecord(row: Selected, staff = false): ServiceRecord {
  const r: RecordRow = row.record;
  return {
    id: r.id,
    volunteerId: r.volunteerId,
    volunteerName: row.volunteerName,
    volunteerNumber: row.volunteerNumber,
    organisationId: r.organisationId,
    organisationName: row.organisationName,
    offeringId: r.offeringId,
    slotId: r.slotId,
    bookingId: r.bookingId,
    title: r.title,
    category: r.category,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    minutes: r.minutes,
    source: r.source,
    status: r.status,
    autoClosed: r.autoClosed,
    flagged: r.flagged,
    servedPersonId: staff ? r.servedPersonId : null,
    servedPersonName: staff && row.servedPersonName !== null ? maskName(row.servedPersonName) : null,
    rating: staff ? row.rating : null,
    note: r.note,
    reason: r.reason,
    decidedAt: r.decidedAt,
    createdAt: r.createdAt,
  };
}

async function oneRecord(c: Context<AppEnv>, where: SQL) {
  const [row] = await recordsWhere(c, where);
  return row ?? null;
}

const staffOf = staffOfOrganisation;

/** A record for its recording organisation's staff; anyone else's answers 404 (谁记录谁证明). */
async function recordForStaff(c: Context<AppEnv>, id: string) {
  const account = await requireStaff(c);
  const row = await oneRecord(c, eq(volunteerServiceRecords.id, id));
  if (!row || !staffOf(account, row.record.organisationId)) throw new ApiError("NOT_FOUND", "Record not found");
  return { account, row };
}

/** The signed-in volunteer's hour statement: the period's approved records, oldest first, and their total. */
async function myStatement(c: Context<AppEnv>, from: string, to: string): Promise<Statement> {
  const account = await requireAccount(c);
  const volunteer = await registrationOfAccount(c.var.db, account.id);
  if (!volunteer?.number) throw new ApiError("NOT_FOUND", "No volunteer registration");
  const rows = await recordsWhere(
    c,
    and(
      eq(volunteerServiceRecords.volunteerId, volunteer.id),
      eq(volunteerServiceRecords.status, "approved"),
      sql`${volunteerServiceRecords.startedAt} >= ${fromShanghai(from, "00:00")}`,
      sql`${volunteerServiceRecords.startedAt} < ${fromShanghai(to, "00:00") + DAY}`,
    ),
  );
  const records = rows.map((row) => toRecord(row)).reverse();
  return {
    from,
    to,
    realName: volunteer.realName,
    idMasked: `**************${volunteer.idLast4}`,
    volunteerNumber: volunteer.number,
    approvedMinutes: records.reduce((n, r) => n + (r.minutes ?? 0), 0),
    records,
    issuedAt: now(),
  };
}

/** A volunteer shift's slot with its offering, for its organisation's staff or (with `leaders`) a team leader. */
async function shiftSlot(c: Context<AppEnv>, id: string, leaders: boolean) {
  const account = await requireAccount(c);
  const [row] = await c.var.db
    .select({ slot: slots, offering: offerings })
    .from(slots)
    .innerJoin(offerings, eq(offerings.id, slots.offeringId))
    .where(eq(slots.id, id))
    .limit(1);
  if (row?.offering.kind !== "volunteer_shift") throw new ApiError("NOT_FOUND", "Shift not found");
  if (staffOf(account, row.offering.organisationId)) return { account, ...row };
  if (leaders && row.offering.teamId) {
    const [lead] = await c.var.db
      .select({ id: volunteerTeamMembers.id })
      .from(volunteerTeamMembers)
      .innerJoin(volunteers, eq(volunteers.id, volunteerTeamMembers.volunteerId))
      .where(
        and(
          eq(volunteerTeamMembers.teamId, row.offering.teamId),
          eq(volunteerTeamMembers.role, "leader"),
          eq(volunteerTeamMembers.status, "active"),
          eq(volunteers.accountId, account.id),
          eq(volunteers.status, "approved"),
        ),
      )
      .limit(1);
    if (lead) return { account, ...row };
  }
  throw new ApiError("NOT_FOUND", "Shift not found");
}

/** The signed-in volunteer's own shift booking (never a proxy's: hours are the volunteer's own). */
async function myShiftBooking(c: Context<AppEnv>, id: string) {
  const account = await requireAccount(c);
  const [row] = await c.var.db
    .select({ booking: bookings, slot: slots, offering: offerings })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .innerJoin(offerings, eq(offerings.id, bookings.offeringId))
    .innerJoin(persons, eq(persons.id, bookings.personId))
    .where(and(eq(bookings.id, id), eq(persons.accountId, account.id)))
    .limit(1);
  if (row?.offering.kind !== "volunteer_shift") throw new ApiError("NOT_FOUND", "Shift booking not found");
  return { account, ...row };
}

/** Hours are earned by registered volunteers only: a suspended one's bookings stay, but earn nothing. */
async function assertServing(c: Context<AppEnv>, accountId: string) {
  const [registration] = await c.var.db
    .select({ status: volunteers.status })
    .from(volunteers)
    .where(eq(volunteers.accountId, accountId))
    .limit(1);
  if (registration?.status !== "approved") {
    throw new ApiError("FORBIDDEN", "Your volunteering is suspended; ask your community");
  }
}

/** Refuses a wrong shift code, counting it (a booking may try `WRONG_CODES_PER_HOUR` an hour). */
async function checkCode(c: Context<AppEnv>, bookingId: string, expected: string | null, given: string, at: number) {
  if (expected !== null && expected === given) return;
  if (!(await hit(c.var.db, `shift_code:${bookingId}`, HOUR, WRONG_CODES_PER_HOUR, at))) {
    throw new ApiError("RATE_LIMITED", "Too many wrong codes; ask the shift's lead to check you in");
  }
  if (expected === null) throw new ApiError("CONFLICT", "The lead has not opened this shift's code yet");
  throw new ApiError("VALIDATION_FAILED", "code: this is not the shift's code");
}

async function recordOfBooking(c: Context<AppEnv>, bookingId: string) {
  const row = await oneRecord(c, eq(volunteerServiceRecords.bookingId, bookingId));
  if (!row) throw new ApiError("NOT_FOUND", "No service record for this booking");
  return toRecord(row);
}

/** Epoch ms of the start of a Beijing year. */
function yearStart(year: number): number {
  return Date.UTC(year, 0, 1) - SHANGHAI_OFFSET_MS;
}

/** `startedAt`'s Beijing month ("01" … "12"), in SQL. */
const MONTH = sql<string>`strftime('%m', (${volunteerServiceRecords.startedAt} + ${SHANGHAI_OFFSET_MS}) / 1000, 'unixepoch')`;

/** How many volunteers a leaderboard lists. */
const LEADERBOARD_SIZE = 20;

export const serviceRecordsRoutes = createRouter()
  .openapi(exportRoute, async (c) => {
    const account = await requireStaff(c);
    const query = c.req.valid("query");
    const mine = isStreetAdmin(account) ? null : [...organisationScopes(account)];
    if (mine && mine.length === 0) throw new ApiError("FORBIDDEN", "Organisation staff only");
    if (query.organisationId && mine && !mine.includes(query.organisationId)) {
      throw new ApiError("NOT_FOUND", "Organisation not found");
    }
    const at = now();
    const today = shanghaiDate(at);
    const from = query.from ?? `${today.slice(0, 4)}-01-01`;
    const to = query.to ?? today;
    const start = fromShanghai(from, "00:00");
    const end = fromShanghai(to, "00:00") + DAY;
    if (end <= start) throw new ApiError("VALIDATION_FAILED", "to must not be before from");
    if (end - start > EXPORT_MAX_DAYS * DAY) {
      throw new ApiError("VALIDATION_FAILED", `Export at most ${EXPORT_MAX_DAYS} days at a time`);
    }
    const orgs = query.organisationId ? [query.organisationId] : mine;
    // Volunteers' names leave the system in this file: recorded.
    await auditInsert(c, {
      action: "service_records.export",
      subjectType: "organisation",
      subjectId: orgs ? orgs.join(",") : "street",
      detail: { from, to },
    });
    const where: SQL[] = [
      sql`${volunteerServiceRecords.startedAt} >= ${start}`,
      sql`${volunteerServiceRecords.startedAt} < ${end}`,
    ];
    if (orgs) where.push(inArray(volunteerServiceRecords.organisationId, orgs));
    const rows = await selectRecords(c)
      .where(and(...where))
      .orderBy(volunteerServiceRecords.startedAt, volunteerServiceRecords.id);
    const local = (t: number | null) => (t === null ? "" : `${shanghaiDate(t)} ${shanghaiTime(t)}`);
    // Titles and notes are typed by people: a cell starting with = + - @ goes out as text.
    const csv = Papa.unparse(
      {
        fields: [
          "record_id",
          "volunteer_number",
          "volunteer_name",
          "organisation",
          "service",
          "kind",
          "started_at",
          "ended_at",
          "minutes",
          "status",
          "source",
          "flagged",
          "note",
          "rating",
        ],
        data: rows.map(({ record: r, volunteerName, volunteerNumber, organisationName, rating }) => [
          r.id,
          volunteerNumber ?? "",
          volunteerName,
          organisationName,
          r.title,
          r.category ?? "",
          local(r.startedAt),
          local(r.endedAt),
          r.minutes ?? "",
          r.status,
          r.source,
          r.flagged ? "yes" : "",
          r.note ?? "",
          rating ?? "",
        ]),
      },
      { escapeFormulae: SPREADSHEET_FORMULA },
    );
    return c.body(`\uFEFF${csv}\r\n`, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="service-records-${from}-${to}.csv"`,
    });
  })
  .openapi(statementRoute, async (c) => {
    const { from, to } = c.req.valid("query");
    return c.json(await myStatement(c, from, to), 200);
  })
  .openapi(statementPdfRoute, async (c) => {
    const { from, to } = c.req.valid("query");
    const pdf = statementPdf(await myStatement(c, from, to));
    return c.body(pdf.buffer as ArrayBuffer, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="statement-${from}-${to}.pdf"`,
      "Cache-Control": "private, no-store",
    });
  })
  .openapi(leaderboardRoute, async (c) => {
    const communityId = c.req.valid("param").id;
    const year = c.req.valid("query").year ?? Number(shanghaiDate(now()).slice(0, 4));
    const db = c.var.db;
    const [community] = await db
      .select({ id: communities.id, name: communities.name })
      .from(communities)
      .where(eq(communities.id, communityId))
      .limit(1);
    if (!community) throw new ApiError("NOT_FOUND", "Community not found");
    const minutes = sql<number>`sum(${volunteerServiceRecords.minutes})`;
    const rows = await db
      .select({ realName: volunteers.realName, number: volunteers.number, minutes: minutes.as("minutes") })
      .from(volunteerServiceRecords)
      .innerJoin(volunteers, eq(volunteers.id, volunteerServiceRecords.volunteerId))
      .where(
        and(
          eq(volunteers.communityId, communityId),
          eq(volunteers.onLeaderboard, true),
          eq(volunteers.status, "approved"),
          eq(volunteerServiceRecords.status, "approved"),
          sql`${volunteerServiceRecords.startedAt} >= ${yearStart(year)}`,
          sql`${volunteerServiceRecords.startedAt} < ${yearStart(year + 1)}`,
        ),
      )
      .groupBy(volunteers.id)
      .orderBy(sql`minutes DESC`, volunteers.number)
      .limit(LEADERBOARD_SIZE);
    return c.json(
      {
        communityId,
        communityName: community.name,
        year,
        entries: rows.map((r, i) => ({
          rank: i + 1,
          // A family name and a volunteer number: enough to be recognised, not to be found.
          name: `${[...r.realName][0] ?? ""}${"*".repeat(Math.max(1, [...r.realName].length - 1))}`,
          number: r.number ?? "",
          minutes: Number(r.minutes),
        })),
      },
      200,
    );
  })
  .openapi(shiftCodeRoute, async (c) => {
    const { slot } = await shiftSlot(c, c.req.valid("param").id, true);
    if (slot.status !== "open") throw new ApiError("CONFLICT", "This shift was called off");
    if (slot.shiftCode) return c.json({ slotId: slot.id, code: slot.shiftCode }, 200);
    // Made once, the first time anyone opens it; two leads opening it at once see the same code.
    await c.var.db
      .update(slots)
      .set({ shiftCode: randomDigits(6) })
      .where(and(eq(slots.id, slot.id), isNull(slots.shiftCode)));
    const [after] = await c.var.db.select({ code: slots.shiftCode }).from(slots).where(eq(slots.id, slot.id));
    return c.json({ slotId: slot.id, code: after?.code ?? "" }, 200);
  })
  .openapi(checkInRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { account, booking, slot } = await myShiftBooking(c, id);
    const at = now();
    if (booking.status === "checked_in") throw new ApiError("CONFLICT", "You are already checked in");
    await assertServing(c, account.id);
    if (booking.status !== "confirmed") throw new ApiError("CONFLICT", `This booking is ${booking.status}`);
    const closed = checkInRefusal(slot, at);
    if (closed) throw new ApiError("CHECK_IN_CLOSED", closed);
    await checkCode(c, id, slot.shiftCode, c.req.valid("json").code, at);
    // The booking's trigger opens the service record in the same statement.
    const updated = await c.var.db
      .update(bookings)
      .set({ status: "checked_in", checkedInAt: at, updatedAt: at })
      .where(and(eq(bookings.id, id), eq(bookings.status, "confirmed")))
      .returning({ id: bookings.id });
    if (updated.length === 0) throw new ApiError("CONFLICT", "This booking changed meanwhile");
    return c.json(await recordOfBooking(c, id), 200);
  })
  .openapi(checkOutRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { booking, slot } = await myShiftBooking(c, id);
    const at = now();
    if (booking.status !== "checked_in") throw new ApiError("CONFLICT", "Check in first");
    await checkCode(c, id, slot.shiftCode, c.req.valid("json").code, at);
    // The booking's trigger closes the record (pending approval) in the same statement.
    const updated = await c.var.db
      .update(bookings)
      .set({ status: "completed", completedAt: at, updatedAt: at })
      .where(and(eq(bookings.id, id), eq(bookings.status, "checked_in")))
      .returning({ id: bookings.id });
    if (updated.length === 0) throw new ApiError("CONFLICT", "This booking changed meanwhile");
    return c.json(await recordOfBooking(c, id), 200);
  })
  .openapi(myRecordsRoute, async (c) => {
    const account = await requireAccount(c);
    const { year } = c.req.valid("query");
    const where: SQL[] = [eq(volunteers.accountId, account.id)];
    if (year) {
      where.push(sql`${volunteerServiceRecords.startedAt} >= ${yearStart(year)}`);
      where.push(sql`${volunteerServiceRecords.startedAt} < ${yearStart(year + 1)}`);
    }
    const rows = await recordsWhere(c, and(...where));
    return c.json({ records: rows.map((row) => toRecord(row)) }, 200);
  })
  .openapi(myHoursRoute, async (c) => {
    const account = await requireAccount(c);
    const year = c.req.valid("query").year ?? Number(shanghaiDate(now()).slice(0, 4));
    const db = c.var.db;
    const approved = sql<number>`coalesce(sum(CASE WHEN ${volunteerServiceRecords.status} = 'approved' THEN ${volunteerServiceRecords.minutes} END), 0)`;
    const pending = sql<number>`coalesce(sum(CASE WHEN ${volunteerServiceRecords.status} = 'pending' THEN ${volunteerServiceRecords.minutes} END), 0)`;
    const mine = and(
      eq(volunteers.accountId, account.id),
      inArray(volunteerServiceRecords.status, ["approved", "pending"]),
    ) as SQL;
    const inYear = and(
      mine,
      sql`${volunteerServiceRecords.startedAt} >= ${yearStart(year)}`,
      sql`${volunteerServiceRecords.startedAt} < ${yearStart(year + 1)}`,
    ) as SQL;
    const base = () =>
      db
        .select({ approved: approved.as("approved"), pending: pending.as("pending") })
        .from(volunteerServiceRecords)
        .innerJoin(volunteers, eq(volunteers.id, volunteerServiceRecords.volunteerId));
    const [months, orgs, kinds, [allTime]] = await Promise.all([
      db
        .select({ key: MONTH.as("month"), approved: approved.as("approved"), pending: pending.as("pending") })
        .from(volunteerServiceRecords)
        .innerJoin(volunteers, eq(volunteers.id, volunteerServiceRecords.volunteerId))
        .where(inYear)
        .groupBy(MONTH),
      db
        .select({
          key: volunteerServiceRecords.organisationId,
          label: organisations.name,
          approved: approved.as("approved"),
          pending: pending.as("pending"),
        })
        .from(volunteerServiceRecords)
        .innerJoin(volunteers, eq(volunteers.id, volunteerServiceRecords.volunteerId))
        .innerJoin(organisations, eq(organisations.id, volunteerServiceRecords.organisationId))
        .where(inYear)
        .groupBy(volunteerServiceRecords.organisationId),
      db
        .select({
          key: sql<string>`coalesce(${volunteerServiceRecords.category}, 'other')`.as("kind"),
          approved: approved.as("approved"),
          pending: pending.as("pending"),
        })
        .from(volunteerServiceRecords)
        .innerJoin(volunteers, eq(volunteers.id, volunteerServiceRecords.volunteerId))
        .where(inYear)
        .groupBy(sql`coalesce(${volunteerServiceRecords.category}, 'other')`),
      base().where(mine),
    ]);
    const sum = (list: Array<{ approved: number }>, key: "approved" | "pending") =>
      list.reduce((n, b) => n + Number((b as Record<string, number>)[key] ?? 0), 0);
    const bucket = (b: { key: string; label?: string | null; approved: number; pending: number }) => ({
      key: b.key,
      label: b.label ?? null,
      approved: Number(b.approved),
      pending: Number(b.pending),
    });
    return c.json(
      {
        year,
        approvedMinutes: sum(months, "approved"),
        pendingMinutes: sum(months, "pending"),
        allTimeApprovedMinutes: Number(allTime?.approved ?? 0),
        byMonth: months.map(bucket).sort((a, b) => a.key.localeCompare(b.key)),
        byOrganisation: orgs.map(bucket).sort((a, b) => b.approved + b.pending - (a.approved + a.pending)),
        byCategory: kinds.map(bucket).sort((a, b) => b.approved + b.pending - (a.approved + a.pending)),
      },
      200,
    );
  })
  .openapi(staffListRoute, async (c) => {
    const account = await requireStaff(c);
    const query = c.req.valid("query");
    const mine = isStreetAdmin(account) ? null : [...organisationScopes(account)];
    if (mine && mine.length === 0) throw new ApiError("FORBIDDEN", "Organisation staff only");
    const where: SQL[] = [];
    if (mine) where.push(inArray(volunteerServiceRecords.organisationId, mine));
    if (query.organisationId) where.push(eq(volunteerServiceRecords.organisationId, query.organisationId));
    if (query.slotId) where.push(eq(volunteerServiceRecords.slotId, query.slotId));
    if (query.status) where.push(eq(volunteerServiceRecords.status, query.status));
    const rows = await recordsWhere(c, and(...where));
    return c.json({ records: rows.map((row) => toRecord(row, true)) }, 200);
  })
  .openapi(entryRoute, async (c) => {
    const account = await requireStaff(c);
    const input = c.req.valid("json");
    if (!staffOf(account, input.organisationId)) {
      throw new ApiError("FORBIDDEN", "You record services for your own organisation only");
    }
    const db = c.var.db;
    const [volunteer] = await db
      .select({ id: volunteers.id, status: volunteers.status, personId: volunteers.personId })
      .from(volunteers)
      .where(eq(volunteers.number, input.number))
      .limit(1);
    if (!volunteer || !["approved", "suspended"].includes(volunteer.status)) {
      throw new ApiError("NOT_FOUND", "No registered volunteer has that number");
    }
    let offeringId: string | null = null;
    if (input.slotId) {
      const [shift] = await db
        .select({ offeringId: offerings.id, organisationId: offerings.organisationId })
        .from(slots)
        .innerJoin(offerings, eq(offerings.id, slots.offeringId))
        .where(eq(slots.id, input.slotId))
        .limit(1);
      if (!shift || shift.organisationId !== input.organisationId) throw new ApiError("NOT_FOUND", "Shift not found");
      offeringId = shift.offeringId;
    }
    const at = now();
    if (input.endedAt > at) throw new ApiError("VALIDATION_FAILED", "endedAt: a service is recorded once it is over");
    const id = newSortableId("vsr", at);
    await db.batch([
      insertWhere(
        db,
        volunteerServiceRecords,
        {
          id,
          volunteerId: volunteer.id,
          organisationId: input.organisationId,
          offeringId,
          slotId: input.slotId ?? null,
          title: input.title,
          category: input.category ?? null,
          startedAt: input.startedAt,
          endedAt: input.endedAt,
          minutes: Math.floor((input.endedAt - input.startedAt) / 60_000),
          source: "staff_entry",
          status: "pending",
          note: input.note ?? null,
          recordedByAccountId: account.id,
          createdAt: at,
          updatedAt: at,
        },
        sql`WHERE NOT EXISTS (SELECT 1 FROM ${volunteerServiceRecords} r
          WHERE r.volunteer_id = ${volunteer.id} AND r.status <> 'rejected'
            AND r.started_at < ${input.endedAt} AND coalesce(r.ended_at, r.started_at + ${AUTO_CLOSE_AFTER_MS}) > ${input.startedAt})`,
      ),
      auditInsert(
        c,
        {
          action: "service_record.enter",
          subjectType: "service_record",
          subjectId: id,
          personId: volunteer.personId,
          detail: { minutes: Math.floor((input.endedAt - input.startedAt) / 60_000) },
        },
        rowExists(volunteerServiceRecords, id),
      ),
    ]);
    const row = await oneRecord(c, eq(volunteerServiceRecords.id, id));
    if (!row) throw new ApiError("CONFLICT", "This volunteer already has a record overlapping these times");
    return c.json(toRecord(row, true), 201);
  })
  .openapi(patchRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { row } = await recordForStaff(c, id);
    const patch = c.req.valid("json");
    const before = row.record;
    if (before.status === "open" || before.status === "rejected") {
      throw new ApiError("CONFLICT", `A ${before.status} record cannot be corrected`);
    }
    const startedAt = patch.startedAt ?? before.startedAt;
    const endedAt = patch.endedAt ?? before.endedAt ?? startedAt;
    if (endedAt <= startedAt || endedAt - startedAt > 24 * HOUR) {
      throw new ApiError("VALIDATION_FAILED", "endedAt must be after startedAt, and a record lasts at most 24 hours");
    }
    const at = now();
    const db = c.var.db;
    const minutes = Math.floor((endedAt - startedAt) / 60_000);
    const [updated] = await db.batch([
      db
        .update(volunteerServiceRecords)
        .set({
          startedAt,
          endedAt,
          minutes,
          ...(patch.note !== undefined ? { note: patch.note } : {}),
          updatedAt: at,
        })
        .where(
          and(
            eq(volunteerServiceRecords.id, id),
            eq(volunteerServiceRecords.status, before.status),
            eq(volunteerServiceRecords.updatedAt, before.updatedAt),
          ),
        )
        .returning({ id: volunteerServiceRecords.id }),
      auditInsert(
        c,
        {
          action: before.status === "approved" ? "service_record.edit_after_approval" : "service_record.edit",
          subjectType: "service_record",
          subjectId: id,
          personId: row.volunteerPersonId,
          detail: {
            before: {
              startedAt: before.startedAt,
              endedAt: before.endedAt,
              minutes: before.minutes,
              note: before.note,
            },
            after: { startedAt, endedAt, minutes, note: patch.note !== undefined ? patch.note : before.note },
          },
        },
        sql`EXISTS (SELECT 1 FROM ${volunteerServiceRecords} WHERE ${volunteerServiceRecords.id} = ${id} AND ${volunteerServiceRecords.updatedAt} = ${at})`,
      ),
    ]);
    if (updated.length === 0) throw new ApiError("CONFLICT", "This record changed meanwhile");
    const after = await oneRecord(c, eq(volunteerServiceRecords.id, id));
    if (!after) throw new ApiError("NOT_FOUND", "Record not found");
    return c.json(toRecord(after, true), 200);
  })
  .openapi(approveRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { account, row } = await recordForStaff(c, id);
    if (row.record.status !== "pending") throw new ApiError("CONFLICT", `This record is ${row.record.status}`);
    const at = now();
    const db = c.var.db;
    const [updated] = await db.batch([
      db
        .update(volunteerServiceRecords)
        .set({ status: "approved", decidedAt: at, decidedByAccountId: account.id, reason: null, updatedAt: at })
        .where(and(eq(volunteerServiceRecords.id, id), eq(volunteerServiceRecords.status, "pending")))
        .returning({ id: volunteerServiceRecords.id }),
      auditInsert(
        c,
        {
          action: "service_record.approve",
          subjectType: "service_record",
          subjectId: id,
          personId: row.volunteerPersonId,
          detail: { minutes: row.record.minutes },
        },
        sql`EXISTS (SELECT 1 FROM ${volunteerServiceRecords} WHERE ${volunteerServiceRecords.id} = ${id} AND ${volunteerServiceRecords.status} = 'approved' AND ${volunteerServiceRecords.decidedAt} = ${at})`,
      ),
    ]);
    if (updated.length === 0) throw new ApiError("CONFLICT", "This record was decided meanwhile");
    const after = await oneRecord(c, eq(volunteerServiceRecords.id, id));
    if (!after) throw new ApiError("NOT_FOUND", "Record not found");
    return c.json(toRecord(after, true), 200);
  })
  .openapi(rejectRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { account, row } = await recordForStaff(c, id);
    const { reason } = c.req.valid("json");
    if (row.record.status !== "pending") throw new ApiError("CONFLICT", `This record is ${row.record.status}`);
    const at = now();
    const db = c.var.db;
    const changed = sql`EXISTS (SELECT 1 FROM ${volunteerServiceRecords} WHERE ${volunteerServiceRecords.id} = ${id} AND ${volunteerServiceRecords.status} = 'rejected' AND ${volunteerServiceRecords.decidedAt} = ${at})`;
    const [updated] = await db.batch([
      db
        .update(volunteerServiceRecords)
        .set({ status: "rejected", decidedAt: at, decidedByAccountId: account.id, reason, updatedAt: at })
        .where(and(eq(volunteerServiceRecords.id, id), eq(volunteerServiceRecords.status, "pending")))
        .returning({ id: volunteerServiceRecords.id }),
      auditInsert(
        c,
        {
          action: "service_record.reject",
          subjectType: "service_record",
          subjectId: id,
          personId: row.volunteerPersonId,
          detail: { reason },
        },
        changed,
      ),
      insertWhere(
        db,
        notifications,
        {
          id: newSortableId("ntf", at),
          accountId: row.volunteerAccountId,
          kind: "service_record_rejected",
          title: "服务时长未获认可",
          body: `“${row.record.title}”的服务记录未获认可：${reason}。`,
          link: "/volunteer/hours",
          params: { offering: row.record.title, reason },
          createdAt: at,
        },
        sql`WHERE ${changed}`,
      ),
    ]);
    if (updated.length === 0) throw new ApiError("CONFLICT", "This record was decided meanwhile");
    const after = await oneRecord(c, eq(volunteerServiceRecords.id, id));
    if (!after) throw new ApiError("NOT_FOUND", "Record not found");
    return c.json(toRecord(after, true), 200);
  })
  .openapi(bulkApproveRoute, async (c) => {
    const slotId = c.req.valid("param").id;
    const { account } = await shiftSlot(c, slotId, false);
    const at = now();
    const db = c.var.db;
    const [approved, , , [left]] = await db.batch([
      db
        .update(volunteerServiceRecords)
        .set({ status: "approved", decidedAt: at, decidedByAccountId: account.id, updatedAt: at })
        .where(
          and(
            eq(volunteerServiceRecords.slotId, slotId),
            eq(volunteerServiceRecords.status, "pending"),
            eq(volunteerServiceRecords.flagged, false),
          ),
        )
        .returning({ id: volunteerServiceRecords.id }),
      insertWhere(
        db,
        auditLog,
        {
          id: sql`'aud_' || lower(hex(randomblob(10)))`,
          at,
          actorAccountId: account.id,
          action: "service_record.approve",
          subjectType: "service_record",
          subjectId: sql`r.id`,
          personId: sql`v.person_id`,
          detail: sql`json_object('minutes', r.minutes, 'shift', ${slotId})`,
          requestId: c.var.requestId,
          ip: c.req.header("cf-connecting-ip") ?? null,
        },
        sql`FROM ${volunteerServiceRecords} r JOIN ${volunteers} v ON v.id = r.volunteer_id
          WHERE r.slot_id = ${slotId} AND r.decided_at = ${at} AND r.status = 'approved' AND r.decided_by_account_id = ${account.id}`,
      ),
      auditInsert(
        c,
        {
          action: "service_record.approve_shift",
          subjectType: "slot",
          subjectId: slotId,
          detail: sql`json_object('approved', (SELECT count(*) FROM ${volunteerServiceRecords} WHERE ${volunteerServiceRecords.slotId} = ${slotId} AND ${volunteerServiceRecords.decidedAt} = ${at} AND ${volunteerServiceRecords.status} = 'approved'))`,
        },
        sql`EXISTS (SELECT 1 FROM ${volunteerServiceRecords} WHERE ${volunteerServiceRecords.slotId} = ${slotId} AND ${volunteerServiceRecords.decidedAt} = ${at} AND ${volunteerServiceRecords.status} = 'approved')`,
      ),
      db
        .select({ n: sql<number>`count(*)`.as("n") })
        .from(volunteerServiceRecords)
        .where(
          and(
            eq(volunteerServiceRecords.slotId, slotId),
            sql`(${volunteerServiceRecords.status} = 'open' OR (${volunteerServiceRecords.status} = 'pending' AND ${volunteerServiceRecords.flagged} = 1))`,
          ),
        ),
    ]);
    return c.json({ approved: approved.length, left: Number(left?.n ?? 0) }, 200);
  });
