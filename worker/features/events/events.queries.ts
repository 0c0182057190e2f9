import { and, asc, desc, eq, gt, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db";
import { bookings, communities, eventDetails, facilities, offerings, organisations, slots } from "../../../db/schema";
import { CALENDAR_MAX_ITEMS, type EventAudience, type EventCategory } from "./events.schema";

/** An event: its offering, its details, and the names the pages show. */
export function eventQuery(db: Db, id: string) {
  return db
    .select({
      offering: offerings,
      details: eventDetails,
      organisationName: sql<string>`${organisations.name}`.as("organisation_name"),
      organisationType: organisations.type,
      organisationCommunityId: sql<string | null>`${organisations.communityId}`.as("organisation_community_id"),
      communityName: sql<string | null>`${communities.name}`.as("community_name"),
      facilityName: sql<string | null>`${facilities.name}`.as("facility_name"),
      facilityAddress: sql<string | null>`${facilities.address}`.as("facility_address"),
      ratingCount: sql<number>`(SELECT count(*) FROM bookings b WHERE b.offering_id = ${offerings.id}
        AND b.rating IS NOT NULL)`.as("rating_count"),
      ratingAverage: sql<number | null>`(SELECT round(avg(b.rating), 2) FROM bookings b
        WHERE b.offering_id = ${offerings.id} AND b.rating IS NOT NULL)`.as("rating_average"),
    })
    .from(offerings)
    .innerJoin(eventDetails, eq(eventDetails.offeringId, offerings.id))
    .innerJoin(organisations, eq(organisations.id, offerings.organisationId))
    .leftJoin(communities, eq(communities.id, eventDetails.communityId))
    .leftJoin(facilities, eq(facilities.id, offerings.facilityId))
    .where(and(eq(offerings.id, id), eq(offerings.kind, "event")))
    .limit(1);
}
export type EventRow = Awaited<ReturnType<typeof eventQuery>>[number];

export async function findEvent(db: Db, id: string): Promise<EventRow | null> {
  const [row] = await eventQuery(db, id);
  return row ?? null;
}

/** The most occurrences an event's page lists. */
export const OCCURRENCES_LISTED = 400;

/** An event's occurrences ending after `from`, earliest first. */
export function occurrencesOf(db: Db, offeringId: string, from: number) {
  return db
    .select()
    .from(slots)
    .where(and(eq(slots.offeringId, offeringId), gt(slots.endsAt, from)))
    .orderBy(asc(slots.startsAt), asc(slots.id))
    .limit(OCCURRENCES_LISTED);
}

/** Where an event is, in words: the facility, the place text, or both. */
export const placeSql = sql<string>`CASE
  WHEN f.name IS NOT NULL AND e.place_text IS NOT NULL THEN f.name || ' · ' || e.place_text
  ELSE coalesce(f.name, e.place_text, '') END`;

/** Occurrences of events the public sees (published, or cancelled after publishing) in a range. */
export interface CalendarFilter {
  from: number;
  to: number;
  community?: string | undefined;
  category?: EventCategory | undefined;
  audience?: EventAudience | undefined;
}

function calendarWhere(filter: Omit<CalendarFilter, "from" | "to">): SQL {
  return sql`e.workflow IN ('published', 'cancelled') AND e.published_at IS NOT NULL
    ${filter.community ? sql`AND (e.community_id = ${filter.community} OR e.community_id IS NULL)` : sql``}
    ${filter.category ? sql`AND o.category = ${filter.category}` : sql``}
    ${filter.audience ? sql`AND e.audience IN (${filter.audience}, 'all')` : sql``}`;
}

export interface CalendarRow {
  eventId: string;
  slotId: string;
  title: string;
  description: string;
  category: EventCategory;
  audience: EventAudience;
  organisationName: string;
  communityId: string | null;
  communityName: string | null;
  place: string;
  startsAt: number;
  endsAt: number;
  status: "open" | "cancelled";
  signup: number;
  waitlist: number;
  capacity: number;
  heldCount: number;
  accessibility: string;
  contact: string;
  updatedAt: number;
}

/**
 * The public calendar: every occurrence overlapping [from, to) of events the public sees, earliest
 * first, at most `limit` (one more is read to tell the caller the list was cut).
 */
export async function calendarRows(db: Db, filter: CalendarFilter, limit = CALENDAR_MAX_ITEMS): Promise<CalendarRow[]> {
  const result = await db.all<CalendarRow>(sql`
    SELECT o.id AS eventId, s.id AS slotId, o.title AS title, o.description AS description,
      coalesce(o.category, 'other') AS category, e.audience AS audience, org.name AS organisationName,
      e.community_id AS communityId, c.name AS communityName, ${placeSql} AS place,
      s.starts_at AS startsAt, s.ends_at AS endsAt, s.status AS status, e.signup AS signup, o.waitlist AS waitlist,
      s.capacity AS capacity, s.held_count AS heldCount, e.accessibility AS accessibility,
      e.contact AS contact, max(s.updated_at, e.updated_at, o.updated_at) AS updatedAt
    FROM slots s
      JOIN offerings o ON o.id = s.offering_id
      JOIN event_details e ON e.offering_id = o.id
      JOIN organisations org ON org.id = o.organisation_id
      LEFT JOIN communities c ON c.id = e.community_id
      LEFT JOIN facilities f ON f.id = o.facility_id
    WHERE o.kind = 'event' AND s.starts_at < ${filter.to} AND s.ends_at > ${filter.from}
      AND s.starts_at > ${filter.from - 62 * 86_400_000}
      AND ${calendarWhere(filter)}
    ORDER BY s.starts_at, s.id
    LIMIT ${limit + 1}`);
  return result;
}

/** Newly published events, newest first, with their first occurrence still to come (for RSS/Atom). */
export async function newlyPublished(
  db: Db,
  filter: Omit<CalendarFilter, "from" | "to" | "audience">,
  at: number,
  limit = 50,
) {
  return db.all<{
    eventId: string;
    title: string;
    description: string;
    category: EventCategory;
    organisationName: string;
    communityName: string | null;
    place: string;
    publishedAt: number;
    updatedAt: number;
    nextStartsAt: number | null;
  }>(sql`
    SELECT o.id AS eventId, o.title AS title, o.description AS description, coalesce(o.category, 'other') AS category,
      org.name AS organisationName, c.name AS communityName, ${placeSql} AS place,
      e.published_at AS publishedAt, max(e.updated_at, o.updated_at) AS updatedAt,
      (SELECT min(s.starts_at) FROM slots s WHERE s.offering_id = o.id AND s.status = 'open'
         AND s.ends_at > ${at}) AS nextStartsAt
    FROM event_details e
      JOIN offerings o ON o.id = e.offering_id
      JOIN organisations org ON org.id = o.organisation_id
      LEFT JOIN communities c ON c.id = e.community_id
      LEFT JOIN facilities f ON f.id = o.facility_id
    WHERE e.workflow = 'published' AND ${calendarWhere(filter)}
    ORDER BY e.published_at DESC, o.id
    LIMIT ${limit}`);
}

/**
 * Events for the staff console: `mine` — the organisations' own (every workflow state); `queue` —
 * submitted events waiting for review in the communities given (all of them for a street admin,
 * `communityIds` null).
 */
export function staffEventsQuery(
  db: Db,
  view: { kind: "mine"; organisationIds: string[] | null } | { kind: "queue"; communityIds: string[] | null },
  at: number,
) {
  const where =
    view.kind === "mine"
      ? view.organisationIds === null
        ? sql`1`
        : inArray(offerings.organisationId, view.organisationIds.length ? view.organisationIds : [""])
      : and(
          eq(eventDetails.workflow, "submitted"),
          // A street-wide event (no community) is the street admins' to review (`null`: every one).
          view.communityIds === null
            ? sql`1`
            : inArray(eventDetails.communityId, view.communityIds.length ? view.communityIds : [""]),
        );
  return db
    .select({
      id: offerings.id,
      title: offerings.title,
      category: offerings.category,
      organisationName: sql<string>`${organisations.name}`.as("organisation_name"),
      communityName: sql<string | null>`${communities.name}`.as("community_name"),
      workflow: eventDetails.workflow,
      reviewNote: eventDetails.reviewNote,
      submittedAt: eventDetails.submittedAt,
      updatedAt: eventDetails.updatedAt,
      firstStartsAt: sql<
        number | null
      >`(SELECT min(s.starts_at) FROM slots s WHERE s.offering_id = ${offerings.id})`.as("first_starts_at"),
      nextStartsAt: sql<number | null>`(SELECT min(s.starts_at) FROM slots s WHERE s.offering_id = ${offerings.id}
        AND s.status = 'open' AND s.ends_at > ${at})`.as("next_starts_at"),
      occurrences: sql<number>`(SELECT count(*) FROM slots s WHERE s.offering_id = ${offerings.id}
        AND s.status = 'open')`.as("occurrences"),
    })
    .from(eventDetails)
    .innerJoin(offerings, eq(offerings.id, eventDetails.offeringId))
    .innerJoin(organisations, eq(organisations.id, offerings.organisationId))
    .leftJoin(communities, eq(communities.id, eventDetails.communityId))
    .where(where)
    .orderBy(view.kind === "queue" ? asc(eventDetails.submittedAt) : desc(eventDetails.updatedAt))
    .limit(500);
}

/**
 * Attendance and ratings of the events whose occurrences start in [from, to): per event, for
 * the organisations given (all for `null`). Counts bookings of occurrences not cancelled.
 */
export async function eventStatsRows(db: Db, from: number, to: number, organisationIds: string[] | null) {
  const orgs =
    organisationIds === null
      ? sql`1`
      : organisationIds.length
        ? sql`o.organisation_id IN (SELECT value FROM json_each(${JSON.stringify(organisationIds)}))`
        : sql`0`;
  return db.all<{
    id: string;
    title: string;
    organisationId: string;
    organisationName: string;
    occurrences: number;
    signedUp: number;
    attended: number;
    noShows: number;
    ratings: number;
    ratingSum: number;
  }>(sql`
    SELECT o.id AS id, o.title AS title, o.organisation_id AS organisationId, org.name AS organisationName,
      count(DISTINCT s.id) AS occurrences,
      count(b.id) FILTER (WHERE b.status IN ('confirmed', 'pending', 'checked_in', 'completed')) AS signedUp,
      count(b.id) FILTER (WHERE b.status IN ('checked_in', 'completed')) AS attended,
      count(b.id) FILTER (WHERE b.status = 'no_show') AS noShows,
      count(b.rating) AS ratings,
      coalesce(sum(b.rating), 0) AS ratingSum
    FROM offerings o
      JOIN event_details e ON e.offering_id = o.id
      JOIN organisations org ON org.id = o.organisation_id
      JOIN slots s ON s.offering_id = o.id AND s.status = 'open'
      LEFT JOIN bookings b ON b.slot_id = s.id
    WHERE o.kind = 'event' AND e.published_at IS NOT NULL AND s.starts_at >= ${from} AND s.starts_at < ${to}
      AND ${orgs}
    GROUP BY o.id
    ORDER BY org.name, min(s.starts_at), o.id
    LIMIT 2000`);
}

/**
 * The occurrences a change or cancellation covers, of those open and not over at `at`: the one
 * given, or (`following`) it and every later one of the same pattern (a one-off: itself alone);
 * with `null`, every one still to come.
 */
export function occurrencesCovered(
  offeringId: string,
  which: { slot: { id: string; startsAt: number; seriesId: string | null }; scope: "one" | "following" } | null,
  at: number,
): SQL {
  const open = sql`${slots.offeringId} = ${offeringId} AND ${slots.status} = 'open' AND ${slots.endsAt} > ${at}`;
  if (!which) return open;
  const { slot, scope } = which;
  if (scope === "one" || slot.seriesId === null) return sql`${open} AND ${slots.id} = ${slot.id}`;
  return sql`${open} AND ${slots.seriesId} = ${slot.seriesId} AND ${slots.startsAt} >= ${slot.startsAt}`;
}

/**
 * Attendance of events that are over is complete: a booking checked in at the door becomes
 * `completed` at its occurrence's end, so the attendee may rate the event (the cron job, every 15
 * minutes; safe to run twice). Occurrences that began in the week before `at` — older ones were
 * completed by earlier runs, and staff may have recorded them otherwise since.
 */
export function completeAttendedEvents(db: Db, at: number) {
  return db
    .update(bookings)
    .set({
      status: "completed",
      completedAt: sql`(SELECT s.ends_at FROM slots s WHERE s.id = ${bookings.slotId})`,
      updatedAt: at,
    })
    .where(
      and(
        eq(bookings.status, "checked_in"),
        sql`${bookings.slotId} IN (SELECT s.id FROM slots s JOIN offerings o ON o.id = s.offering_id
          WHERE o.kind = 'event' AND s.starts_at > ${at - 7 * 86_400_000} AND s.starts_at <= ${at} AND s.ends_at <= ${at})`,
      ),
    );
}
