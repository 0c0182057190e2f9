import { createRoute } from "@hono/zod-openapi";
import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { Context } from "hono";
import { z } from "zod";
import type { Db } from "../../../db";
import {
  type BookingStatus,
  bookings,
  courseDetails,
  doctors,
  eventDetails,
  offerings,
  proxyLinks,
  roleGrants,
  slots,
} from "../../../db/schema";
import type { AppEnv, SessionAccount } from "../../env";
import { auditInsert } from "../../lib/audit";
import { requireAccount, requireStaff, staffOfOrganisation } from "../../lib/authz";
import { runBatch } from "../../lib/batch";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { rowExists } from "../../lib/insert-where";
import { cookieAuth, createRouter, errors, jsonBody, jsonResponse, jsonText, NoQuery } from "../../lib/openapi";
import { maskPhone } from "../../lib/phone";
import { bound, prepared, runBound } from "../../lib/prepared";
import { formatWhen, fromShanghai, isoWeekday, shanghaiDate, shanghaiTime } from "../../lib/shanghai";
import { deliverSoon } from "../../lib/sms";
import { DAY, now } from "../../lib/time";
import { accountWith, currentAccount, runAsSession, sessionWith } from "../../middleware/session";
import { findFacility } from "../facilities/facilities.queries";
import { noticeInserts } from "../notifications/notifications.queries";
import { changedFields, findPerson } from "../persons/persons.queries";
import { findOrganisation } from "../places/places.queries";
import { teamOfOrganisation, volunteerTeamsOf } from "../volunteers/volunteers.queries";
import {
  activeOnSlot,
  BOOKING_SCOPES,
  type BookedWithKey,
  bookedWithKeyQuery,
  bookingChangedAt,
  bookingChangedNow,
  bookingContextQueries,
  bookingNotices,
  bookingSummariesJson,
  bookingsOfSlot,
  cancelStatement,
  explainNoPlace,
  findBooking,
  findBookingByCode,
  findOffering,
  findSlot,
  handlesPerson,
  insertSlotStatements,
  listOfferings,
  MAX_SLOT_MS,
  type OfferingRow,
  openSlotAt,
  promotedNotices,
  promoteStatement,
  type SlotRow,
  slotListJsonQuery,
  slotNotOver,
  slotWrittenAt,
  type TakeInput,
  takeForResidentQuery,
  takenValues,
  takePlaceQuery,
  takePlaceValues,
  toBooking,
  toBookingContext,
  transitionStatement,
} from "./bookings.queries";
import {
  bookingWindow,
  cancelDeadline,
  checkInRefusal,
  ineligibility,
  outcomeRefusal,
  overRefusal,
  slotWindow,
  windowRefusal,
} from "./bookings.rules";
import {
  Booking,
  BookingInput,
  BookingList,
  CancelBody,
  CheckInBody,
  IdParam,
  MyBookingsQuery,
  Offering,
  OfferingInput,
  OfferingList,
  OfferingListQuery,
  OfferingPatch,
  RatingBody,
  SeriesCreated,
  SeriesInput,
  Slot,
  SlotDetail,
  SlotInput,
  SlotList,
  SlotListQuery,
  SlotPatch,
} from "./bookings.schema";
import { dropQueuedReminders } from "./reminders";

const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(8)
    .max(100)
    .regex(/^[\w.:-]+$/)
    .optional()
    .meta({ description: "Repeat the same key to retry safely: one booking, the same answer" }),
});

// ---------- route definitions ----------

const offeringsRoute = createRoute({
  method: "get",
  path: "/offerings",
  tags: ["bookings"],
  summary: "Bookable offerings (care services, clinic sessions, courses, events, shifts)",
  request: { query: OfferingListQuery },
  responses: { 200: jsonResponse(OfferingList, "Offerings"), ...errors(400) },
});
const offeringRoute = createRoute({
  method: "get",
  path: "/offerings/{id}",
  tags: ["bookings"],
  summary: "One offering and its rules",
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(Offering, "Offering"), ...errors(400, 404) },
});
const createOfferingRoute = createRoute({
  method: "post",
  path: "/offerings",
  tags: ["bookings"],
  summary: "Organisation staff: publish an offering of their organisation",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(OfferingInput) },
  responses: { 201: jsonResponse(Offering, "Created"), ...errors(400, 401, 403, 404) },
});
const patchOfferingRoute = createRoute({
  method: "patch",
  path: "/offerings/{id}",
  tags: ["bookings"],
  summary: "Organisation staff: change an offering's details and rules (not its organisation or kind)",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam, ...jsonBody(OfferingPatch) },
  responses: { 200: jsonResponse(Offering, "Updated"), ...errors(400, 401, 403, 404, 409) },
});
const archiveOfferingRoute = createRoute({
  method: "post",
  path: "/offerings/{id}/archive",
  tags: ["bookings"],
  summary: "Organisation staff: archive an offering — hidden from the list, no new bookings; existing bookings stay",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(Offering, "Archived"), ...errors(400, 401, 403, 404, 409) },
});
const slotsRoute = createRoute({
  method: "get",
  path: "/offerings/{id}/slots",
  tags: ["bookings"],
  summary: "An offering's slots with free places (default: from now, 30 days)",
  request: { query: SlotListQuery, params: IdParam },
  responses: { 200: jsonResponse(SlotList, "Slots"), ...errors(400, 404) },
});
const createSlotRoute = createRoute({
  method: "post",
  path: "/offerings/{id}/slots",
  tags: ["bookings"],
  summary: "Staff: add one slot",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam, ...jsonBody(SlotInput) },
  responses: { 201: jsonResponse(Slot, "Created"), ...errors(400, 401, 403, 404, 409) },
});
const createSeriesRoute = createRoute({
  method: "post",
  path: "/offerings/{id}/slot-series",
  tags: ["bookings"],
  summary: "Staff: add weekly slots between two dates (Asia/Shanghai), skipping listed holidays",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam, ...jsonBody(SeriesInput) },
  responses: { 201: jsonResponse(SeriesCreated, "Created"), ...errors(400, 401, 403, 404, 409) },
});
const slotRoute = createRoute({
  method: "get",
  path: "/slots/{id}",
  tags: ["bookings"],
  summary: "One slot with its free places and its offering",
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(SlotDetail, "Slot"), ...errors(400, 404) },
});
const patchSlotRoute = createRoute({
  method: "patch",
  path: "/slots/{id}",
  tags: ["bookings"],
  summary: "Staff: change a slot's time or places; everyone booked is told; more places promote the waitlist",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam, ...jsonBody(SlotPatch) },
  responses: { 200: jsonResponse(Slot, "Updated"), ...errors(400, 401, 404, 409) },
});
const cancelSlotRoute = createRoute({
  method: "post",
  path: "/slots/{id}/cancel",
  tags: ["bookings"],
  summary: "Staff: cancel a slot; its bookings are cancelled and everyone booked is told",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam, ...jsonBody(CancelBody) },
  responses: { 200: jsonResponse(Slot, "Cancelled"), ...errors(400, 401, 404, 409) },
});
const slotBookingsRoute = createRoute({
  method: "get",
  path: "/slots/{id}/bookings",
  tags: ["bookings"],
  summary: "Staff: who is booked on a slot (phones masked)",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam },
  responses: {
    200: jsonResponse(
      z.object({ bookings: z.array(Booking.extend({ phoneMasked: z.string().nullable() })) }),
      "Bookings",
    ),
    ...errors(400, 401, 404),
  },
});
const createBookingRoute = createRoute({
  method: "post",
  path: "/bookings",
  tags: ["bookings"],
  summary:
    "Book a slot for myself, a person I act for, or (organisation staff) a walk-in or phone caller. " +
    "A full slot waitlists when the offering has a waitlist, else 409 SLOT_FULL.",
  security: cookieAuth,
  request: { query: NoQuery, headers: IdempotencyHeaders, ...jsonBody(BookingInput) },
  responses: { 201: jsonResponse(Booking, "Booked or waitlisted"), ...errors(400, 401, 403, 404, 409) },
});
const myBookingsRoute = createRoute({
  method: "get",
  path: "/bookings/mine",
  tags: ["bookings"],
  summary: "Bookings of me and the persons I act for",
  security: cookieAuth,
  request: { query: MyBookingsQuery },
  responses: { 200: jsonResponse(BookingList, "Bookings"), ...errors(400, 401, 404) },
});
const checkInRoute = createRoute({
  method: "post",
  path: "/bookings/check-in",
  tags: ["bookings"],
  summary: "Staff: check a person in by the code on their booking (or its QR code)",
  security: cookieAuth,
  request: { query: NoQuery, ...jsonBody(CheckInBody) },
  responses: { 200: jsonResponse(Booking, "Checked in"), ...errors(400, 401, 404, 409) },
});
const bookingRoute = createRoute({
  method: "get",
  path: "/bookings/{id}",
  tags: ["bookings"],
  summary: "One booking (mine, a person's I act for, or my organisation's)",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(Booking, "Booking"), ...errors(400, 401, 404) },
});
const cancelRoute = createRoute({
  method: "post",
  path: "/bookings/{id}/cancel",
  tags: ["bookings"],
  summary: "Cancel a booking (before the cut-off); the first on the waitlist takes the place",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam, ...jsonBody(CancelBody) },
  responses: { 200: jsonResponse(Booking, "Cancelled"), ...errors(400, 401, 404, 409) },
});
const staffActionRoute = <P extends string>(path: P, summary: string) =>
  createRoute({
    method: "post",
    path,
    tags: ["bookings"],
    summary,
    security: cookieAuth,
    request: { query: NoQuery, params: IdParam },
    responses: { 200: jsonResponse(Booking, "Updated"), ...errors(400, 401, 404, 409) },
  });
const confirmRoute = staffActionRoute("/bookings/{id}/confirm", "Staff: confirm a booking waiting for confirmation");
const completeRoute = staffActionRoute("/bookings/{id}/complete", "Staff: mark a booking completed");
const noShowRoute = staffActionRoute("/bookings/{id}/no-show", "Staff: mark a booking as no-show");
const assignRoute = createRoute({
  method: "post",
  path: "/bookings/{id}/assign",
  tags: ["bookings"],
  summary: "Organisation staff: assign a staff member of the organisation to a booking (e.g. a home visit)",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam, ...jsonBody(z.strictObject({ accountId: z.string().min(1).max(64) })) },
  responses: {
    200: jsonResponse(Booking.extend({ assignedAccountId: z.string().nullable() }), "Assigned"),
    ...errors(400, 401, 404, 409),
  },
});

const rateRoute = createRoute({
  method: "post",
  path: "/bookings/{id}/rating",
  tags: ["bookings"],
  summary: "Rate a completed service 1–5, once",
  security: cookieAuth,
  request: { query: NoQuery, params: IdParam, ...jsonBody(RatingBody) },
  responses: { 200: jsonResponse(Booking, "Rated"), ...errors(400, 401, 404, 409) },
});

// ---------- helpers ----------

const staffOf = staffOfOrganisation;

async function loadOffering(c: Context<AppEnv>, id: string) {
  const row = await findOffering(c.var.db, id);
  if (!row) throw new ApiError("NOT_FOUND", "Offering not found");
  return row;
}

/** The offering for staff work on it: someone else's organisation's answers 404. */
async function staffOffering(c: Context<AppEnv>, id: string) {
  const account = await requireStaff(c);
  const row = await findOffering(c.var.db, id);
  if (!row || !staffOf(account, row.offering.organisationId)) throw new ApiError("NOT_FOUND", "Offering not found");
  return { account, row };
}

/** An event not yet published: 404 to all but its organisation's staff. */
async function assertNotDraft(c: Context<AppEnv>, offering: OfferingRow) {
  if (offering.status !== "draft") return;
  const account = await currentAccount(c);
  if (!account || !staffOf(account, offering.organisationId)) throw new ApiError("NOT_FOUND", "Offering not found");
}

/** An offering still taking bookings, for staff adding slots or changing it. */
function assertActive(offering: OfferingRow) {
  if (offering.status !== "active") throw new ApiError("CONFLICT", "This offering is archived");
}

/**
 * Events are changed and cancelled through /api/events, which keeps their workflow (who may change
 * a published event) and tells attendees. An `event` offering without event details (made before
 * events had them) is still an ordinary offering. Courses likewise, through /api/courses.
 */
async function assertNotEvent(c: Context<AppEnv>, offering: Pick<OfferingRow, "id" | "kind">) {
  if (offering.kind === "training") {
    // A course's one slot is its enrolment and its sessions hang on it: /api/courses keeps them together.
    const course = await c.var.db
      .select({ id: courseDetails.offeringId })
      .from(courseDetails)
      .where(eq(courseDetails.offeringId, offering.id))
      .limit(1);
    if (course.length > 0) throw new ApiError("CONFLICT", "Courses are changed through /api/courses/{id}");
    return;
  }
  if (offering.kind === "clinic" || offering.kind === "teleconsult") {
    // A doctor's appointments come from their weekly schedule (/api/doctors/{id}), and a
    // tele-consultation keeps its confirmation: not changed behind the schedule's back.
    const doctor = await c.var.db
      .select({ id: doctors.id })
      .from(doctors)
      .where(or(eq(doctors.clinicOfferingId, offering.id), eq(doctors.teleconsultOfferingId, offering.id)))
      .limit(1);
    if (doctor.length > 0)
      throw new ApiError("CONFLICT", "A doctor's appointments are changed through /api/doctors/{id}");
    return;
  }
  if (offering.kind !== "event") return;
  const details = await c.var.db
    .select({ id: eventDetails.offeringId })
    .from(eventDetails)
    .where(eq(eventDetails.offeringId, offering.id))
    .limit(1);
  if (details.length > 0) throw new ApiError("CONFLICT", "Events are changed through /api/events/{id}");
}

async function assertFacility(c: Context<AppEnv>, facilityId: string | null | undefined) {
  if (facilityId && !(await findFacility(c.var.db, facilityId))) throw new ApiError("NOT_FOUND", "Facility not found");
}

/**
 * A team and wanted skills belong to volunteer shifts only (400 otherwise); the team must be one of
 * the offering's own organisation (404 otherwise).
 */
async function assertShiftFields(
  c: Context<AppEnv>,
  kind: OfferingRow["kind"],
  organisationId: string,
  fields: {
    teamId?: string | null | undefined;
    skills?: string[] | null | undefined;
    supportsOfferingId?: string | null | undefined;
  },
) {
  if (kind !== "volunteer_shift") {
    if (fields.teamId || fields.skills?.length || fields.supportsOfferingId) {
      throw new ApiError("VALIDATION_FAILED", "teamId, skills and supportsOfferingId are for volunteer shifts only");
    }
    return;
  }
  if (fields.teamId && !(await teamOfOrganisation(c.var.db, fields.teamId, organisationId))) {
    throw new ApiError("NOT_FOUND", "Team not found in this organisation");
  }
  if (fields.supportsOfferingId) {
    const supported = await findOffering(c.var.db, fields.supportsOfferingId);
    if (supported?.offering.status !== "active") {
      throw new ApiError("NOT_FOUND", "supportsOfferingId: no such active service or event");
    }
    if (supported.offering.kind === "volunteer_shift") {
      throw new ApiError("VALIDATION_FAILED", "supportsOfferingId: a shift helps with a service or event, not a shift");
    }
  }
}

/** The audit row for a change to an offering, written only if the update at `at` was. */
function offeringAudit(c: Context<AppEnv>, action: string, id: string, at: number, detail: Record<string, unknown>) {
  return auditInsert(
    c,
    { action, subjectType: "offering", subjectId: id, detail },
    sql`EXISTS (SELECT 1 FROM ${offerings} WHERE ${offerings.id} = ${id} AND ${offerings.updatedAt} = ${at})`,
  );
}

async function staffSlot(c: Context<AppEnv>, id: string) {
  const account = await requireStaff(c);
  const slot = await findSlot(c.var.db, id);
  const row = slot ? await findOffering(c.var.db, slot.offeringId) : null;
  if (!slot || !row || !staffOf(account, row.offering.organisationId))
    throw new ApiError("NOT_FOUND", "Slot not found");
  return { account, slot, offering: row.offering };
}

function toOffering(
  row: { offering: OfferingRow; organisationName: string; facilityName: string | null },
  nextSlotAt: number | null = null,
) {
  const { createdAt: _c, updatedAt: _u, ...o } = row.offering;
  return { ...o, organisationName: row.organisationName, facilityName: row.facilityName, nextSlotAt };
}

function toSlot(slot: SlotRow, offering: OfferingRow, at: number) {
  const taken = slot.heldCount;
  const waitlisted = slot.waitlistCount;
  const { opensAt, closesAt, priorityOpensAt } = slotWindow(offering, slot);
  return {
    id: slot.id,
    offeringId: slot.offeringId,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    capacity: slot.capacity,
    taken,
    waitlisted,
    free: Math.max(0, slot.capacity - taken),
    status: slot.status,
    note: slot.note,
    bookable: offering.status === "active" && slot.status === "open" && at >= opensAt && at < closesAt,
    opensAt,
    closesAt,
    priorityOpensAt,
  };
}

/** How the signed-in account may act for a person: itself, as proxy, or null (→ 404). */
async function actingAs(c: Context<AppEnv>, account: SessionAccount, personId: string) {
  const person = await findPerson(c.var.db, personId);
  if (!person) return null;
  if (person.accountId === account.id) return { person, role: "self" as const };
  const [link] = await c.var.db
    .select({ id: proxyLinks.id })
    .from(proxyLinks)
    .where(
      and(
        eq(proxyLinks.personId, personId),
        eq(proxyLinks.proxyAccountId, account.id),
        eq(proxyLinks.status, "active"),
        inArray(proxyLinks.scope, [...BOOKING_SCOPES]),
      ),
    )
    .limit(1);
  return link ? { person, role: "proxy" as const } : null;
}

/** A booking the account may see: its own, a person's it acts for, or (staff) its organisation's. */
async function visibleBooking(c: Context<AppEnv>, id: string) {
  const account = await requireAccount(c);
  const row = await findBooking(c.var.db, id);
  if (!row) throw new ApiError("NOT_FOUND", "Booking not found");
  const asStaff = staffOf(account, row.offering.organisationId);
  const asPerson = !asStaff && (await actingAs(c, account, row.booking.personId));
  if (!asStaff && !asPerson) throw new ApiError("NOT_FOUND", "Booking not found");
  return { account, row, asStaff };
}

/**
 * Books a place for the signed-in resident or a person they act for in ONE statement —
 * `takeForResidentQuery` checks every rule and the session itself, the bookings trigger writes
 * the inbox notices, and the insert answers with the new booking's JSON and the live session.
 * The answer, or null when nothing was written (the caller then finds out why, or finds the
 * earlier booking of a repeated Idempotency-Key).
 */
async function takeForResident(
  c: Context<AppEnv>,
  input: { slotId: string; personId: string; notes?: string | undefined; address?: string | undefined },
  key: string | null,
) {
  // A fresh check-in code may (very rarely) collide with another: nothing is written, and the
  // caller's path retries with new codes.
  const { values } = takenValues({
    slotId: input.slotId,
    personId: input.personId,
    notes: input.notes ?? null,
    address: input.address ?? null,
    idempotencyKey: key,
    at: now(),
  });
  const row = await runAsSession(
    c,
    "bookings.take-for-resident",
    (db, accountId, session) => takeForResidentQuery(db, accountId, session),
    values,
  );
  // SQLite built the answer (the `Booking` shape, see bookingJson): pass it through.
  return row ? jsonText<z.infer<typeof Booking>, 201>(c, row.booking, 201) : null;
}

/**
 * The answer to a repeated Idempotency-Key: the booking the earlier request made, as it is now —
 * unless that request was for another slot or person (409).
 */
function replayBooking(c: Context<AppEnv>, earlier: BookedWithKey, input: { slotId: string; personId: string }) {
  if (earlier.slotId !== input.slotId || earlier.personId !== input.personId) {
    throw new ApiError("CONFLICT", "This Idempotency-Key was already used for another booking");
  }
  c.header("Idempotency-Replayed", "true");
  return jsonText<z.infer<typeof Booking>, 201>(c, earlier.json, 201);
}

// ---------- handlers ----------

export const bookingsRoutes = createRouter()
  .openapi(offeringsRoute, async (c) => {
    const rows = await listOfferings(c.var.db, c.req.valid("query"), now());
    return c.json({ offerings: rows.map((r) => toOffering(r, r.nextSlotAt)) }, 200);
  })
  .openapi(offeringRoute, async (c) => {
    const row = await loadOffering(c, c.req.valid("param").id);
    await assertNotDraft(c, row.offering);
    return c.json(toOffering(row), 200);
  })
  .openapi(createOfferingRoute, async (c) => {
    const account = await requireStaff(c);
    const input = c.req.valid("json");
    if (!staffOf(account, input.organisationId))
      throw new ApiError("FORBIDDEN", "You publish for your own organisation only");
    // Events have their own details and an approval workflow: /api/events makes them.
    if (input.kind === "event")
      throw new ApiError("VALIDATION_FAILED", "kind: events are created with POST /api/events");
    // A tele-consultation belongs to a doctor (their room, their patients' symptoms).
    if (input.kind === "teleconsult")
      throw new ApiError(
        "VALIDATION_FAILED",
        "kind: tele-consultations are made from a doctor's schedule (/api/doctors/{id}/slots)",
      );
    const closed = windowRefusal(input);
    if (closed) throw new ApiError("VALIDATION_FAILED", closed);
    if (!(await findOrganisation(c.var.db, input.organisationId)))
      throw new ApiError("NOT_FOUND", "Organisation not found");
    await assertFacility(c, input.facilityId);
    await assertShiftFields(c, input.kind, input.organisationId, input);
    const id = newId("off");
    const at = now();
    await c.var.db.batch([
      c.var.db.insert(offerings).values({ id, ...input, status: "active", createdAt: at, updatedAt: at }),
      auditInsert(c, {
        action: "offering.create",
        subjectType: "offering",
        subjectId: id,
        detail: { title: input.title },
      }),
    ]);
    return c.json(toOffering(await loadOffering(c, id)), 201);
  })
  .openapi(patchOfferingRoute, async (c) => {
    const { row } = await staffOffering(c, c.req.valid("param").id);
    await assertNotEvent(c, row.offering);
    assertActive(row.offering);
    const patch = c.req.valid("json");
    // Only a change to the window is checked (an older offering's other fields stay editable).
    const closed =
      patch.opensDaysBefore !== undefined || patch.closesHoursBefore !== undefined
        ? windowRefusal({ ...row.offering, ...patch })
        : null;
    if (closed) throw new ApiError("VALIDATION_FAILED", closed);
    await assertFacility(c, patch.facilityId);
    await assertShiftFields(c, row.offering.kind, row.offering.organisationId, patch);
    const fields = changedFields(row.offering, patch);
    if (fields.length > 0) {
      const at = now();
      const [updated] = await c.var.db.batch([
        c.var.db
          .update(offerings)
          .set({ ...patch, updatedAt: at })
          .where(and(eq(offerings.id, row.offering.id), eq(offerings.status, "active")))
          .returning({ id: offerings.id }),
        offeringAudit(c, "offering.update", row.offering.id, at, { fields }),
      ]);
      if (updated.length === 0) throw new ApiError("CONFLICT", "This offering is archived");
    }
    return c.json(toOffering(await loadOffering(c, row.offering.id)), 200);
  })
  .openapi(archiveOfferingRoute, async (c) => {
    const { row } = await staffOffering(c, c.req.valid("param").id);
    await assertNotEvent(c, row.offering);
    assertActive(row.offering);
    const at = now();
    const [archived] = await c.var.db.batch([
      c.var.db
        .update(offerings)
        .set({ status: "archived", updatedAt: at })
        .where(and(eq(offerings.id, row.offering.id), eq(offerings.status, "active")))
        .returning({ id: offerings.id }),
      offeringAudit(c, "offering.archive", row.offering.id, at, { title: row.offering.title }),
    ]);
    if (archived.length === 0) throw new ApiError("CONFLICT", "This offering is archived");
    return c.json(toOffering(await loadOffering(c, row.offering.id)), 200);
  })
  .openapi(slotsRoute, async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const at = now();
    // One statement: SQLite builds the list's JSON from the offering's row and its slots.
    const db = c.var.db;
    const includeCancelled = q.includeCancelled === "true";
    const from = q.from ?? at;
    const [[row]] = await runBound(db, [
      bound(
        prepared(db, `offering.slots-json:${includeCancelled}`, () =>
          slotListJsonQuery(db, sql.placeholder("id"), {
            from: sql.placeholder("from"),
            to: sql.placeholder("to"),
            floor: sql.placeholder("floor"),
            at: sql.placeholder("at"),
            includeCancelled,
          }),
        ),
        { id, from, to: q.to ?? at + 30 * DAY, floor: from - MAX_SLOT_MS, at },
      ),
    ]);
    if (!row) throw new ApiError("NOT_FOUND", "Offering not found");
    return jsonText<z.infer<typeof SlotList>>(c, `{"slots":${row.list}}`);
  })
  .openapi(createSlotRoute, async (c) => {
    const { account, row } = await staffOffering(c, c.req.valid("param").id);
    await assertNotEvent(c, row.offering);
    assertActive(row.offering);
    const input = c.req.valid("json");
    const at = now();
    // A session under way may be added (someone at the desk now); one already over may not.
    if (input.endsAt <= at) throw new ApiError("VALIDATION_FAILED", "endsAt: this time is already over");
    const { ids, statements } = insertSlotStatements(c.var.db, row.offering.id, [input], null, at);
    const id = ids[0] ?? "";
    const [inserted] = await runBatch(c.var.db, [
      ...statements,
      auditInsert(
        c,
        { action: "slot.create", subjectType: "slot", subjectId: id, detail: { by: account.id } },
        rowExists(slots, id),
      ),
    ]);
    if (!inserted?.length) throw new ApiError("SLOT_TIME_TAKEN", "This service already has an open slot at that time");
    const slot = await findSlot(c.var.db, id);
    if (!slot) throw new ApiError("INTERNAL_ERROR", "Slot was not saved");
    return c.json(toSlot(slot, row.offering, at), 201);
  })
  .openapi(createSeriesRoute, async (c) => {
    const { row } = await staffOffering(c, c.req.valid("param").id);
    await assertNotEvent(c, row.offering);
    assertActive(row.offering);
    const input = c.req.valid("json");
    const startedAt = now();
    if (input.from < shanghaiDate(startedAt))
      throw new ApiError("VALIDATION_FAILED", "from: a series starts today or later (Beijing time)");
    const skip = new Set(input.skipDates);
    const extra = new Set(input.extraDates);
    const items: Array<{ startsAt: number; endsAt: number; capacity: number; note: string | null }> = [];
    const skipped: string[] = [];
    const added: string[] = [];
    for (let day = fromShanghai(input.from, "12:00"); shanghaiDate(day) <= input.to; day += DAY) {
      const date = shanghaiDate(day);
      const inPattern = input.weekdays.includes(isoWeekday(date));
      if (!inPattern && !extra.has(date)) continue;
      if (skip.has(date)) {
        skipped.push(date);
        continue;
      }
      // Today's time, when it is already over, is not a session anyone can come to.
      if (fromShanghai(date, input.end) <= startedAt) continue;
      if (!inPattern) added.push(date);
      items.push({
        startsAt: fromShanghai(date, input.start),
        endsAt: fromShanghai(date, input.end),
        capacity: input.capacity,
        note: input.note || null,
      });
      if (items.length > 400) throw new ApiError("VALIDATION_FAILED", "A series may create at most 400 slots");
    }
    if (items.length === 0) throw new ApiError("VALIDATION_FAILED", "The pattern gives no dates in this range");
    const seriesId = newId("ser");
    const at = now();
    const db = c.var.db;
    // A time that already has an open slot (the series run again, a request retried after a lost
    // answer, another staff member's series) is not doubled: the inserts skip it, and say which
    // times they did write. The audit row counts what was written, when anything was.
    const { statements } = insertSlotStatements(db, row.offering.id, items, seriesId, at);
    const results = await runBatch(db, [
      ...statements,
      auditInsert(
        c,
        {
          action: "slot.series",
          subjectType: "offering",
          subjectId: row.offering.id,
          // Both through the offering's own slots (slots_offering_start_idx): series_id has no index.
          detail: sql`json_object('seriesId', ${seriesId}, 'count',
            (SELECT count(*) FROM ${slots} WHERE ${slots.offeringId} = ${row.offering.id} AND ${slots.seriesId} = ${seriesId}))`,
        },
        sql`EXISTS (SELECT 1 FROM ${slots} WHERE ${slots.offeringId} = ${row.offering.id} AND ${slots.seriesId} = ${seriesId})`,
      ),
    ]);
    const written = new Set(
      results
        .slice(0, statements.length)
        .flatMap((rows) => (rows as Array<{ startsAt: number }>).map((r) => r.startsAt)),
    );
    if (written.size === 0) throw new ApiError("SLOT_TIME_TAKEN", "Every time in this series already has a slot");
    const existing = items.filter((i) => !written.has(i.startsAt)).map((i) => shanghaiDate(i.startsAt));
    // An extra date whose time already had a slot was not added by this series.
    const addedNow = added.filter((date) => !existing.includes(date));
    return c.json({ seriesId, created: written.size, skipped, added: addedNow, existing }, 201);
  })
  .openapi(slotRoute, async (c) => {
    const slot = await findSlot(c.var.db, c.req.valid("param").id);
    if (!slot) throw new ApiError("NOT_FOUND", "Slot not found");
    const row = await findOffering(c.var.db, slot.offeringId);
    if (!row) throw new ApiError("NOT_FOUND", "Slot not found");
    await assertNotDraft(c, row.offering);
    const { offering, organisationName } = row;
    return c.json(
      {
        ...toSlot(slot, offering, now()),
        offering: {
          id: offering.id,
          title: offering.title,
          kind: offering.kind,
          organisationName,
          status: offering.status,
        },
      },
      200,
    );
  })
  .openapi(patchSlotRoute, async (c) => {
    const { slot, offering } = await staffSlot(c, c.req.valid("param").id);
    await assertNotEvent(c, offering);
    if (slot.status !== "open") throw new ApiError("CONFLICT", "This slot was cancelled");
    const patch = c.req.valid("json");
    const startsAt = patch.startsAt ?? slot.startsAt;
    const endsAt = patch.endsAt ?? slot.endsAt;
    if (endsAt <= startsAt) throw new ApiError("VALIDATION_FAILED", "endsAt must be after startsAt");
    if (endsAt - startsAt > MAX_SLOT_MS) throw new ApiError("VALIDATION_FAILED", "A slot lasts at most 62 days");
    const at = now();
    // Fewer places than already taken would strand people: the update itself refuses (its own
    // guard counts the held places), so a booking landing meanwhile cannot be squeezed out.
    const enoughPlaces =
      patch.capacity === undefined
        ? undefined
        : sql`${patch.capacity} >= (SELECT count(*) FROM bookings b WHERE b.slot_id = ${slot.id}
                AND b.status IN ('pending', 'confirmed', 'checked_in', 'completed'))`;
    // Moved onto a time the service already has an open slot at: refused by the update's own guard
    // (slots_open_time_uq would refuse it too, as a failure rather than an answer).
    const timeFree =
      patch.startsAt === undefined || patch.startsAt === slot.startsAt
        ? undefined
        : sql`NOT EXISTS (SELECT 1 FROM slots other WHERE other.offering_id = ${offering.id}
                AND other.starts_at = ${patch.startsAt} AND other.status = 'open' AND other.id <> ${slot.id})`;
    // More places go to the waitlist in the same transaction as the change: a booking arriving in
    // between cannot take a freed place ahead of the people waiting for it. When the update is
    // refused, the promotion finds no more room than before and the audit row is not written.
    // The notices go in the same transaction, only if the update happened: the places freed
    // (told with the slot's new time, should it have moved too) and a time change, which is told
    // to everyone booked — unless it puts the slot in the past (staff correcting the record of a
    // session that took place): nobody is asked to come then.
    const db = c.var.db;
    // A time sent unchanged (a client sending the whole slot to change its note) moves nothing.
    const moved = (startsAt !== slot.startsAt || endsAt !== slot.endsAt) && endsAt > at;
    const [updatedRows] = await db.batch([
      db
        .update(slots)
        .set({ ...patch, updatedAt: at })
        .where(and(eq(slots.id, slot.id), eq(slots.status, "open"), enoughPlaces, timeFree))
        .returning({ id: slots.id }),
      promoteStatement(db, slot.id, at),
      // Told with the time the slot has after this batch: the new one if the update was made.
      ...promotedNotices(db, { id: slot.id, startsAt }, offering.title, at, slotWrittenAt(slot.id, at)),
      ...promotedNotices(db, slot, offering.title, at, sql`NOT ${slotWrittenAt(slot.id, at)}`),
      auditInsert(
        c,
        { action: "slot.update", subjectType: "slot", subjectId: slot.id, detail: { fields: Object.keys(patch) } },
        slotWrittenAt(slot.id, at),
      ),
      ...(moved
        ? [
            // Reminders are keyed by the start: only a new start makes the waiting ones outdated.
            ...(startsAt !== slot.startsAt
              ? [dropQueuedReminders(db, sql`${bookings.slotId} = ${slot.id} AND ${slotWrittenAt(slot.id, at)}`)]
              : []),
            ...bookingNotices(
              db,
              sql`${activeOnSlot(slot.id)} AND ${slotWrittenAt(slot.id, at)}`,
              {
                kind: "slot_changed",
                title: "预约时间变更",
                body: `{person}：“${offering.title}”的时间改为 ${formatWhen(startsAt)}。如不方便请在“我的预约”中取消。`,
                params: { offering: offering.title, startsAt },
                sms: true,
              },
              at,
            ),
          ]
        : []),
    ]);
    if (updatedRows.length === 0) {
      if (timeFree && (await openSlotAt(db, offering.id, startsAt, slot.id))) {
        throw new ApiError("SLOT_TIME_TAKEN", "This service already has an open slot at that time");
      }
      throw new ApiError("CONFLICT", "More places are already taken than that; cancel bookings first");
    }
    deliverSoon(c);
    const updated = await findSlot(c.var.db, slot.id);
    if (!updated) throw new ApiError("INTERNAL_ERROR", "Slot vanished");
    return c.json(toSlot(updated, offering, now()), 200);
  })
  .openapi(cancelSlotRoute, async (c) => {
    const { slot, offering } = await staffSlot(c, c.req.valid("param").id);
    await assertNotEvent(c, offering);
    const { reason } = c.req.valid("json");
    if (slot.status !== "open") throw new ApiError("CONFLICT", "This slot was already cancelled");
    const account = await requireAccount(c);
    const at = now();
    // A service that is over is recorded, not called off (its bookings keep their outcome).
    const over = overRefusal(slot, at);
    if (over) throw new ApiError("CONFLICT", over);
    // Tell exactly the bookings the update cancelled: one made meanwhile is not left untold. Both
    // updates check the slot is not over themselves, in case it was moved meanwhile.
    const cancelledNow = slotWrittenAt(slot.id, at, "cancelled");
    const db = c.var.db;
    const [cancelledSlot] = await db.batch([
      db
        .update(slots)
        .set({ status: "cancelled", updatedAt: at })
        .where(and(eq(slots.id, slot.id), eq(slots.status, "open"), gt(slots.endsAt, at)))
        .returning({ id: slots.id }),
      db
        .update(bookings)
        .set({ status: "cancelled", cancelledAt: at, cancelledByAccountId: account.id, updatedAt: at })
        .where(
          and(
            eq(bookings.slotId, slot.id),
            inArray(bookings.status, ["pending", "confirmed", "waitlisted", "checked_in"]),
            cancelledNow,
          ),
        ),
      auditInsert(
        c,
        { action: "slot.cancel", subjectType: "slot", subjectId: slot.id, detail: { reason: reason ?? null } },
        cancelledNow,
      ),
      dropQueuedReminders(db, sql`${bookings.slotId} = ${slot.id} AND ${cancelledNow}`),
      // Everyone whose booking this cancel ended, in the same transaction.
      ...bookingNotices(
        db,
        sql`${bookings.slotId} = ${slot.id} AND ${bookings.status} = 'cancelled' AND ${bookings.cancelledAt} = ${at}
          AND ${bookings.cancelledByAccountId} = ${account.id} AND ${cancelledNow}`,
        {
          kind: "slot_cancelled",
          title: "服务取消",
          body: `{person}：很抱歉，“${offering.title}”（${formatWhen(slot.startsAt)}）已取消${reason ? `，${reason}` : ""}。`,
          params: { offering: offering.title, startsAt: slot.startsAt, ...(reason ? { reason } : {}) },
          dedupePrefix: "slot-cancelled:",
          sms: true,
        },
        at,
      ),
    ]);
    if (cancelledSlot.length === 0) throw new ApiError("CONFLICT", "This slot was cancelled or moved meanwhile");
    deliverSoon(c);
    const updated = await findSlot(c.var.db, slot.id);
    if (!updated) throw new ApiError("INTERNAL_ERROR", "Slot vanished");
    return c.json(toSlot(updated, offering, now()), 200);
  })
  .openapi(slotBookingsRoute, async (c) => {
    const { slot } = await staffSlot(c, c.req.valid("param").id);
    const rows = await bookingsOfSlot(c.var.db, slot.id);
    return c.json({ bookings: rows.map((r) => ({ ...toBooking(r), phoneMasked: maskPhone(r.personPhone) })) }, 200);
  })
  .openapi(createBookingRoute, async (c) => {
    const input = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"] ?? null;
    const db = c.var.db;
    // With notes, the full path below runs (it refuses notes on a tele-consultation: health data).
    if (input.channel === "app" && !input.notes) {
      // A resident booking for themself or a person they act for: one round trip when it succeeds.
      const booked = await takeForResident(c, input, key);
      if (booked) return booked;
    }
    // Staff booking for a caller, or the one-trip insert refused: read the context, run the rules
    // and say why (or book, should the one-trip statement ever be stricter than the rules).
    // Round trip 1: the session and everything the rules need, in one batch.
    const { account, results } = await accountWith(c, (db, accountId) => {
      const values = { slotId: input.slotId, personId: input.personId };
      const context = () =>
        bookingContextQueries(db, sql.placeholder("slotId"), sql.placeholder("personId"), accountId);
      return [
        bound(
          prepared(db, "bookings.context.slot", () => context()[0]),
          values,
        ),
        bound(
          prepared(db, "bookings.context.offering", () => context()[1]),
          values,
        ),
        bound(
          prepared(db, "bookings.context.person", () => context()[2]),
          values,
        ),
        bound(
          prepared(db, "bookings.context.proxy", () => context()[3]),
          values,
        ),
        // A retry of an earlier request with the same Idempotency-Key (none without a key).
        bound(
          prepared(db, "bookings.booked-with-key", () => bookedWithKeyQuery(db, accountId, sql.placeholder("key"))),
          { key },
        ),
      ] as const;
    });
    if (!account || !results) throw new ApiError("UNAUTHENTICATED", "Sign in first");
    const context = toBookingContext([results[0], results[1], results[2], results[3]]);
    if (!context.slotRow) throw new ApiError("NOT_FOUND", "Slot not found");
    const { slot, offering } = context.slotRow;

    const asStaff = staffOf(account, offering.organisationId) && input.channel !== "app";
    const role = asStaff
      ? "staff"
      : context.person?.accountId === account.id
        ? "self"
        : context.proxied
          ? "proxy"
          : null;
    const person = role ? context.person : null;
    if (!person || !role) throw new ApiError("NOT_FOUND", "Person not found");

    // The same key again, from someone who may still book for this person: the earlier answer,
    // whatever the rules say now.
    const [earlier] = results[4];
    if (earlier) return replayBooking(c, earlier, input);

    const at = now();
    // An event not yet published is nobody's business but its organisers'.
    if (offering.status === "draft") throw new ApiError("NOT_FOUND", "Slot not found");
    if (offering.status !== "active") throw new ApiError("BOOKING_CLOSED", "This service is no longer offered");
    if (slot.status !== "open" || slot.endsAt <= at)
      throw new ApiError("BOOKING_CLOSED", "This slot is no longer open");
    // Health details are kept only with their own recorded consent (a tele-consultation's
    // symptoms: PUT /api/teleconsults/{bookingId}/symptoms): never in a clinic booking's notes.
    if ((offering.kind === "teleconsult" || offering.kind === "clinic") && input.notes)
      throw new ApiError(
        "VALIDATION_FAILED",
        "notes: no health details in a clinic booking (a tele-consultation's symptoms go with their own consent)",
      );
    // An event without sign-up has no places to take (its occurrences hold none).
    if (offering.kind === "event" && slot.capacity === 0)
      throw new ApiError("BOOKING_CLOSED", "This event needs no sign-up: just come along");
    // A volunteer shift asks whether the person is a registered volunteer (and in its team).
    const facts =
      offering.kind === "volunteer_shift"
        ? { ...person, volunteerTeams: await volunteerTeamsOf(db, person.id) }
        : person;
    const why = ineligibility(offering, facts, slot);
    if (why && asStaff) {
      // Staff booking for someone else must not learn that person's registered facts (age,
      // person types) from the answer: a plain refusal, and the attempt is audited.
      await auditInsert(c, {
        action: "booking.create_for_refused",
        subjectType: "slot",
        subjectId: slot.id,
        personId: person.id,
        detail: { reason: "not_eligible", channel: input.channel },
      });
      throw new ApiError(
        "NOT_ELIGIBLE",
        "This person does not meet this service's conditions; the community office can check their registration",
      );
    }
    if (why) throw new ApiError("NOT_ELIGIBLE", why);
    if (!asStaff) {
      const window = bookingWindow(offering, person, slot);
      if (at < window.opensAt)
        throw new ApiError(
          "BOOKING_CLOSED",
          `Booking opens at ${shanghaiTime(window.opensAt)} on ${shanghaiDate(window.opensAt)} (Beijing time)`,
        );
      if (at >= window.closesAt) throw new ApiError("BOOKING_CLOSED", "Booking has closed for this slot");
    }
    if (offering.requiresAddress && !input.address) {
      throw new ApiError("VALIDATION_FAILED", "address: a home visit needs the address and what help is needed");
    }

    // Round trip 2: the conditional insert, answering with the booking (the bookings trigger
    // writes the inbox notices inside it), and the audit row — written only if the booking was,
    // in the same transaction.
    const take: TakeInput = {
      slotId: slot.id,
      personId: person.id,
      actorAccountId: account.id,
      actorRole: role,
      channel: asStaff ? input.channel : "app",
      notes: input.notes ?? null,
      address: input.address ?? null,
      idempotencyKey: key,
      offering,
      at,
    };
    // A fresh check-in code can (very rarely) collide with an existing one; then try another.
    let outcome: Awaited<ReturnType<typeof explainNoPlace>> | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const { id, code, values } = takePlaceValues(take);
      const [[inserted]] = await runBound(db, [
        bound(
          prepared(db, "bookings.take", () => takePlaceQuery(db)),
          values,
        ),
        ...(asStaff
          ? [
              bound(
                auditInsert(
                  c,
                  {
                    action: "booking.create_for",
                    subjectType: "booking",
                    subjectId: id,
                    personId: person.id,
                    detail: { channel: input.channel },
                  },
                  rowExists(bookings, id),
                ).prepare(),
              ),
            ]
          : []),
      ]);
      // SQLite built the answer (the `Booking` shape, see bookingJson): pass it through.
      if (inserted) return jsonText<z.infer<typeof Booking>, 201>(c, inserted.booking, 201);
      // Nothing written: a retry with the same key gets the earlier booking, anything else a 4xx.
      outcome = await explainNoPlace(db, take, code);
      if (outcome.ok || outcome.reason !== "code_taken") break;
    }
    if (!outcome) throw new ApiError("INTERNAL_ERROR", "Booking was not attempted");
    if (outcome.ok) return replayBooking(c, outcome.earlier, input);
    const errorsByReason = {
      slot_closed: ["BOOKING_CLOSED", "This slot is no longer open"],
      not_allowed: ["NOT_FOUND", "Person not found"],
      already_booked: ["ALREADY_BOOKED", "This person is already booked on this slot"],
      limit_reached: [
        "LIMIT_REACHED",
        `At most ${offering.maxActivePerPerson} active bookings per person for this service`,
      ],
      full: ["SLOT_FULL", "No places left on this slot"],
      code_taken: ["CONFLICT", "Please try again"],
    } as const;
    const [errorCode, message] = errorsByReason[outcome.reason];
    throw new ApiError(errorCode, message);
  })
  .openapi(myBookingsRoute, async (c) => {
    const { personId, when } = c.req.valid("query");
    // One statement: the session's row with the list (and whether the account handles the
    // person asked for) as columns computed from that row's account.
    const { account, row } = await sessionWith(
      c,
      `bookings.mine:${when}:${personId ? "person" : "all"}`,
      (db, accountId) => ({
        list: bookingSummariesJson(
          db,
          accountId,
          { personId: personId ? sql.placeholder("personId") : undefined, when },
          sql.placeholder("at"),
        ).as("list"),
        handlesPerson: (personId ? handlesPerson(accountId, sql.placeholder("personId")) : sql<number>`1`).as(
          "handles_person",
        ),
      }),
      { personId, at: now() },
    );
    if (!account || !row) throw new ApiError("UNAUTHENTICATED", "Sign in first");
    if (!row.handlesPerson) throw new ApiError("NOT_FOUND", "Person not found");
    // SQLite built the list's JSON (`BookingSummary`s): pass it through as is.
    return jsonText<z.infer<typeof BookingList>>(c, `{"bookings":${row.list}}`);
  })
  .openapi(checkInRoute, async (c) => {
    const account = await requireStaff(c);
    const { code } = c.req.valid("json");
    const row = await findBookingByCode(c.var.db, code);
    if (!row || !staffOf(account, row.offering.organisationId))
      throw new ApiError("NOT_FOUND", "No booking with this code here");
    const at = now();
    if (row.booking.status !== "confirmed") {
      throw new ApiError("CONFLICT", `This booking is ${row.booking.status}, not confirmed`);
    }
    const early = checkInRefusal(row.slot, at);
    if (early) throw new ApiError("CHECK_IN_CLOSED", early);
    const id = row.booking.id;
    const [checkedIn] = await c.var.db.batch([
      transitionStatement(c.var.db, id, ["confirmed"], "checked_in", at, { checkedInAt: at }),
      auditInsert(
        c,
        { action: "booking.checked_in", subjectType: "booking", subjectId: id, personId: row.booking.personId },
        bookingChangedNow(id, at, "checked_in"),
      ),
    ]);
    if (checkedIn.length === 0) {
      throw new ApiError("CONFLICT", `This booking is ${row.booking.status}, not confirmed`);
    }
    const updated = await findBooking(c.var.db, row.booking.id);
    if (!updated) throw new ApiError("INTERNAL_ERROR", "Booking vanished");
    return c.json(toBooking(updated), 200);
  })
  .openapi(bookingRoute, async (c) => {
    const { row } = await visibleBooking(c, c.req.valid("param").id);
    return c.json(toBooking(row), 200);
  })
  .openapi(cancelRoute, async (c) => {
    const { account, row, asStaff } = await visibleBooking(c, c.req.valid("param").id);
    const { waitlistOnly } = c.req.valid("json");
    // She meant to leave the waiting list; a place given meanwhile is not given up unasked.
    if (waitlistOnly && row.booking.status !== "waitlisted")
      throw new ApiError("CONFLICT", `This booking is ${row.booking.status} now, no longer on the waiting list`);
    const at = now();
    const slot = await findSlot(c.var.db, row.booking.slotId);
    const offeringRow = await findOffering(c.var.db, row.booking.offeringId);
    if (!slot || !offeringRow) throw new ApiError("NOT_FOUND", "Booking not found");
    const over = overRefusal(slot, at);
    // Staff are told what to do instead; a resident (or proxy) that it is simply too late.
    if (over) throw new ApiError("CONFLICT", asStaff ? over : "This service is over; it can no longer be cancelled");
    // After the cut-off a resident can still give up a place on the waitlist, nothing else — and
    // the cancel itself checks that, in case the booking was promoted since it was read.
    const pastCutoff = !asStaff && at > cancelDeadline(offeringRow.offering, slot);
    const tooLate = () =>
      new ApiError("CANCEL_CUTOFF_PASSED", "It is too late to cancel online; please call the service");
    if (pastCutoff && row.booking.status !== "waitlisted") throw tooLate();
    const from: BookingStatus[] = pastCutoff || waitlistOnly ? ["waitlisted"] : ["pending", "confirmed", "waitlisted"];
    const db = c.var.db;
    const title = offeringRow.offering.title;
    // One transaction: the cancel, the waitlist's promotion and its notices, and — when staff
    // cancelled — the audit record and the notice to the person, the last two only if this cancel
    // happened (the same actor, at this moment).
    const thisCancel = sql`${bookingChangedAt(row.booking.id, at, "cancelled")} AND ${bookings.cancelledByAccountId} = ${account.id}`;
    const [cancelled] = await db.batch([
      cancelStatement(db, row.booking.id, slot.id, account.id, at, from, { cutoff: !asStaff }),
      dropQueuedReminders(db, bookingChangedAt(row.booking.id, at, "cancelled")),
      promoteStatement(db, slot.id, at),
      ...promotedNotices(db, slot, title, at),
      ...(asStaff
        ? [
            auditInsert(
              c,
              {
                action: "booking.cancel_for",
                subjectType: "booking",
                subjectId: row.booking.id,
                personId: row.booking.personId,
              },
              sql`EXISTS (SELECT 1 FROM ${bookings} WHERE ${thisCancel})`,
            ),
            // Someone else cancelled it: the person (and whoever booked) must hear about it.
            ...bookingNotices(
              db,
              thisCancel,
              {
                kind: "booking_cancelled_by_staff",
                title: "预约已取消",
                body: `${row.personName}：“${title}”（${formatWhen(slot.startsAt)}）已由服务机构取消。如有疑问请联系${row.organisationName}。`,
                params: {
                  person: row.personName,
                  offering: title,
                  organisation: row.organisationName,
                  startsAt: slot.startsAt,
                },
                dedupePrefix: "cancelled-by-staff:",
                sms: true,
              },
              at,
            ),
          ]
        : []),
    ]);
    if (cancelled.length === 0) {
      if (pastCutoff) throw tooLate();
      // The booking or its slot changed since they were read: say what stands in the way now.
      const fresh = await findBooking(db, row.booking.id);
      if (
        !asStaff &&
        fresh &&
        fresh.booking.status !== "waitlisted" &&
        at > cancelDeadline(offeringRow.offering, fresh.slot)
      )
        throw tooLate();
      throw new ApiError(
        "CONFLICT",
        `This booking is ${fresh?.booking.status ?? row.booking.status} and cannot be cancelled`,
      );
    }
    deliverSoon(c);
    const updated = await findBooking(c.var.db, row.booking.id);
    if (!updated) throw new ApiError("INTERNAL_ERROR", "Booking vanished");
    return c.json(toBooking(updated), 200);
  })
  .openapi(confirmRoute, async (c) => staffMove(c, c.req.valid("param").id, ["pending"], "confirmed"))
  // A booking still waiting for confirmation when the service took place gets its outcome too.
  .openapi(completeRoute, async (c) =>
    staffMove(c, c.req.valid("param").id, ["checked_in", "confirmed", "pending"], "completed"),
  )
  .openapi(noShowRoute, async (c) => staffMove(c, c.req.valid("param").id, ["confirmed", "pending"], "no_show"))
  .openapi(assignRoute, async (c) => {
    const account = await requireStaff(c);
    const { id } = c.req.valid("param");
    const { accountId } = c.req.valid("json");
    const row = await findBooking(c.var.db, id);
    if (!row || !staffOf(account, row.offering.organisationId)) throw new ApiError("NOT_FOUND", "Booking not found");
    const [assignee] = await c.var.db
      .select({ id: roleGrants.id })
      .from(roleGrants)
      .where(
        and(
          eq(roleGrants.accountId, accountId),
          eq(roleGrants.organisationId, row.offering.organisationId),
          inArray(roleGrants.role, ["org_staff", "org_admin"]),
          isNull(roleGrants.revokedAt),
        ),
      )
      .limit(1);
    if (!assignee) throw new ApiError("NOT_FOUND", "No such staff member in this organisation");
    const at = now();
    const db = c.var.db;
    const assignedNow = sql`EXISTS (SELECT 1 FROM ${bookings} WHERE ${bookingChangedAt(id, at)}
      AND ${bookings.assignedAccountId} = ${accountId})`;
    const [updated] = await db.batch([
      db
        .update(bookings)
        .set({ assignedAccountId: accountId, updatedAt: at })
        .where(and(eq(bookings.id, id), inArray(bookings.status, ["pending", "confirmed", "checked_in"])))
        .returning({ id: bookings.id }),
      auditInsert(
        c,
        {
          action: "booking.assign",
          subjectType: "booking",
          subjectId: id,
          personId: row.booking.personId,
          detail: { assignee: accountId },
        },
        assignedNow,
      ),
      // The assignee's task, in the same transaction.
      ...noticeInserts(
        db,
        [
          {
            to: [accountId],
            notice: {
              kind: "booking_assigned",
              title: "新的服务任务",
              body: `${row.personName}：“${row.offering.title}”${formatWhen(row.slot.startsAt)}${row.booking.address ? `，地址 ${row.booking.address}` : ""}。`,
              params: {
                person: row.personName,
                offering: row.offering.title,
                startsAt: row.slot.startsAt,
                ...(row.booking.address ? { address: row.booking.address } : {}),
              },
              // The slot's page in the staff console, on the slot's own day.
              link: `/staff/slots/${row.slot.id}?date=${shanghaiDate(row.slot.startsAt)}`,
              dedupeKey: `assigned:${id}:${accountId}`,
            },
          },
        ],
        at,
        assignedNow,
      ),
    ]);
    if (updated.length === 0) throw new ApiError("CONFLICT", `This booking is ${row.booking.status}`);
    const fresh = await findBooking(c.var.db, id);
    if (!fresh) throw new ApiError("INTERNAL_ERROR", "Booking vanished");
    return c.json({ ...toBooking(fresh), assignedAccountId: fresh.booking.assignedAccountId }, 200);
  })
  .openapi(rateRoute, async (c) => {
    const { row, asStaff } = await visibleBooking(c, c.req.valid("param").id);
    if (asStaff && !(await actingAs(c, await requireAccount(c), row.booking.personId))) {
      throw new ApiError("NOT_FOUND", "Booking not found");
    }
    const { rating, comment } = c.req.valid("json");
    const at = now();
    const rows = await c.var.db
      .update(bookings)
      .set({ rating, ratingComment: comment ?? null, ratedAt: at, updatedAt: at })
      .where(and(eq(bookings.id, row.booking.id), eq(bookings.status, "completed"), isNull(bookings.rating)))
      .returning({ id: bookings.id });
    if (rows.length === 0) throw new ApiError("CONFLICT", "Only a completed service can be rated, once");
    const updated = await findBooking(c.var.db, row.booking.id);
    if (!updated) throw new ApiError("INTERNAL_ERROR", "Booking vanished");
    return c.json(toBooking(updated), 200);
  });

async function staffMove(
  c: Context<AppEnv>,
  id: string,
  from: Array<"pending" | "confirmed" | "checked_in">,
  to: "confirmed" | "completed" | "no_show",
) {
  const account = await requireStaff(c);
  const row = await findBooking(c.var.db, id);
  if (!row || !staffOf(account, row.offering.organisationId)) throw new ApiError("NOT_FOUND", "Booking not found");
  // Already moved on (a second press): refused before anything is written or audited.
  if (!from.includes(row.booking.status as (typeof from)[number]))
    throw new ApiError("CONFLICT", `This booking is ${row.booking.status}`);
  // A course's enrolments complete (or not) by attendance when its staff close it: never one by one.
  if (to !== "confirmed" && row.offering.kind === "training") await assertNotEvent(c, row.offering);
  const at = now();
  const refusal = to === "confirmed" ? overRefusal(row.slot, at) : outcomeRefusal(row.slot, at);
  if (refusal) throw new ApiError("CONFLICT", refusal);
  const extra = to === "completed" ? { completedAt: at } : {};
  // A confirmation's own write checks the slot has not ended (it may have moved meanwhile), and
  // is told in the same transaction.
  const guard = to === "confirmed" ? slotNotOver(bookings.slotId, at) : undefined;
  const db = c.var.db;
  const [moved] = await db.batch([
    transitionStatement(db, id, from, to, at, extra, guard),
    ...(to === "confirmed" ? confirmedNotices(db, account.id, row, at) : []),
    // Who recorded it, only if it was recorded (a staff action on someone's record).
    auditInsert(
      c,
      { action: `booking.${to}`, subjectType: "booking", subjectId: id, personId: row.booking.personId },
      bookingChangedNow(id, at, to),
    ),
  ]);
  if (moved.length === 0) throw new ApiError("CONFLICT", `This booking is ${row.booking.status}`);
  if (to === "confirmed") deliverSoon(c);
  const updated = await findBooking(db, id);
  if (!updated) throw new ApiError("INTERNAL_ERROR", "Booking vanished");
  return c.json(toBooking(updated), 200);
}

/**
 * Tells the person and whoever booked (not the staff member confirming) that a booking waiting
 * for confirmation is confirmed — by SMS too: until now it only said "waiting". A statement for
 * the confirming batch, after the confirmation.
 */
function confirmedNotices(
  db: Db,
  confirmedBy: string,
  row: NonNullable<Awaited<ReturnType<typeof findBooking>>>,
  at: number,
) {
  const { booking, slot, offering, personName } = row;
  return bookingNotices(
    db,
    bookingChangedAt(booking.id, at, "confirmed"),
    {
      kind: "booking_confirmed",
      title: "预约已确认",
      body: `${personName}：“${offering.title}”${formatWhen(slot.startsAt)}，已确认，签到码 ${booking.code}。`,
      params: { person: personName, offering: offering.title, startsAt: slot.startsAt, code: booking.code },
      dedupePrefix: "confirmed:",
      sms: true,
    },
    at,
    confirmedBy,
  );
}
