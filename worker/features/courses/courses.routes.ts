import { createRoute } from "@hono/zod-openapi";
import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import {
  accounts,
  bookings,
  courseAttendance,
  courseCertificates,
  courseDetails,
  courseSessions,
  facilities,
  offerings,
  organisations,
  persons,
  slots,
} from "../../../db/schema";
import type { AppEnv, SessionAccount } from "../../env";
import { auditInsert } from "../../lib/audit";
import { isStreetAdmin, organisationScopes, requireAccount, requireStaff, staffOfOrganisation } from "../../lib/authz";
import { clientIp } from "../../lib/client-ip";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { insertWhere } from "../../lib/insert-where";
import { maskName } from "../../lib/mask-name";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, NoQuery } from "../../lib/openapi";
import { maskPhone } from "../../lib/phone";
import { hit } from "../../lib/rate-limit";
import { shanghaiDate } from "../../lib/shanghai";
import { deliverSoon } from "../../lib/sms";
import { HOUR, now } from "../../lib/time";
import { currentAccount } from "../../middleware/session";
import { BOOKING_SCOPES, bookingNotices } from "../bookings/bookings.queries";
import { dropQueuedReminders } from "../bookings/reminders";
import { findFacility } from "../facilities/facilities.queries";
import { personsInScope } from "../persons/persons.queries";
import { IdParam } from "../persons/persons.schema";
import { coursePdf } from "./course-documents";
import {
  AttendanceInput,
  CertificateCheck,
  CertificateNumberParam,
  CompletionResult,
  Course,
  CourseCancel,
  type CourseCategory,
  CourseInput,
  CourseList,
  CourseListQuery,
  CourseParams,
  CoursePatch,
  Roster,
  SessionParams,
  sessionsNeeded,
  sessionTimes,
} from "./courses.schema";

const TAGS = ["courses"];
const VERIFICATIONS_PER_HOUR = 120;
/** Attendance may be taken from a little before a session starts. */
const ATTENDANCE_EARLY_MS = 30 * 60_000;

const listRoute = createRoute({
  method: "get",
  path: "/courses",
  tags: TAGS,
  summary: "Training courses not yet over, soonest first, with seats left",
  request: { query: CourseListQuery },
  responses: { 200: jsonResponse(CourseList, "Courses"), ...errors(400) },
});

const oneRoute = createRoute({
  method: "get",
  path: "/courses/{id}",
  tags: TAGS,
  summary: "One course with its sessions; the class link and my enrolments for those enrolled",
  request: { params: CourseParams, query: NoQuery },
  responses: { 200: jsonResponse(Course, "Course"), ...errors(400, 404) },
});

const createCourseRoute = createRoute({
  method: "post",
  path: "/courses",
  tags: TAGS,
  summary: "Publish a course of my organisation: its sessions from dates or a pattern, its seats",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(CourseInput) },
  responses: { 201: jsonResponse(Course, "Published"), ...errors(400, 401, 403, 404) },
});

const staffListRoute = createRoute({
  method: "get",
  path: "/staff/courses",
  tags: TAGS,
  summary: "My organisations' courses (street admins: all), newest first",
  security: cookieAuth,
  request: { query: NoQuery },
  responses: { 200: jsonResponse(CourseList, "Courses"), ...errors(401, 403) },
});

const rosterRoute = createRoute({
  method: "get",
  path: "/courses/{id}/roster",
  tags: TAGS,
  summary: "Who is enrolled (phones masked) and their attendance per session (the course's staff)",
  security: cookieAuth,
  request: { params: CourseParams, query: NoQuery },
  responses: { 200: jsonResponse(Roster, "Roster"), ...errors(401, 404) },
});

const attendanceRoute = createRoute({
  method: "put",
  path: "/courses/{id}/sessions/{sessionId}/attendance",
  tags: TAGS,
  summary: "Mark enrolments present or absent at a session that has begun (the course's staff)",
  security: cookieAuth,
  request: { params: SessionParams, query: NoQuery, ...jsonBody(AttendanceInput) },
  responses: { 200: jsonResponse(Roster, "Roster"), ...errors(400, 401, 404, 409) },
});

const completeRoute = createRoute({
  method: "post",
  path: "/courses/{id}/complete",
  tags: TAGS,
  summary:
    "Close the course once its last session has begun: enrolments attending enough sessions complete it (with a certificate when the course gives one), the others do not",
  security: cookieAuth,
  request: { params: CourseParams, query: NoQuery },
  responses: { 200: jsonResponse(CompletionResult, "Closed"), ...errors(401, 404, 409) },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/courses/{id}",
  tags: TAGS,
  summary: "Correct a course's description, place, class link, who may enrol or contact (the course's staff)",
  security: cookieAuth,
  request: { params: CourseParams, query: NoQuery, ...jsonBody(CoursePatch) },
  responses: { 200: jsonResponse(Course, "Changed"), ...errors(400, 401, 404, 409) },
});

const cancelRoute = createRoute({
  method: "post",
  path: "/courses/{id}/cancel",
  tags: TAGS,
  summary:
    "Call a course off before it ends: its enrolments and remaining sessions are cancelled, everyone enrolled is told",
  security: cookieAuth,
  request: { params: CourseParams, query: NoQuery, ...jsonBody(CourseCancel) },
  responses: { 200: jsonResponse(Course, "Cancelled"), ...errors(400, 401, 404, 409) },
});

const pdfRoute = createRoute({
  method: "get",
  path: "/course-certificates/{id}/certificate.pdf",
  tags: TAGS,
  summary: "A completion certificate as PDF (its holder, a person acting for them, the course's staff)",
  security: cookieAuth,
  request: { params: IdParam, query: NoQuery },
  responses: {
    200: { description: "PDF", content: { "application/pdf": { schema: { type: "string", format: "binary" } } } },
    ...errors(401, 404),
  },
});

const verifyRoute = createRoute({
  method: "get",
  path: "/course-certificates/verify/{number}",
  tags: TAGS,
  summary: "Check a completion certificate by its number (anyone; the name masked)",
  request: { params: CertificateNumberParam, query: NoQuery },
  responses: { 200: jsonResponse(CertificateCheck, "Certificate"), ...errors(400, 404, 429) },
});

// ---------- queries ----------

/** Persons whose course records the account reads: its own, and those it may book for (not a health-only proxy). */
function coursePersons(c: Context<AppEnv>, accountId: string) {
  return personsInScope(c.var.db, accountId, BOOKING_SCOPES);
}

const SESSION_COUNT = sql<number>`(SELECT count(*) FROM ${courseSessions} cs
  WHERE cs.offering_id = ${offerings.id} AND cs.status = 'scheduled')`.mapWith(Number);
const FIRST_START = sql<number>`(SELECT min(cs.starts_at) FROM ${courseSessions} cs
  WHERE cs.offering_id = ${offerings.id} AND cs.status = 'scheduled')`.mapWith(Number);
const LAST_END = sql<number>`(SELECT max(cs.ends_at) FROM ${courseSessions} cs
  WHERE cs.offering_id = ${offerings.id} AND cs.status = 'scheduled')`.mapWith(Number);

function selectCourses(c: Context<AppEnv>, where: SQL | undefined) {
  return c.var.db
    .select({
      offering: offerings,
      details: courseDetails,
      organisationName: organisations.name,
      facilityName: facilities.name,
      capacity: slots.capacity,
      held: slots.heldCount,
      sessionCount: SESSION_COUNT,
      firstStartsAt: FIRST_START,
      lastEndsAt: LAST_END,
    })
    .from(courseDetails)
    .innerJoin(offerings, eq(offerings.id, courseDetails.offeringId))
    .innerJoin(organisations, eq(organisations.id, offerings.organisationId))
    .innerJoin(slots, eq(slots.id, courseDetails.slotId))
    .leftJoin(facilities, eq(facilities.id, offerings.facilityId))
    .where(where);
}
type CourseRow = Awaited<ReturnType<typeof selectCourses>>[number];

function toSummary(row: CourseRow) {
  return {
    id: row.offering.id,
    title: row.offering.title,
    category: row.offering.category as CourseCategory,
    mode: row.details.mode,
    organisationId: row.offering.organisationId,
    organisationName: row.organisationName,
    facilityId: row.offering.facilityId,
    facilityName: row.facilityName,
    placeText: row.details.placeText,
    priceFen: row.offering.priceFen,
    minAge: row.offering.minAge,
    seats: row.capacity,
    seatsLeft: Math.max(0, row.capacity - row.held),
    waitlist: row.offering.waitlist,
    sessionCount: row.sessionCount,
    firstStartsAt: row.firstStartsAt,
    lastEndsAt: row.lastEndsAt,
    slotId: row.details.slotId,
    begun: row.firstStartsAt <= now(),
  };
}

async function loadCourse(c: Context<AppEnv>, id: string) {
  const [row] = await selectCourses(c, eq(courseDetails.offeringId, id)).limit(1);
  if (!row) throw new ApiError("NOT_FOUND", "Course not found");
  return row;
}

/** The course for its organisation's staff (and street admins); 404 for anyone else. */
async function managedCourse(c: Context<AppEnv>, id: string) {
  const account = await requireAccount(c);
  const row = await loadCourse(c, id);
  if (!staffOfOrganisation(account, row.offering.organisationId)) throw new ApiError("NOT_FOUND", "Course not found");
  return { account, row };
}

async function sessionsOf(c: Context<AppEnv>, offeringId: string) {
  return c.var.db
    .select({
      id: courseSessions.id,
      seq: courseSessions.seq,
      startsAt: courseSessions.startsAt,
      endsAt: courseSessions.endsAt,
      status: courseSessions.status,
    })
    .from(courseSessions)
    .where(eq(courseSessions.offeringId, offeringId))
    .orderBy(asc(courseSessions.seq));
}

const ATTENDED = sql<number>`(SELECT count(*) FROM ${courseAttendance} a
  JOIN ${courseSessions} s ON s.id = a.session_id
  WHERE a.booking_id = ${bookings.id} AND a.present = 1 AND s.status = 'scheduled')`.mapWith(Number);

/** The reader's and their proxied persons' enrolments on the course (the newest per person first). */
async function myEnrolments(c: Context<AppEnv>, account: SessionAccount | null, slotId: string) {
  if (!account) return [];
  const personIds = await coursePersons(c, account.id);
  if (personIds.length === 0) return [];
  const rows = await c.var.db
    .select({
      bookingId: bookings.id,
      personId: bookings.personId,
      personName: persons.name,
      status: bookings.status,
      attended: ATTENDED,
      certificateId: courseCertificates.id,
      certificateNumber: courseCertificates.number,
      certificateStatus: courseCertificates.status,
    })
    .from(bookings)
    .innerJoin(persons, eq(persons.id, bookings.personId))
    .leftJoin(
      courseCertificates,
      and(eq(courseCertificates.bookingId, bookings.id), eq(courseCertificates.status, "valid")),
    )
    .where(
      and(eq(bookings.slotId, slotId), inArray(bookings.personId, personIds), sql`${bookings.status} <> 'cancelled'`),
    )
    .orderBy(asc(bookings.createdAt));
  return rows.map((r) => ({
    bookingId: r.bookingId,
    personId: r.personId,
    personName: r.personName,
    status: r.status,
    attended: r.attended,
    certificate:
      r.certificateId && r.certificateNumber && r.certificateStatus
        ? { id: r.certificateId, number: r.certificateNumber, status: r.certificateStatus }
        : null,
  }));
}

const HOLDS_PLACE = ["pending", "confirmed", "checked_in", "completed"];

async function answer(c: Context<AppEnv>, row: CourseRow, account: SessionAccount | null) {
  const canManage = !!account && staffOfOrganisation(account, row.offering.organisationId);
  const [sessions, mine] = await Promise.all([
    sessionsOf(c, row.offering.id),
    myEnrolments(c, account, row.details.slotId),
  ]);
  const enrolled = mine.some((m) => HOLDS_PLACE.includes(m.status));
  return {
    ...toSummary(row),
    description: row.offering.description,
    eligibility: row.details.eligibility,
    contact: row.details.contact,
    completionPercent: row.details.completionPercent,
    certificate: row.details.certificate,
    opensDaysBefore: row.offering.opensDaysBefore,
    closesHoursBefore: row.offering.closesHoursBefore,
    sessions,
    onlineLink: canManage || enrolled ? row.details.onlineLink : null,
    mine,
    canManage,
    closedAt: row.details.completedAt,
    cancelledAt: row.details.cancelledAt,
    cancelReason: row.details.cancelReason,
  };
}

async function roster(c: Context<AppEnv>, row: CourseRow) {
  const db = c.var.db;
  const [sessions, enrolments, marks] = await Promise.all([
    sessionsOf(c, row.offering.id),
    db
      .select({
        bookingId: bookings.id,
        personName: persons.name,
        personPhone: persons.phone,
        accountPhone: accounts.phone,
        status: bookings.status,
        certificateNumber: courseCertificates.number,
      })
      .from(bookings)
      .innerJoin(persons, eq(persons.id, bookings.personId))
      .leftJoin(accounts, eq(accounts.id, persons.accountId))
      .leftJoin(
        courseCertificates,
        and(eq(courseCertificates.bookingId, bookings.id), eq(courseCertificates.status, "valid")),
      )
      .where(
        and(
          eq(bookings.slotId, row.details.slotId),
          inArray(bookings.status, ["pending", "confirmed", "checked_in", "completed", "no_show", "waitlisted"]),
        ),
      )
      .orderBy(asc(bookings.createdAt)),
    db
      .select({
        sessionId: courseAttendance.sessionId,
        bookingId: courseAttendance.bookingId,
        present: courseAttendance.present,
      })
      .from(courseAttendance)
      .innerJoin(courseSessions, eq(courseSessions.id, courseAttendance.sessionId))
      .where(eq(courseSessions.offeringId, row.offering.id)),
  ]);
  const held = sessions.filter((s) => s.status === "scheduled").length;
  return {
    sessions,
    needed: sessionsNeeded(held, row.details.completionPercent),
    enrolments: enrolments.map((e) => ({
      bookingId: e.bookingId,
      personName: e.personName,
      phoneMasked: maskPhone(e.accountPhone ?? e.personPhone),
      status: e.status,
      present: marks.filter((m) => m.bookingId === e.bookingId && m.present).map((m) => m.sessionId),
      absent: marks.filter((m) => m.bookingId === e.bookingId && !m.present).map((m) => m.sessionId),
      certificateNumber: e.certificateNumber,
    })),
  };
}

/** Rows per INSERT so that no statement binds more than D1's 100 parameters. */
function chunks<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(99 / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export const coursesRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { category } = c.req.valid("query");
    const where: SQL[] = [eq(offerings.kind, "training"), eq(offerings.status, "active"), sql`${LAST_END} > ${now()}`];
    if (category) where.push(eq(offerings.category, category));
    const rows = await selectCourses(c, and(...where))
      .orderBy(FIRST_START)
      .limit(200);
    return c.json({ courses: rows.map(toSummary) }, 200);
  })
  .openapi(oneRoute, async (c) => {
    const account = await currentAccount(c);
    const row = await loadCourse(c, c.req.valid("param").id);
    if (row.offering.status !== "active" && !(account && staffOfOrganisation(account, row.offering.organisationId))) {
      throw new ApiError("NOT_FOUND", "Course not found");
    }
    return c.json(await answer(c, row, account), 200);
  })
  .openapi(staffListRoute, async (c) => {
    const account = await requireStaff(c);
    const mine = [...organisationScopes(account)];
    if (!isStreetAdmin(account) && mine.length === 0) throw new ApiError("FORBIDDEN", "Organisation staff only");
    const rows = await selectCourses(c, isStreetAdmin(account) ? undefined : inArray(offerings.organisationId, mine))
      .orderBy(sql`${offerings.createdAt} DESC`)
      .limit(200);
    return c.json({ courses: rows.map(toSummary) }, 200);
  })
  .openapi(createCourseRoute, async (c) => {
    const account = await requireStaff(c);
    const input = c.req.valid("json");
    if (!staffOfOrganisation(account, input.organisationId)) {
      throw new ApiError("FORBIDDEN", "You publish courses for your own organisation only");
    }
    const [org] = await c.var.db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.id, input.organisationId))
      .limit(1);
    if (!org) throw new ApiError("NOT_FOUND", "Organisation not found");
    if (input.facilityId && !(await findFacility(c.var.db, input.facilityId))) {
      throw new ApiError("NOT_FOUND", "Facility not found");
    }
    const { times, problem } = sessionTimes(input.schedule);
    if (problem) throw new ApiError("VALIDATION_FAILED", `schedule: ${problem}`);
    const at = now();
    const first = times[0];
    const last = times.at(-1);
    if (!first || !last) throw new ApiError("VALIDATION_FAILED", "schedule: no session");
    if (first.startsAt <= at) throw new ApiError("VALIDATION_FAILED", "schedule: the first session has begun already");
    const id = newId("off");
    const slotId = newId("slt");
    const db = c.var.db;
    const sessionRows = times.map((t, i) => ({
      id: newId("ses"),
      offeringId: id,
      seq: i + 1,
      startsAt: t.startsAt,
      endsAt: t.endsAt,
      status: "scheduled" as const,
    }));
    await db.batch([
      db.insert(offerings).values({
        id,
        organisationId: input.organisationId,
        facilityId: input.facilityId,
        kind: "training",
        category: input.category,
        title: input.title,
        description: input.description,
        priceFen: input.priceFen,
        minAge: input.minAge,
        opensDaysBefore: input.opensDaysBefore,
        closesHoursBefore: input.closesHoursBefore,
        cancelCutoffHours: input.closesHoursBefore,
        waitlist: input.waitlist,
        maxActivePerPerson: 1,
        status: "active",
        createdAt: at,
        updatedAt: at,
      }),
      // The enrolment: from the first session's start (enrolment closes before it) to the last one's end.
      db.insert(slots).values({
        id: slotId,
        offeringId: id,
        startsAt: first.startsAt,
        endsAt: last.endsAt,
        capacity: input.seats,
        createdAt: at,
        updatedAt: at,
      }),
      db.insert(courseDetails).values({
        offeringId: id,
        slotId,
        mode: input.mode,
        placeText: input.placeText,
        onlineLink: input.onlineLink,
        eligibility: input.eligibility,
        completionPercent: input.completionPercent,
        certificate: input.certificate,
        contact: input.contact,
        createdByAccountId: account.id,
        updatedAt: at,
      }),
      ...chunks(sessionRows, 6).map((rows) => db.insert(courseSessions).values(rows)),
      auditInsert(c, {
        action: "course.create",
        subjectType: "offering",
        subjectId: id,
        detail: { title: input.title, sessions: times.length, seats: input.seats },
      }),
    ]);
    return c.json(await answer(c, await loadCourse(c, id), account), 201);
  })
  .openapi(rosterRoute, async (c) => {
    const { row } = await managedCourse(c, c.req.valid("param").id);
    return c.json(await roster(c, row), 200);
  })
  .openapi(attendanceRoute, async (c) => {
    const { id, sessionId } = c.req.valid("param");
    const { account, row } = await managedCourse(c, id);
    const { present, absent } = c.req.valid("json");
    const both = [...present, ...absent];
    if (new Set(both).size !== both.length) throw new ApiError("VALIDATION_FAILED", "List each enrolment once");
    if (both.length === 0) throw new ApiError("VALIDATION_FAILED", "Mark at least one enrolment");
    const db = c.var.db;
    const [session] = await db
      .select()
      .from(courseSessions)
      .where(and(eq(courseSessions.id, sessionId), eq(courseSessions.offeringId, id)))
      .limit(1);
    if (!session) throw new ApiError("NOT_FOUND", "Session not found");
    const at = now();
    if (session.status !== "scheduled") throw new ApiError("CONFLICT", "This session was cancelled");
    if (session.startsAt - ATTENDANCE_EARLY_MS > at) throw new ApiError("CONFLICT", "This session has not begun");
    if (row.details.completedAt !== null || row.details.cancelledAt !== null) {
      throw new ApiError("CONFLICT", "The course is closed");
    }
    // Read by status, not by the ids given (a list of hundreds would pass D1's bound-parameter limit).
    const holding = new Set(
      (
        await db
          .select({ id: bookings.id })
          .from(bookings)
          .where(and(eq(bookings.slotId, row.details.slotId), inArray(bookings.status, ["confirmed", "checked_in"])))
      ).map((b) => b.id),
    );
    if (!both.every((b) => holding.has(b))) {
      throw new ApiError("VALIDATION_FAILED", "Only enrolments holding a seat on this course can be marked");
    }
    const open = sql`EXISTS (SELECT 1 FROM ${courseDetails} WHERE ${courseDetails.offeringId} = ${id}
      AND ${courseDetails.completedAt} IS NULL AND ${courseDetails.cancelledAt} IS NULL)`;
    const marks = JSON.stringify(both.map((b) => ({ b, p: present.includes(b) ? 1 : 0 })));
    await db.batch([
      auditInsert(
        c,
        {
          action: "course.attendance",
          subjectType: "offering",
          subjectId: id,
          detail: { sessionId, present: present.length, absent: absent.length },
        },
        open,
      ),
      // Every mark in one statement (one bound list), and only while the course is open: none
      // lands after it was closed. Marked again, the last mark counts.
      insertWhere(
        db,
        courseAttendance,
        {
          sessionId,
          bookingId: sql`json_extract(j.value, '$.b')`,
          present: sql`json_extract(j.value, '$.p')`,
          recordedByAccountId: account.id,
          recordedAt: at,
        },
        // Each mark also checks its enrolment still holds a seat (one cancelled meanwhile is left out).
        sql`FROM json_each(${marks}) j WHERE ${open} AND EXISTS (SELECT 1 FROM ${bookings} b
          WHERE b.id = json_extract(j.value, '$.b') AND b.status IN ('confirmed', 'checked_in'))`,
      ).onConflictDoUpdate({
        target: [courseAttendance.sessionId, courseAttendance.bookingId],
        set: {
          present: sql`excluded.present`,
          recordedByAccountId: sql`excluded.recorded_by_account_id`,
          recordedAt: sql`excluded.recorded_at`,
        },
      }),
    ]);
    return c.json(await roster(c, await loadCourse(c, id)), 200);
  })
  .openapi(completeRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { row } = await managedCourse(c, id);
    const db = c.var.db;
    const at = now();
    const sessions = (await sessionsOf(c, id)).filter((s) => s.status === "scheduled");
    // After the last session, so its attendance counts (and can be taken) before completion is decided.
    const lastEnd = sessions.at(-1)?.endsAt ?? Number.POSITIVE_INFINITY;
    if (lastEnd > at) throw new ApiError("CONFLICT", "The last session is not over");
    if (row.details.completedAt !== null) throw new ApiError("CONFLICT", "The course is closed already");
    if (row.details.cancelledAt !== null) throw new ApiError("CONFLICT", "This course was cancelled");
    const needed = sessionsNeeded(sessions.length, row.details.completionPercent);
    const slotId = row.details.slotId;
    const closedNow = sql`EXISTS (SELECT 1 FROM ${courseDetails} WHERE ${courseDetails.offeringId} = ${id}
      AND ${courseDetails.completedAt} = ${at})`;
    const attended = sql`(SELECT count(*) FROM ${courseAttendance} a JOIN ${courseSessions} s ON s.id = a.session_id
      WHERE a.booking_id = ${bookings.id} AND a.present = 1 AND s.status = 'scheduled')`;
    const year = shanghaiDate(at).slice(0, 4);
    const completers = sql`FROM ${bookings} JOIN ${persons} p ON p.id = ${bookings.personId}
      WHERE ${bookings.slotId} = ${slotId} AND ${bookings.status} = 'completed' AND ${bookings.completedAt} = ${at}`;
    const completedOn = shanghaiDate(sessions.at(-1)?.startsAt ?? at);
    const [closed] = await db.batch([
      db
        .update(courseDetails)
        .set({ completedAt: at, updatedAt: at })
        .where(
          and(
            eq(courseDetails.offeringId, id),
            sql`${courseDetails.completedAt} IS NULL`,
            sql`${courseDetails.cancelledAt} IS NULL`,
          ),
        )
        .returning({ id: courseDetails.offeringId }),
      db
        .update(bookings)
        .set({ status: "completed", completedAt: at, updatedAt: at })
        .where(
          and(
            eq(bookings.slotId, slotId),
            inArray(bookings.status, ["confirmed", "checked_in"]),
            sql`${attended} >= ${needed}`,
            closedNow,
          ),
        ),
      // Not enough sessions attended: the enrolment ends without completing (worded 未结业 for courses).
      db
        .update(bookings)
        .set({ status: "no_show", updatedAt: at })
        .where(
          and(eq(bookings.slotId, slotId), inArray(bookings.status, ["confirmed", "checked_in", "pending"]), closedNow),
        ),
      // Still waiting for a seat when the course is over: the wait ends.
      db
        .update(bookings)
        .set({ status: "cancelled", cancelledAt: at, updatedAt: at })
        .where(and(eq(bookings.slotId, slotId), eq(bookings.status, "waitlisted"), closedNow)),
      ...(row.details.certificate
        ? [
            insertWhere(
              db,
              courseCertificates,
              {
                id: sql`'ccr_' || lower(hex(randomblob(8)))`,
                number: sql`'JZT-' || ${year} || '-' || substr(hex(randomblob(5)), 1, 5) || '-' || substr(hex(randomblob(5)), 1, 5)`,
                bookingId: sql`${bookings.id}`,
                offeringId: id,
                personId: sql`${bookings.personId}`,
                organisationId: row.offering.organisationId,
                personName: sql`p.name`,
                courseTitle: row.offering.title,
                organisationName: row.organisationName,
                sessionsAttended: attended,
                sessionsHeld: sessions.length,
                completedOn,
                status: "valid",
                issuedAt: at,
              },
              completers,
            ),
          ]
        : []),
      ...bookingNotices(
        db,
        sql`${bookings.slotId} = ${slotId} AND ${bookings.status} = 'completed' AND ${bookings.completedAt} = ${at}`,
        {
          kind: "course_completed",
          title: "课程已结业",
          body: `{person}已完成课程“${row.offering.title}”（${row.organisationName}）${row.details.certificate ? "，结业证书已发放。" : "。"}`,
          params: { offering: row.offering.title, organisation: row.organisationName },
          dedupePrefix: "course-completed:",
        },
        at,
      ),
      auditInsert(
        c,
        { action: "course.complete", subjectType: "offering", subjectId: id, detail: { needed } },
        closedNow,
      ),
    ]);
    if (closed.length === 0) throw new ApiError("CONFLICT", "The course was closed meanwhile");
    const [counts] = await db
      .select({
        completed: sql<number>`count(*) FILTER (WHERE ${bookings.status} = 'completed')`.mapWith(Number),
        notCompleted: sql<number>`count(*) FILTER (WHERE ${bookings.status} = 'no_show')`.mapWith(Number),
      })
      .from(bookings)
      .where(eq(bookings.slotId, slotId));
    const [certificates] = await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(courseCertificates)
      .where(and(eq(courseCertificates.offeringId, id), eq(courseCertificates.status, "valid")));
    return c.json(
      {
        completed: counts?.completed ?? 0,
        notCompleted: counts?.notCompleted ?? 0,
        certificates: certificates?.n ?? 0,
      },
      200,
    );
  })
  .openapi(patchRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { account, row } = await managedCourse(c, id);
    if (row.details.cancelledAt !== null) throw new ApiError("CONFLICT", "This course was cancelled");
    if (row.details.completedAt !== null) throw new ApiError("CONFLICT", "This course is closed");
    const patch = c.req.valid("json");
    const mode = row.details.mode;
    const placeText = patch.placeText === undefined ? row.details.placeText : patch.placeText;
    const onlineLink = patch.onlineLink === undefined ? row.details.onlineLink : patch.onlineLink;
    if (mode !== "online" && !row.offering.facilityId && !placeText) {
      throw new ApiError("VALIDATION_FAILED", "placeText: say where it is held");
    }
    if (mode !== "in_person" && !onlineLink)
      throw new ApiError("VALIDATION_FAILED", "onlineLink: the class link is needed");
    const { description, ...details } = patch;
    const at = now();
    const db = c.var.db;
    await db.batch([
      db
        .update(courseDetails)
        .set({ ...details, updatedAt: at })
        .where(eq(courseDetails.offeringId, id)),
      db
        .update(offerings)
        .set({ ...(description === undefined ? {} : { description }), updatedAt: at })
        .where(eq(offerings.id, id)),
      auditInsert(c, {
        action: "course.update",
        subjectType: "offering",
        subjectId: id,
        detail: { fields: Object.keys(patch) },
      }),
    ]);
    return c.json(await answer(c, await loadCourse(c, id), account), 200);
  })
  .openapi(cancelRoute, async (c) => {
    const id = c.req.valid("param").id;
    const { account, row } = await managedCourse(c, id);
    const { reason } = c.req.valid("json");
    const at = now();
    if (row.details.cancelledAt !== null) throw new ApiError("CONFLICT", "This course was cancelled already");
    if (row.details.completedAt !== null || row.lastEndsAt <= at) throw new ApiError("CONFLICT", "This course is over");
    const slotId = row.details.slotId;
    const db = c.var.db;
    const cancelledNow = sql`EXISTS (SELECT 1 FROM ${courseDetails} WHERE ${courseDetails.offeringId} = ${id}
      AND ${courseDetails.cancelledAt} = ${at})`;
    const [cancelled] = await db.batch([
      db
        .update(courseDetails)
        .set({ cancelledAt: at, cancelReason: reason, updatedAt: at })
        .where(
          and(
            eq(courseDetails.offeringId, id),
            sql`${courseDetails.cancelledAt} IS NULL`,
            sql`${courseDetails.completedAt} IS NULL`,
          ),
        )
        .returning({ id: courseDetails.offeringId }),
      db
        .update(offerings)
        .set({ status: "archived", updatedAt: at })
        .where(and(eq(offerings.id, id), cancelledNow)),
      db
        .update(slots)
        .set({ status: "cancelled", updatedAt: at })
        .where(and(eq(slots.id, slotId), cancelledNow)),
      db
        .update(courseSessions)
        .set({ status: "cancelled" })
        .where(and(eq(courseSessions.offeringId, id), sql`${courseSessions.startsAt} > ${at}`, cancelledNow)),
      db
        .update(bookings)
        .set({ status: "cancelled", cancelledAt: at, cancelledByAccountId: account.id, updatedAt: at })
        .where(
          and(
            eq(bookings.slotId, slotId),
            inArray(bookings.status, ["pending", "confirmed", "waitlisted", "checked_in"]),
            cancelledNow,
          ),
        ),
      dropQueuedReminders(db, sql`${bookings.slotId} = ${slotId} AND ${cancelledNow}`),
      auditInsert(
        c,
        { action: "course.cancel", subjectType: "offering", subjectId: id, detail: { reason } },
        cancelledNow,
      ),
      ...bookingNotices(
        db,
        sql`${bookings.slotId} = ${slotId} AND ${bookings.status} = 'cancelled' AND ${bookings.cancelledAt} = ${at}
          AND ${bookings.cancelledByAccountId} = ${account.id} AND ${cancelledNow}`,
        {
          kind: "slot_cancelled",
          title: "课程取消",
          body: `{person}：很抱歉，课程“${row.offering.title}”已取消，${reason}。`,
          params: { offering: row.offering.title, startsAt: row.firstStartsAt, reason },
          dedupePrefix: "course-cancelled:",
          sms: true,
        },
        at,
      ),
    ]);
    if (cancelled.length === 0) throw new ApiError("CONFLICT", "This course was closed or cancelled meanwhile");
    deliverSoon(c);
    return c.json(await answer(c, await loadCourse(c, id), account), 200);
  })
  .openapi(pdfRoute, async (c) => {
    const account = await requireAccount(c);
    const id = c.req.valid("param").id;
    const [certificate] = await c.var.db
      .select()
      .from(courseCertificates)
      .where(eq(courseCertificates.id, id))
      .limit(1);
    const mayRead =
      certificate &&
      (staffOfOrganisation(account, certificate.organisationId) ||
        (await coursePersons(c, account.id)).includes(certificate.personId));
    if (!certificate || !mayRead) throw new ApiError("NOT_FOUND", "Certificate not found");
    const url = `${new URL(c.req.url).origin}/verify/${certificate.number}`;
    const pdf = coursePdf(certificate, url, now());
    return c.body(pdf.buffer as ArrayBuffer, 200, {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${certificate.number}.pdf"`,
      "Cache-Control": "private, no-store",
    });
  })
  .openapi(verifyRoute, async (c) => {
    const { number } = c.req.valid("param");
    const at = now();
    if (!(await hit(c.var.db, `cert_verify:ip:${clientIp(c)}`, HOUR, VERIFICATIONS_PER_HOUR, at))) {
      throw new ApiError("RATE_LIMITED", "Too many checks from this network; try later");
    }
    const [row] = await c.var.db
      .select()
      .from(courseCertificates)
      .where(eq(courseCertificates.number, number))
      .limit(1);
    if (!row) throw new ApiError("NOT_FOUND", "No certificate has this number");
    return c.json(
      {
        number: row.number,
        status: row.status,
        nameMasked: maskName(row.personName),
        courseTitle: row.courseTitle,
        organisationName: row.organisationName,
        sessionsAttended: row.sessionsAttended,
        sessionsHeld: row.sessionsHeld,
        completedOn: row.completedOn,
        issuedAt: row.issuedAt,
      },
      200,
    );
  });
