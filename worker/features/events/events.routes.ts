import { createRoute } from "@hono/zod-openapi";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import Papa from "papaparse";
import { z } from "zod";
import type { Db } from "../../../db";
import { bookings, communities, eventDetails, offerings, slots } from "../../../db/schema";
import type { AppEnv, SessionAccount } from "../../env";
import { auditInsert } from "../../lib/audit";
import { communityScopes, isStreetAdmin, organisationScopes, requireStaff, staffOfOrganisation } from "../../lib/authz";
import { runBatch, type Statement } from "../../lib/batch";
import { SPREADSHEET_FORMULA } from "../../lib/csv";
import { ApiError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { createRouter, errors, jsonBody, jsonResponse, NoQuery, signedInRoutes } from "../../lib/openapi";
import { fromShanghai, SHANGHAI_OFFSET_MS, shanghaiDate } from "../../lib/shanghai";
import { deliverSoon } from "../../lib/sms";
import { DAY, now } from "../../lib/time";
import { currentAccount } from "../../middleware/session";
import { bookingNotices, insertSlotStatements, promoteStatement } from "../bookings/bookings.queries";
import { slotWindow } from "../bookings/bookings.rules";
import { dropQueuedReminders } from "../bookings/reminders";
import { findFacility } from "../facilities/facilities.queries";
import { noticeInserts } from "../notifications/notifications.queries";
import { findOrganisation } from "../places/places.queries";
import {
  calendarRows,
  type EventRow,
  eventStatsRows,
  findEvent,
  occurrencesCovered,
  occurrencesOf,
  staffEventsQuery,
} from "./events.queries";
import {
  CALENDAR_MAX_DAYS,
  CALENDAR_MAX_ITEMS,
  Calendar,
  CalendarQuery,
  Event,
  EventCancelBody,
  EventInput,
  EventParams,
  EventPatch,
  type EventSchedule,
  EventStats,
  EventStatsQuery,
  OccurrenceCancel,
  OccurrenceChange,
  OccurrenceParams,
  OccurrencesInput,
  ReviewBody,
  StaffEventList,
  StaffEventsQuery,
  scheduleTimes,
} from "./events.schema";
import { MAX_OCCURRENCES } from "./recurrence.schema";

const route = signedInRoutes(["events"]);

const calendarRoute = createRoute({
  method: "get",
  path: "/events",
  tags: ["events"],
  summary: "The public calendar: occurrences of published events in a date range (no sign-in needed)",
  request: { query: CalendarQuery },
  responses: { 200: jsonResponse(Calendar, "Occurrences"), ...errors(400) },
});

const eventRoute = createRoute({
  method: "get",
  path: "/events/{id}",
  tags: ["events"],
  summary: "An event with its occurrences; unpublished ones only to their organisers and reviewers",
  request: { query: NoQuery, params: EventParams },
  responses: { 200: jsonResponse(Event, "Event"), ...errors(400, 404) },
});

const EventAnswer = { 200: jsonResponse(Event, "Event"), ...errors(400, 401, 403, 404, 409) };
const createEventRoute = route(
  "post",
  "/events",
  "Create an event (a draft) with its dates",
  { query: NoQuery, ...jsonBody(EventInput) },
  {
    201: jsonResponse(Event, "Created"),
    ...errors(400, 401, 403, 404, 409),
  },
);
const patchEventRoute = route(
  "patch",
  "/events/{id}",
  "Change an event's details (a published one: only those who may publish it)",
  { query: NoQuery, params: EventParams, ...jsonBody(EventPatch) },
  EventAnswer,
);
const submitRoute = route(
  "post",
  "/events/{id}/submit",
  "Publish the event — or, for organisations that need approval, submit it to its community's staff",
  { query: NoQuery, params: EventParams },
  EventAnswer,
);
const approveRoute = route(
  "post",
  "/events/{id}/approve",
  "Approve and publish a submitted event (staff of its community)",
  { query: NoQuery, params: EventParams },
  EventAnswer,
);
const sendBackRoute = route(
  "post",
  "/events/{id}/send-back",
  "Send a submitted event back to its organiser with a reason (staff of its community)",
  { query: NoQuery, params: EventParams, ...jsonBody(ReviewBody) },
  EventAnswer,
);
const cancelEventRoute = route(
  "post",
  "/events/{id}/cancel",
  "Cancel the event: its occurrences still to come are called off and everyone signed up is told",
  { query: NoQuery, params: EventParams, ...jsonBody(EventCancelBody) },
  EventAnswer,
);
const addOccurrencesRoute = route(
  "post",
  "/events/{id}/occurrences",
  "Add dates to an event: one date or a weekly or monthly pattern",
  { query: NoQuery, params: EventParams, ...jsonBody(OccurrencesInput) },
  { 201: jsonResponse(Event, "Added"), ...errors(400, 401, 403, 404, 409) },
);
const ChangeResult = z.object({
  changed: z.number().int(),
  unchanged: z
    .array(z.string())
    .meta({ description: "Dates left as they were: more places taken than the new capacity, or the time taken" }),
  event: Event,
});
const changeOccurrenceRoute = route(
  "patch",
  "/events/{id}/occurrences/{slotId}",
  "Change the time or places of one occurrence or of it and all following ones; people signed up are told",
  { query: NoQuery, params: OccurrenceParams, ...jsonBody(OccurrenceChange) },
  { 200: jsonResponse(ChangeResult, "Changed"), ...errors(400, 401, 403, 404, 409) },
);
const cancelOccurrenceRoute = route(
  "post",
  "/events/{id}/occurrences/{slotId}/cancel",
  "Cancel one occurrence, or it and all following ones; people signed up are told",
  { query: NoQuery, params: OccurrenceParams, ...jsonBody(OccurrenceCancel) },
  { 200: jsonResponse(ChangeResult, "Cancelled"), ...errors(400, 401, 403, 404, 409) },
);
const staffEventsRoute = route(
  "get",
  "/staff/events",
  "My organisations' events, or the events waiting for my approval",
  { query: StaffEventsQuery },
  { 200: jsonResponse(StaffEventList, "Events"), ...errors(400, 401, 403) },
);

const statsRoute = route(
  "get",
  "/staff/event-stats",
  "Sign-ups, attendance and ratings per event and per organiser (my organisations; all for street admins)",
  { query: EventStatsQuery },
  { 200: jsonResponse(EventStats, "Statistics"), ...errors(400, 401, 403, 404) },
);
const statsCsvRoute = route(
  "get",
  "/staff/event-stats.csv",
  "The same statistics per event as CSV",
  { query: EventStatsQuery },
  { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, ...errors(400, 401, 403, 404) },
);

// ---------- who may do what ----------

/** Community staff of the event's community, or a street admin (the only reviewers of street-wide events). */
function reviews(account: SessionAccount, communityId: string | null) {
  return (
    isStreetAdmin(account) || (communityId !== null && communityScopes(account, ["community_staff"]).has(communityId))
  );
}

/** Community committees and the street office publish their own events; reviewers need no approval either. */
function publishesDirectly(
  account: SessionAccount,
  org: { id: string; type: string },
  communityId: string | null,
): boolean {
  const ownPublisher =
    staffOfOrganisation(account, org.id) && (org.type === "community_committee" || org.type === "street_office");
  return ownPublisher || reviews(account, communityId);
}

function may(account: SessionAccount | null, row: EventRow) {
  if (!account) return { edit: false, review: false, publishDirectly: false, submit: false, cancel: false };
  const org = { id: row.offering.organisationId, type: row.organisationType };
  const direct = publishesDirectly(account, org, row.details.communityId);
  const organiser = staffOfOrganisation(account, org.id);
  const workflow = row.details.workflow;
  const reviewer = reviews(account, row.details.communityId);
  return {
    // Published: only those who may publish it. Waiting for review: only the reviewers (what they
    // approve is what they read). Draft or sent back: its organisers (and reviewers).
    edit:
      workflow !== "cancelled" &&
      (workflow === "published" ? direct : workflow === "submitted" ? reviewer : organiser || reviewer),
    review: workflow === "submitted" && reviewer,
    publishDirectly: direct,
    submit: organiser && (workflow === "draft" || workflow === "sent_back"),
    cancel: workflow !== "cancelled" && (organiser || (reviewer && sees(account, row))),
  };
}

/**
 * The public calendar for a range and filters (`GET /api/events`; also the server-rendered
 * calendar page, worker/features/pages).
 */
export async function calendarFor(db: Db, q: CalendarQuery): Promise<z.infer<typeof Calendar>> {
  const today = shanghaiDate(now());
  const from = q.from ?? today;
  const to = q.to ?? shanghaiDate(fromShanghai(from, "12:00") + 30 * DAY);
  if (!q.from && q.to && q.to < from) throw new ApiError("VALIDATION_FAILED", "to: must not be before today");
  if (!q.from && q.to && Date.parse(q.to) - Date.parse(from) >= CALENDAR_MAX_DAYS * DAY)
    throw new ApiError("VALIDATION_FAILED", `to: at most ${CALENDAR_MAX_DAYS} days at a time`);
  const rows = await calendarRows(db, {
    from: fromShanghai(from, "00:00"),
    to: fromShanghai(to, "00:00") + DAY,
    community: q.community,
    category: q.category,
    audience: q.audience,
  });
  const items = rows.slice(0, CALENDAR_MAX_ITEMS).map((r) => ({
    eventId: r.eventId,
    slotId: r.slotId,
    title: r.title,
    category: r.category,
    audience: r.audience,
    organisationName: r.organisationName,
    communityId: r.communityId,
    communityName: r.communityName,
    place: r.place,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    status: r.status,
    signup: r.signup === 1,
    waitlist: r.waitlist === 1,
    capacity: r.capacity,
    free: Math.max(0, r.capacity - r.heldCount),
    accessibility: JSON.parse(r.accessibility) as z.infer<typeof Calendar>["items"][number]["accessibility"],
  }));
  return { from, to, items, truncated: rows.length > CALENDAR_MAX_ITEMS };
}

/** An event as the reader may see it (`GET /api/events/{id}`; also the server-rendered event page). */
export async function eventFor(c: Context<AppEnv>, id: string): Promise<Event> {
  const { row, account } = await visibleEvent(c, id);
  const at = now();
  return toEvent(row, await occurrencesOf(c.var.db, row.offering.id, at - 30 * DAY), account, at);
}

/**
 * Who may see an event: anyone once it was published (a cancelled one too, to say so); before
 * that its organisers, and its reviewers once it was ever submitted to them.
 */
function sees(account: SessionAccount | null, row: EventRow) {
  if (row.details.publishedAt !== null) return true;
  if (!account) return false;
  if (staffOfOrganisation(account, row.offering.organisationId)) return true;
  return row.details.submittedAt !== null && reviews(account, row.details.communityId);
}

async function visibleEvent(c: Context<AppEnv>, id: string) {
  const row = await findEvent(c.var.db, id);
  const account = await currentAccount(c);
  if (!row || !sees(account, row)) throw new ApiError("NOT_FOUND", "Event not found");
  return { row, account };
}

/** The event for a change by its organiser or a reviewer (others: 404), with what they may do. */
async function editableEvent(c: Context<AppEnv>, id: string) {
  const account = await requireStaff(c);
  const row = await findEvent(c.var.db, id);
  if (
    !row ||
    !(
      staffOfOrganisation(account, row.offering.organisationId) ||
      (sees(account, row) && reviews(account, row.details.communityId))
    )
  ) {
    throw new ApiError("NOT_FOUND", "Event not found");
  }
  const rights = may(account, row);
  if (row.details.workflow === "cancelled") throw new ApiError("CONFLICT", "This event was cancelled");
  if (!rights.edit) {
    throw new ApiError(
      "FORBIDDEN",
      "A published event is changed by the staff of its community; ask them, or cancel it and submit a new one",
    );
  }
  return { account, row };
}

// ---------- shapes ----------

function toEvent(
  row: EventRow,
  occurrences: Array<typeof slots.$inferSelect>,
  account: SessionAccount | null,
  at: number,
) {
  const { offering: o, details: d } = row;
  return {
    id: o.id,
    title: o.title,
    description: o.description,
    category: (o.category ?? "other") as z.infer<typeof Event>["category"],
    audience: d.audience,
    organisationId: o.organisationId,
    organisationName: row.organisationName,
    communityId: d.communityId,
    communityName: row.communityName,
    facilityId: o.facilityId,
    facilityName: row.facilityName,
    facilityAddress: row.facilityAddress,
    placeText: d.placeText,
    accessibility: d.accessibility,
    accessibilityNote: d.accessibilityNote,
    contact: d.contact,
    signup: d.signup,
    minAge: o.minAge,
    opensDaysBefore: o.opensDaysBefore,
    closesHoursBefore: o.closesHoursBefore,
    cancelCutoffHours: o.cancelCutoffHours,
    waitlist: o.waitlist,
    maxActivePerPerson: o.maxActivePerPerson,
    recurrence: d.recurrence,
    workflow: d.workflow,
    reviewNote: d.reviewNote,
    submittedAt: d.submittedAt,
    publishedAt: d.publishedAt,
    cancelledAt: d.cancelledAt,
    rating: { count: row.ratingCount, average: row.ratingAverage },
    occurrences: occurrences.map((s) => {
      const { opensAt, closesAt } = slotWindow(o, s);
      return {
        id: s.id,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        capacity: s.capacity,
        taken: s.heldCount,
        waitlisted: s.waitlistCount,
        free: Math.max(0, s.capacity - s.heldCount),
        status: s.status,
        bookable: d.signup && o.status === "active" && s.status === "open" && at >= opensAt && at < closesAt,
        opensAt,
        closesAt,
      };
    }),
    may: may(account, row),
  };
}

/** The event as the account sees it now: occurrences from a month back on. */
async function eventAnswer(c: Context<AppEnv>, id: string, account: SessionAccount | null) {
  const row = await findEvent(c.var.db, id);
  if (!row) throw new ApiError("NOT_FOUND", "Event not found");
  const at = now();
  return toEvent(row, await occurrencesOf(c.var.db, id, at - 30 * DAY), account, at);
}

// ---------- dates ----------

/** The occurrences a schedule gives, without those already over; a 400 when there are none or too many. */
function scheduledTimes(schedule: EventSchedule, at: number) {
  let ahead: ReturnType<typeof scheduleTimes>;
  try {
    ahead = scheduleTimes(schedule, at);
  } catch (err) {
    if (err instanceof RangeError) {
      throw new ApiError("VALIDATION_FAILED", `schedule: a pattern may give at most ${MAX_OCCURRENCES} dates`);
    }
    throw err;
  }
  if (ahead.length === 0) throw new ApiError("VALIDATION_FAILED", "schedule: every date given is already over");
  return ahead;
}

function slotInserts(db: Db, offeringId: string, schedule: EventSchedule, capacity: number, at: number) {
  const items = scheduledTimes(schedule, at).map((t) => ({ ...t, capacity }));
  const seriesId = "recurrence" in schedule ? newId("ser") : null;
  return insertSlotStatements(db, offeringId, items, seriesId, at).statements;
}

// ---------- workflow writes ----------

/** The event's details row was written at `at`, in `workflow` if given. */
function detailsWrittenAt(id: string, at: number, workflow?: string): SQL {
  return sql`EXISTS (SELECT 1 FROM ${eventDetails} WHERE ${eventDetails.offeringId} = ${id}
    AND ${eventDetails.updatedAt} = ${at}${workflow ? sql` AND ${eventDetails.workflow} = ${workflow}` : sql``})`;
}

/** Publishes in one batch: the details, the offering (now bookable and listed), the audit row. */
function publishStatements(
  c: Context<AppEnv>,
  row: EventRow,
  account: SessionAccount,
  at: number,
  from: string[],
  review: boolean,
) {
  const db = c.var.db;
  const id = row.offering.id;
  return [
    db
      .update(eventDetails)
      .set({
        workflow: "published",
        publishedAt: at,
        updatedAt: at,
        reviewNote: null,
        ...(review ? { reviewedAt: at, reviewedByAccountId: account.id } : {}),
      })
      .where(and(eq(eventDetails.offeringId, id), inArray(eventDetails.workflow, from as ["draft"])))
      .returning({ id: eventDetails.offeringId }),
    db
      .update(offerings)
      .set({ status: "active", updatedAt: at })
      .where(and(eq(offerings.id, id), eq(offerings.status, "draft"), detailsWrittenAt(id, at, "published"))),
    auditInsert(
      c,
      {
        action: review ? "event.approve" : "event.publish",
        subjectType: "offering",
        subjectId: id,
        detail: { title: row.offering.title },
      },
      detailsWrittenAt(id, at, "published"),
    ),
  ] as const;
}

/**
 * Cancels the occurrences `covered` selects and every booking on them, telling each person (and
 * their proxies) of their own occurrence — all in one batch, each statement guarded by the
 * occurrences' own change at `at`.
 */
function cancelOccurrenceStatements(
  c: Context<AppEnv>,
  row: EventRow,
  covered: SQL,
  account: SessionAccount,
  at: number,
  reason: string | undefined,
): Statement[] {
  const db = c.var.db;
  const id = row.offering.id;
  const cancelledNow = sql`${bookings.slotId} IN (SELECT s.id FROM slots s WHERE s.offering_id = ${id}
    AND s.status = 'cancelled' AND s.updated_at = ${at})`;
  return [
    db.update(slots).set({ status: "cancelled", updatedAt: at }).where(covered),
    db
      .update(bookings)
      .set({ status: "cancelled", cancelledAt: at, cancelledByAccountId: account.id, updatedAt: at })
      .where(and(cancelledNow, inArray(bookings.status, ["pending", "confirmed", "waitlisted", "checked_in"]))),
    dropQueuedReminders(db, cancelledNow),
    ...bookingNotices(
      db,
      sql`${cancelledNow} AND ${bookings.status} = 'cancelled' AND ${bookings.cancelledAt} = ${at}
        AND ${bookings.cancelledByAccountId} = ${account.id}`,
      {
        kind: "slot_cancelled",
        title: "活动取消",
        body: `{person}：很抱歉，“${row.offering.title}”（{when}）已取消${reason ? `，${reason}` : ""}。`,
        params: { offering: row.offering.title, ...(reason ? { reason } : {}) },
        dedupePrefix: "slot-cancelled:",
        sms: true,
      },
      at,
    ),
  ];
}

/**
 * Runs a batch that moves occurrences: an occurrence added at the new time meanwhile (after the
 * guards were read) makes SQLite refuse the move — the time is taken, not a server error.
 */
async function runBatchOrTimeTaken(db: Db, statements: Statement[]) {
  try {
    return await runBatch(db, statements);
  } catch (err) {
    if (String(err).includes("UNIQUE constraint failed: slots")) {
      throw new ApiError("SLOT_TIME_TAKEN", "Another occurrence already has that time");
    }
    throw err;
  }
}

/** One date of the event still open and not over at `at` (another event's: 404; over or cancelled: 409). */
async function openOccurrence(db: Db, eventId: string, slotId: string, at: number) {
  const [slot] = await db
    .select()
    .from(slots)
    .where(and(eq(slots.id, slotId), eq(slots.offeringId, eventId)));
  if (!slot) throw new ApiError("NOT_FOUND", "Occurrence not found");
  if (slot.status !== "open" || slot.endsAt <= at)
    throw new ApiError("CONFLICT", "This occurrence is cancelled or over");
  return slot;
}

/** Some date of the event was written at `at` (by an earlier statement of the same batch). */
const datesWrittenNow = (eventId: string, at: number) =>
  sql`EXISTS (SELECT 1 FROM slots WHERE offering_id = ${eventId} AND updated_at = ${at})`;

/** Occurrences of the event written at `at` (by the batch just run). */
function writtenAt(db: Db, id: string, at: number) {
  return db
    .select({ id: slots.id })
    .from(slots)
    .where(and(eq(slots.offeringId, id), eq(slots.updatedAt, at)));
}

// ---------- statistics ----------

/** The statistics asked for, of the organisations the account works for (any, for a street admin). */
async function eventStats(c: Context<AppEnv>, q: z.infer<typeof EventStatsQuery>) {
  const account = await requireStaff(c);
  const admin = isStreetAdmin(account);
  if (q.organisationId && !staffOfOrganisation(account, q.organisationId))
    throw new ApiError("NOT_FOUND", "Organisation not found");
  const scope = q.organisationId ? [q.organisationId] : admin ? null : [...organisationScopes(account)];
  const rows = await eventStatsRows(c.var.db, fromShanghai(q.from, "00:00"), fromShanghai(q.to, "00:00") + DAY, scope);
  const average = (sum: number, n: number) => (n === 0 ? null : Math.round((sum / n) * 100) / 100);
  const events = rows.map(({ ratingSum, organisationId: _o, ...r }) => ({
    ...r,
    averageRating: average(ratingSum, r.ratings),
  }));
  const byOrganiser = new Map<string, (typeof rows)[number] & { events: number }>();
  for (const r of rows) {
    const o = byOrganiser.get(r.organisationId);
    if (!o) {
      byOrganiser.set(r.organisationId, { ...r, events: 1 });
      continue;
    }
    o.events += 1;
    o.occurrences += r.occurrences;
    o.signedUp += r.signedUp;
    o.attended += r.attended;
    o.noShows += r.noShows;
    o.ratings += r.ratings;
    o.ratingSum += r.ratingSum;
  }
  const organisers = [...byOrganiser.values()].map((o) => ({
    organisationId: o.organisationId,
    organisationName: o.organisationName,
    events: o.events,
    occurrences: o.occurrences,
    signedUp: o.signedUp,
    attended: o.attended,
    noShows: o.noShows,
    ratings: o.ratings,
    averageRating: average(o.ratingSum, o.ratings),
  }));
  return { events, organisers };
}

// ---------- handlers ----------

export const eventsRoutes = createRouter()
  .openapi(calendarRoute, async (c) => {
    const calendar = await calendarFor(c.var.db, c.req.valid("query"));
    // Places change by the minute: a browser asks again each time (a shared cache may keep it briefly).
    c.header("Cache-Control", "public, no-cache, s-maxage=30");
    return c.json(calendar, 200);
  })
  .openapi(eventRoute, async (c) => c.json(await eventFor(c, c.req.valid("param").id), 200))
  .openapi(createEventRoute, async (c) => {
    const account = await requireStaff(c);
    const input = c.req.valid("json");
    if (!staffOfOrganisation(account, input.organisationId))
      throw new ApiError("FORBIDDEN", "You publish for your own organisation only");
    const org = await findOrganisation(c.var.db, input.organisationId);
    if (!org) throw new ApiError("NOT_FOUND", "Organisation not found");
    // A committee's events are its own community's; the street office's may be street-wide.
    if (org.type === "community_committee" && input.communityId && input.communityId !== org.communityId) {
      throw new ApiError("VALIDATION_FAILED", "communityId: a community committee's events are its own community's");
    }
    const communityId =
      org.type === "community_committee" ? org.communityId : (input.communityId ?? org.communityId ?? null);
    if (communityId === null && org.type !== "street_office") {
      throw new ApiError("VALIDATION_FAILED", "communityId: say which community's residents the event is for");
    }
    const db = c.var.db;
    if (
      communityId &&
      !(await db.select({ id: communities.id }).from(communities).where(eq(communities.id, communityId))).length
    )
      throw new ApiError("NOT_FOUND", "Community not found");
    if (input.facilityId && !(await findFacility(db, input.facilityId)))
      throw new ApiError("NOT_FOUND", "Facility not found");
    const at = now();
    const id = newId("off");
    await runBatch(db, [
      db.insert(offerings).values({
        id,
        organisationId: org.id,
        facilityId: input.facilityId,
        kind: "event",
        category: input.category,
        title: input.title,
        description: input.description,
        minAge: input.minAge,
        opensDaysBefore: input.opensDaysBefore,
        closesHoursBefore: input.closesHoursBefore,
        cancelCutoffHours: input.cancelCutoffHours,
        waitlist: input.signup && input.waitlist,
        maxActivePerPerson: input.maxActivePerPerson,
        status: "draft",
        createdAt: at,
        updatedAt: at,
      }),
      db.insert(eventDetails).values({
        offeringId: id,
        communityId,
        audience: input.audience,
        placeText: input.placeText,
        accessibility: input.accessibility,
        accessibilityNote: input.accessibilityNote,
        contact: input.contact,
        signup: input.signup,
        recurrence: "recurrence" in input.schedule ? input.schedule.recurrence : null,
        workflow: "draft",
        createdByAccountId: account.id,
        updatedAt: at,
      }),
      ...slotInserts(db, id, input.schedule, input.capacity ?? 0, at),
      auditInsert(c, {
        action: "event.create",
        subjectType: "offering",
        subjectId: id,
        detail: { title: input.title },
      }),
    ]);
    return c.json(await eventAnswer(c, id, account), 201);
  })
  .openapi(patchEventRoute, async (c) => {
    const { account, row } = await editableEvent(c, c.req.valid("param").id);
    const patch = c.req.valid("json");
    if (patch.facilityId && !(await findFacility(c.var.db, patch.facilityId)))
      throw new ApiError("NOT_FOUND", "Facility not found");
    const merged = {
      facilityId: patch.facilityId === undefined ? row.offering.facilityId : patch.facilityId,
      placeText: patch.placeText === undefined ? row.details.placeText : patch.placeText,
      opensDaysBefore: patch.opensDaysBefore ?? row.offering.opensDaysBefore,
      closesHoursBefore: patch.closesHoursBefore ?? row.offering.closesHoursBefore,
    };
    if (merged.facilityId === null && merged.placeText === null)
      throw new ApiError("VALIDATION_FAILED", "placeText: say where, a facility or a place in words");
    if (merged.opensDaysBefore * 24 <= merged.closesHoursBefore)
      throw new ApiError("VALIDATION_FAILED", "closesHoursBefore: sign-up must open before it closes");
    const { audience, placeText, accessibility, accessibilityNote, contact, waitlist, ...offeringPatch } = patch;
    const details = { audience, placeText, accessibility, accessibilityNote, contact };
    const at = now();
    const db = c.var.db;
    const id = row.offering.id;
    const [written] = await runBatch(db, [
      db
        .update(eventDetails)
        .set({ ...Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined)), updatedAt: at })
        .where(and(eq(eventDetails.offeringId, id), eq(eventDetails.workflow, row.details.workflow)))
        .returning({ id: eventDetails.offeringId }),
      db
        .update(offerings)
        .set({
          ...offeringPatch,
          ...(waitlist === undefined ? {} : { waitlist: row.details.signup && waitlist }),
          updatedAt: at,
        })
        .where(and(eq(offerings.id, id), detailsWrittenAt(id, at))),
      auditInsert(
        c,
        { action: "event.update", subjectType: "offering", subjectId: id, detail: { fields: Object.keys(patch) } },
        detailsWrittenAt(id, at),
      ),
    ]);
    if (!written?.length) throw new ApiError("CONFLICT", "The event changed meanwhile; reload and try again");
    return c.json(await eventAnswer(c, id, account), 200);
  })
  .openapi(submitRoute, async (c) => {
    const account = await requireStaff(c);
    const row = await findEvent(c.var.db, c.req.valid("param").id);
    if (!row || !staffOfOrganisation(account, row.offering.organisationId))
      throw new ApiError("NOT_FOUND", "Event not found");
    const { workflow } = row.details;
    if (workflow !== "draft" && workflow !== "sent_back") {
      throw new ApiError(
        "CONFLICT",
        workflow === "submitted" ? "Already waiting for approval" : `This event is ${workflow}`,
      );
    }
    const at = now();
    const ahead = await c.var.db
      .select({ id: slots.id })
      .from(slots)
      .where(and(eq(slots.offeringId, row.offering.id), eq(slots.status, "open"), sql`${slots.endsAt} > ${at}`))
      .limit(1);
    if (ahead.length === 0) throw new ApiError("CONFLICT", "Add a date still to come first");
    const db = c.var.db;
    const id = row.offering.id;
    const direct = publishesDirectly(
      account,
      { id: row.offering.organisationId, type: row.organisationType },
      row.details.communityId,
    );
    if (direct) {
      const [published] = await runBatch(db, [
        ...publishStatements(c, row, account, at, ["draft", "sent_back"], false),
      ]);
      if (!published?.length) throw new ApiError("CONFLICT", "The event changed meanwhile; reload and try again");
    } else {
      const [submitted] = await runBatch(db, [
        db
          .update(eventDetails)
          .set({ workflow: "submitted", submittedAt: at, updatedAt: at })
          .where(and(eq(eventDetails.offeringId, id), inArray(eventDetails.workflow, ["draft", "sent_back"])))
          .returning({ id: eventDetails.offeringId }),
        auditInsert(
          c,
          { action: "event.submit", subjectType: "offering", subjectId: id, detail: { title: row.offering.title } },
          detailsWrittenAt(id, at, "submitted"),
        ),
      ]);
      if (!submitted?.length) throw new ApiError("CONFLICT", "The event changed meanwhile; reload and try again");
    }
    return c.json(await eventAnswer(c, id, account), 200);
  })
  .openapi(approveRoute, async (c) => {
    const account = await requireStaff(c);
    const row = await findEvent(c.var.db, c.req.valid("param").id);
    if (!row || !reviews(account, row.details.communityId) || !sees(account, row))
      throw new ApiError("NOT_FOUND", "Event not found");
    if (row.details.workflow !== "submitted") throw new ApiError("CONFLICT", `This event is ${row.details.workflow}`);
    const at = now();
    const id = row.offering.id;
    const db = c.var.db;
    const [published] = await runBatch(db, [
      ...publishStatements(c, row, account, at, ["submitted"], true),
      ...noticeInserts(
        db,
        [
          {
            to: [row.details.createdByAccountId],
            notice: {
              kind: "event_published",
              title: "活动已发布",
              body: `您提交的活动“${row.offering.title}”已通过审核并发布。`,
              link: `/events/${id}`,
              params: { offering: row.offering.title },
            },
          },
        ],
        at,
        detailsWrittenAt(id, at, "published"),
      ),
    ]);
    if (!published?.length) throw new ApiError("CONFLICT", "The event changed meanwhile; reload and try again");
    return c.json(await eventAnswer(c, id, account), 200);
  })
  .openapi(sendBackRoute, async (c) => {
    const account = await requireStaff(c);
    const { reason } = c.req.valid("json");
    const row = await findEvent(c.var.db, c.req.valid("param").id);
    if (!row || !reviews(account, row.details.communityId) || !sees(account, row))
      throw new ApiError("NOT_FOUND", "Event not found");
    if (row.details.workflow !== "submitted") throw new ApiError("CONFLICT", `This event is ${row.details.workflow}`);
    const at = now();
    const id = row.offering.id;
    const db = c.var.db;
    const [sent] = await runBatch(db, [
      db
        .update(eventDetails)
        .set({
          workflow: "sent_back",
          reviewNote: reason,
          reviewedAt: at,
          reviewedByAccountId: account.id,
          updatedAt: at,
        })
        .where(and(eq(eventDetails.offeringId, id), eq(eventDetails.workflow, "submitted")))
        .returning({ id: eventDetails.offeringId }),
      auditInsert(
        c,
        { action: "event.send_back", subjectType: "offering", subjectId: id, detail: { reason } },
        detailsWrittenAt(id, at, "sent_back"),
      ),
      ...noticeInserts(
        db,
        [
          {
            to: [row.details.createdByAccountId],
            notice: {
              kind: "event_sent_back",
              title: "活动需修改",
              body: `您提交的活动“${row.offering.title}”需要修改：${reason}`,
              link: `/staff/events/${id}`,
              params: { offering: row.offering.title, reason },
            },
          },
        ],
        at,
        detailsWrittenAt(id, at, "sent_back"),
      ),
    ]);
    if (!sent?.length) throw new ApiError("CONFLICT", "The event changed meanwhile; reload and try again");
    return c.json(await eventAnswer(c, id, account), 200);
  })
  .openapi(cancelEventRoute, async (c) => {
    const account = await requireStaff(c);
    const row = await findEvent(c.var.db, c.req.valid("param").id);
    const organiser = row && staffOfOrganisation(account, row.offering.organisationId);
    if (!row || !(organiser || (sees(account, row) && reviews(account, row.details.communityId))))
      throw new ApiError("NOT_FOUND", "Event not found");
    if (row.details.workflow === "cancelled") throw new ApiError("CONFLICT", "This event was already cancelled");
    const { reason } = c.req.valid("json");
    const at = now();
    const id = row.offering.id;
    const db = c.var.db;
    const from = row.details.workflow;
    const [cancelled] = await runBatch(db, [
      db
        .update(eventDetails)
        .set({ workflow: "cancelled", reviewNote: reason, cancelledAt: at, updatedAt: at })
        .where(and(eq(eventDetails.offeringId, id), eq(eventDetails.workflow, from)))
        .returning({ id: eventDetails.offeringId }),
      db
        .update(offerings)
        .set({ status: "archived", updatedAt: at })
        // One never published stays a draft: nobody but its organisers ever sees it.
        .where(and(eq(offerings.id, id), eq(offerings.status, "active"), detailsWrittenAt(id, at, "cancelled"))),
      ...cancelOccurrenceStatements(
        c,
        row,
        sql`${occurrencesCovered(id, null, at)} AND ${detailsWrittenAt(id, at, "cancelled")}`,
        account,
        at,
        reason,
      ),
      auditInsert(
        c,
        { action: "event.cancel", subjectType: "offering", subjectId: id, detail: { reason, was: from } },
        detailsWrittenAt(id, at, "cancelled"),
      ),
    ]);
    if (!cancelled?.length) throw new ApiError("CONFLICT", "The event changed meanwhile; reload and try again");
    deliverSoon(c);
    return c.json(await eventAnswer(c, id, account), 200);
  })
  .openapi(addOccurrencesRoute, async (c) => {
    const { account, row } = await editableEvent(c, c.req.valid("param").id);
    const input = c.req.valid("json");
    if (row.details.signup && input.capacity === null)
      throw new ApiError("VALIDATION_FAILED", "capacity: this event takes sign-ups; say how many places");
    if (!row.details.signup && input.capacity !== null)
      throw new ApiError("VALIDATION_FAILED", "capacity: this event takes no sign-ups");
    const at = now();
    const db = c.var.db;
    const id = row.offering.id;
    const statements = slotInserts(db, id, input.schedule, input.capacity ?? 0, at);
    const results = await runBatch(db, [
      ...statements,
      auditInsert(
        c,
        {
          action: "event.add_dates",
          subjectType: "offering",
          subjectId: id,
          detail: sql`json_object('count', (SELECT count(*) FROM slots WHERE offering_id = ${id} AND created_at = ${at}))`,
        },
        sql`EXISTS (SELECT 1 FROM slots WHERE offering_id = ${id} AND created_at = ${at})`,
      ),
    ]);
    const written = results.slice(0, statements.length).flat().length;
    if (written === 0) throw new ApiError("SLOT_TIME_TAKEN", "The event already has every one of these dates");
    return c.json(await eventAnswer(c, id, account), 201);
  })
  .openapi(changeOccurrenceRoute, async (c) => {
    const { slotId, id } = c.req.valid("param");
    const { account, row } = await editableEvent(c, id);
    const change = c.req.valid("json");
    const db = c.var.db;
    const at = now();
    const slot = await openOccurrence(db, id, slotId, at);
    if (change.capacity !== undefined && !row.details.signup)
      throw new ApiError("VALIDATION_FAILED", "capacity: this event takes no sign-ups");
    const covered = occurrencesCovered(id, { slot, scope: change.scope }, at);
    // The new time keeps each occurrence's own date(s): Shanghai has no daylight saving, so a time
    // of day is a fixed offset from the day's start.
    const day = (col: SQL) => sql`(${col} - (${col} + ${SHANGHAI_OFFSET_MS}) % ${DAY})`;
    const offset = (hhmm: string) => fromShanghai("1970-01-01", hhmm) + SHANGHAI_OFFSET_MS;
    const newStart =
      change.start === undefined
        ? sql`${slots.startsAt}`
        : sql`${day(sql`${slots.startsAt}`)} + ${offset(change.start)}`;
    const newEnd =
      change.end === undefined ? sql`${slots.endsAt}` : sql`${day(sql`${slots.endsAt}`)} + ${offset(change.end)}`;
    const timeChanged = change.start !== undefined;
    // Each occurrence is changed only if its places still fit and its new time is free — checked
    // by the update row by row, so a sign-up landing meanwhile is never squeezed out.
    const guards = and(
      covered,
      change.capacity === undefined ? undefined : sql`${change.capacity} >= ${slots.heldCount}`,
      // A time change moves only occurrences not already at that time (nobody is told of nothing).
      timeChanged
        ? sql`${newEnd} > ${newStart} AND ${newEnd} > ${at} AND (${newStart} <> ${slots.startsAt} OR ${newEnd} <> ${slots.endsAt})
            AND NOT EXISTS (SELECT 1 FROM slots other WHERE other.offering_id = ${id}
            AND other.status = 'open' AND other.id <> ${slots.id} AND other.starts_at = ${newStart})`
        : undefined,
    );
    // Who waits for a place on an occurrence getting more: read first, promoted in the batch — each
    // promotion only if its occurrence was changed, and guarded by the places it finds then.
    const waiting =
      change.capacity === undefined
        ? []
        : await db
            .select({ id: slots.id })
            .from(slots)
            .where(and(covered, sql`${slots.waitlistCount} > 0`))
            .limit(MAX_OCCURRENCES);
    const targets = await db
      .select({ id: slots.id, startsAt: slots.startsAt })
      .from(slots)
      .where(covered)
      .limit(MAX_OCCURRENCES);
    // Two occurrences on one day cannot both take the same new time of day.
    const days = targets.map((t) => shanghaiDate(t.startsAt));
    if (timeChanged && new Set(days).size < days.length) {
      throw new ApiError("SLOT_TIME_TAKEN", "Two of these occurrences are on the same day: change them one at a time");
    }
    const promoted = sql`${bookings.offeringId} = ${id} AND ${bookings.promotedAt} = ${at} AND ${bookings.status} = 'confirmed'`;
    const changedNow = sql`${bookings.slotId} IN (SELECT s.id FROM slots s WHERE s.offering_id = ${id} AND s.updated_at = ${at})`;
    await runBatchOrTimeTaken(db, [
      db
        .update(slots)
        .set({
          ...(change.capacity === undefined ? {} : { capacity: change.capacity }),
          ...(timeChanged ? { startsAt: newStart, endsAt: newEnd } : {}),
          updatedAt: at,
        })
        .where(guards),
      ...waiting.map((s) =>
        promoteStatement(db, s.id, at, sql`EXISTS (SELECT 1 FROM slots WHERE id = ${s.id} AND updated_at = ${at})`),
      ),
      // Events need no confirmation: a place off the waitlist is confirmed, each told of their own time.
      ...(waiting.length
        ? bookingNotices(
            db,
            promoted,
            {
              kind: "waitlist_promoted",
              title: "候补成功",
              body: `{person}：候补的“${row.offering.title}”（{when}）已有名额，预约已生效。`,
              params: { offering: row.offering.title },
              dedupePrefix: "promoted:",
              sms: true,
            },
            at,
          )
        : []),
      ...(timeChanged
        ? [
            dropQueuedReminders(db, changedNow),
            ...bookingNotices(
              db,
              sql`${changedNow} AND ${bookings.status} IN ('pending', 'confirmed', 'waitlisted', 'checked_in')`,
              {
                kind: "slot_changed",
                title: "活动时间变更",
                body: `{person}：“${row.offering.title}”的时间改为 {when}。如不方便请在“我的预约”中取消。`,
                params: { offering: row.offering.title },
                sms: true,
              },
              at,
            ),
          ]
        : []),
      auditInsert(
        c,
        {
          action: "event.change_dates",
          subjectType: "offering",
          subjectId: id,
          detail: { ...change, from: slot.id },
        },
        datesWrittenNow(id, at),
      ),
    ]);
    const changedIds = new Set((await writtenAt(db, id, at)).map((r) => r.id));
    deliverSoon(c);
    return c.json(
      {
        changed: changedIds.size,
        unchanged: targets.filter((t) => !changedIds.has(t.id)).map((t) => shanghaiDate(t.startsAt)),
        event: await eventAnswer(c, id, account),
      },
      200,
    );
  })
  .openapi(cancelOccurrenceRoute, async (c) => {
    const { slotId, id } = c.req.valid("param");
    const { account, row } = await editableEvent(c, id);
    const { scope, reason } = c.req.valid("json");
    const db = c.var.db;
    const at = now();
    const slot = await openOccurrence(db, id, slotId, at);
    await runBatch(db, [
      ...cancelOccurrenceStatements(c, row, occurrencesCovered(id, { slot, scope }, at), account, at, reason),
      auditInsert(
        c,
        {
          action: "event.cancel_dates",
          subjectType: "offering",
          subjectId: id,
          detail: { scope, from: slot.id, reason: reason ?? null },
        },
        sql`EXISTS (SELECT 1 FROM slots WHERE offering_id = ${id} AND updated_at = ${at} AND status = 'cancelled')`,
      ),
    ]);
    const cancelled = await writtenAt(db, id, at);
    deliverSoon(c);
    return c.json({ changed: cancelled.length, unchanged: [], event: await eventAnswer(c, id, account) }, 200);
  })
  .openapi(statsRoute, async (c) => c.json(await eventStats(c, c.req.valid("query")), 200))
  .openapi(statsCsvRoute, async (c) => {
    const q = c.req.valid("query");
    const { events } = await eventStats(c, q);
    // Titles and names are typed by people: a cell starting with = + - @ goes out as text.
    const csv = Papa.unparse(
      {
        fields: [
          "event_id",
          "title",
          "organiser",
          "occurrences",
          "signed_up",
          "attended",
          "no_shows",
          "ratings",
          "average_rating",
        ],
        data: events.map((e) => [
          e.id,
          e.title,
          e.organisationName,
          e.occurrences,
          e.signedUp,
          e.attended,
          e.noShows,
          e.ratings,
          e.averageRating ?? "",
        ]),
      },
      { escapeFormulae: SPREADSHEET_FORMULA },
    );
    return c.body(`\uFEFF${csv}\r\n`, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="event-stats-${q.from}-${q.to}.csv"`,
    });
  })
  .openapi(staffEventsRoute, async (c) => {
    const account = await requireStaff(c);
    const { view } = c.req.valid("query");
    const admin = isStreetAdmin(account);
    const rows = await staffEventsQuery(
      c.var.db,
      view === "mine"
        ? { kind: "mine", organisationIds: admin ? null : [...organisationScopes(account)] }
        : { kind: "queue", communityIds: admin ? null : [...communityScopes(account, ["community_staff"])] },
      now(),
    );
    return c.json(
      { events: rows.map((r) => ({ ...r, category: (r.category ?? "other") as z.infer<typeof Event>["category"] })) },
      200,
    );
  });
