import { and, asc, desc, eq, getTableColumns, gt, inArray, lte, ne, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { alias, type SQLiteSelect } from "drizzle-orm/sqlite-core";
import type { Db } from "../../../db";
import type { BookingStatus, SmsParams } from "../../../db/schema";
import {
  bookings,
  facilities,
  notifications,
  offerings,
  organisations,
  outbox,
  persons,
  proxyLinks,
  slots,
} from "../../../db/schema";
import { newId, newSortableId } from "../../lib/ids";
import { insertWhere } from "../../lib/insert-where";
import { formatWhen, SHANGHAI_OFFSET_MS } from "../../lib/shanghai";
import { smsTemplate } from "../../lib/sms";
import type { Notice } from "../notifications/notifications.queries";
import { ELIGIBLE, SLOT_CLOSES_AT, SLOT_OPENS_AT, SLOT_PRIORITY_OPENS_AT, windowOpen } from "./bookings.rules";
import type { Booking } from "./bookings.schema";

/** A person is "on" a slot in these statuses (one such booking per person and slot). */
const ACTIVE = sql.raw("('pending', 'confirmed', 'waitlisted', 'checked_in')");

export const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A short check-in code without look-alike characters (no 0/O, 1/I). */
export function newCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("");
}

export type OfferingRow = typeof offerings.$inferSelect;
export type SlotRow = typeof slots.$inferSelect;

/** The offering with its organisation's and facility's names (a query, so it can join a batch). */
export function offeringQuery(db: Db, id: string | SQLWrapper) {
  // Aliased: inside a D1 batch rows come back keyed by column name, so two "name"s would collide.
  return db
    .select({
      offering: offerings,
      organisationName: sql<string>`${organisations.name}`.as("organisation_name"),
      facilityName: sql<string | null>`${facilities.name}`.as("facility_name"),
    })
    .from(offerings)
    .innerJoin(organisations, eq(organisations.id, offerings.organisationId))
    .leftJoin(facilities, eq(facilities.id, offerings.facilityId))
    .where(eq(offerings.id, id))
    .limit(1);
}

export async function findOffering(db: Db, id: string) {
  const [row] = await offeringQuery(db, id);
  return row ?? null;
}

export async function listOfferings(
  db: Db,
  filter: { kind?: string; category?: string; organisationId?: string },
  at: number,
) {
  const where: SQL[] = [eq(offerings.status, "active")];
  if (filter.kind) where.push(sql`${offerings.kind} = ${filter.kind}`);
  if (filter.category) where.push(eq(offerings.category, filter.category));
  if (filter.organisationId) where.push(eq(offerings.organisationId, filter.organisationId));
  return db
    .select({
      offering: offerings,
      organisationName: organisations.name,
      facilityName: facilities.name,
      nextSlotAt: sql<
        number | null
      >`(SELECT min(starts_at) FROM slots WHERE slots.offering_id = offerings.id AND slots.status = 'open' AND slots.starts_at > ${at})`,
    })
    .from(offerings)
    .innerJoin(organisations, eq(organisations.id, offerings.organisationId))
    .leftJoin(facilities, eq(facilities.id, offerings.facilityId))
    .where(and(...where))
    .orderBy(asc(offerings.title));
}

export async function findSlot(db: Db, id: string) {
  const [row] = await db.select().from(slots).where(eq(slots.id, id)).limit(1);
  return row ?? null;
}

/** Whether the offering has an open slot starting at `startsAt` other than `exceptId`. */
export async function openSlotAt(db: Db, offeringId: string, startsAt: number, exceptId: string) {
  const [row] = await db
    .select({ id: slots.id })
    .from(slots)
    .where(
      and(
        eq(slots.offeringId, offeringId),
        eq(slots.startsAt, startsAt),
        eq(slots.status, "open"),
        ne(slots.id, exceptId),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** The longest a slot may last; bounds slot searches from below so they never read an offering's whole history. */
export const MAX_SLOT_MS = 62 * 24 * 3_600_000;

/**
 * An offering's slots overlapping [from, to] as the list answer's JSON array, built by SQLite:
 * each item is `toSlot(slot, offering, at)` (booking-json.test.ts holds them equal), soonest
 * first, at most 500. One row, `list`, when the offering exists; none when it does not.
 */
export function slotListJsonQuery(
  db: Db,
  offeringId: SQLWrapper,
  range: { from: SQLWrapper; to: SQLWrapper; floor: SQLWrapper; at: SQLWrapper; includeCancelled: boolean },
) {
  const open = range.includeCancelled ? sql`` : sql` AND s.status = 'open'`;
  // The window's three times are columns of the inner select, so the item reads each once.
  const listed = sql`SELECT s.id, s.offering_id, s.starts_at, s.ends_at, s.capacity, s.held_count,
      s.waitlist_count, s.status, s.note, ${SLOT_OPENS_AT} AS opens_at, ${SLOT_CLOSES_AT} AS closes_at,
      ${SLOT_PRIORITY_OPENS_AT} AS priority_opens_at
    FROM slots s
    WHERE s.offering_id = o.id AND s.starts_at > ${range.floor} AND s.ends_at > ${range.from}
      AND s.starts_at <= ${range.to}${open}
    ORDER BY s.starts_at, s.id LIMIT 500`;
  const item = sql`json_object('id', l.id, 'offeringId', l.offering_id, 'startsAt', l.starts_at,
      'endsAt', l.ends_at, 'capacity', l.capacity, 'taken', l.held_count, 'waitlisted', l.waitlist_count,
      'free', max(0, l.capacity - l.held_count), 'status', l.status, 'note', l.note,
      'bookable', json(CASE WHEN o.status = 'active' AND l.status = 'open' AND ${range.at} >= l.opens_at
                             AND ${range.at} < l.closes_at THEN 'true' ELSE 'false' END),
      'opensAt', l.opens_at, 'closesAt', l.closes_at, 'priorityOpensAt', l.priority_opens_at)`;
  return (
    db
      .select({
        list: sql<string>`(SELECT coalesce(json_group_array(${item} ORDER BY l.starts_at, l.id), '[]')
        FROM (${listed}) l)`.as("list"),
      })
      .from(sql`offerings o`)
      // An event not yet published has no public times (its organisers read them through /events).
      .where(sql`o.id = ${offeringId} AND o.status <> 'draft'`)
  );
}

/** The booking an actor made with an Idempotency-Key (`bookedWithKeyQuery`). */
export type BookedWithKey = { json: string; slotId: string; personId: string };

export type TakeOutcome =
  | { ok: true; earlier: BookedWithKey }
  | { ok: false; reason: "slot_closed" | "not_allowed" | "already_booked" | "limit_reached" | "full" | "code_taken" };

export interface TakeInput {
  slotId: string;
  personId: string;
  actorAccountId: string;
  actorRole: "self" | "proxy" | "staff";
  channel: "app" | "walk_in" | "phone";
  notes: string | null;
  address: string | null;
  idempotencyKey: string | null;
  offering: Pick<OfferingRow, "waitlist" | "requiresConfirmation" | "maxActivePerPerson">;
  at: number;
}

const take = (name: string) => sql.placeholder(`take_${name}`);

/**
 * What both place-taking inserts write from their placeholders (`take_*`) and the slot row `s`:
 * the booking's id, slot, offering, code, notes, address, idempotency key and times.
 */
function takenColumns() {
  return {
    id: take("id"),
    slotId: sql`s.id`,
    offeringId: sql`s.offering_id`,
    code: take("code"),
    notes: take("notes"),
    address: take("address"),
    idempotencyKey: take("key"),
    createdAt: take("at"),
    updatedAt: take("at"),
  };
}

/** A place (`placed`: pending or confirmed) while the slot `s` has one, else the waitlist. */
const placeOrWaitlist = (placed: SQLWrapper) =>
  sql`CASE WHEN s.held_count < s.capacity THEN ${placed} ELSE 'waitlisted' END`;

/** How many active bookings `person` holds for slot `s`'s offering on slots not yet over at `at`. */
const activeForOffering = (person: SQLWrapper, at: SQLWrapper) =>
  sql`(SELECT count(*) FROM bookings b JOIN slots s2 ON s2.id = b.slot_id
       WHERE b.person_id = ${person} AND b.offering_id = s.offering_id AND b.status IN ${ACTIVE}
         AND s2.ends_at > ${at})`;

/**
 * The statement that takes a place — or a waitlist position — in ONE conditional INSERT … SELECT:
 * the slot's held places (a counter the bookings trigger keeps inside this same statement), the
 * per-person limit, the slot's and offering's state and — unless staff book — the actor's right
 * to book for the person are read and the row written in one
 * statement, which SQLite (and D1's single writer) runs atomically. Nothing is ever read first
 * and written later, so concurrent requests cannot overbook. The unique indexes refuse a second
 * active booking of the same person on the slot and a reused idempotency key. RETURNING the
 * new booking's `Booking` JSON: one row if written, none if not (`explainNoPlace` says why).
 *
 * Built once with placeholders (`takePlaceValues` fills them), as it runs on every booking.
 */
export function takePlaceQuery(db: Db) {
  return insertWhere(
    db,
    bookings,
    {
      ...takenColumns(),
      personId: take("person"),
      actorAccountId: take("actor"),
      actorRole: take("role"),
      channel: take("channel"),
      status: placeOrWaitlist(take("placed")),
    },
    sql`FROM slots s
    WHERE s.id = ${take("slot")} AND s.status = 'open' AND s.ends_at > ${take("at")}
      AND (SELECT o.status FROM offerings o WHERE o.id = s.offering_id) = 'active'
      AND (${take("role")} = 'staff' OR ${handlesPerson(sql`${take("actor")}`, take("person"))})
      AND ${notRecordedOn(sql`s.id`, take("person"))}
      AND (${take("waitlist")} = 1 OR s.held_count < s.capacity)
      AND ${activeForOffering(take("person"), take("at"))} < ${take("max")}`,
  )
    .onConflictDoNothing()
    .returning({ booking: sql<string>`${bookingJson}`.as("booking") });
}

/**
 * The person was not already recorded as come or not come on the slot (a session under way, or
 * one moved after it began): a place there again would count them twice. Both place-taking
 * inserts carry it; `explainNoPlace` reports it as already booked.
 */
function notRecordedOn(slotId: SQLWrapper, personId: SQLWrapper) {
  return sql`NOT EXISTS (SELECT 1 FROM bookings done WHERE done.slot_id = ${slotId} AND done.person_id = ${personId}
                AND done.status IN ('completed', 'no_show'))`;
}

/** A new booking's id and code, and the values for `takePlaceQuery`'s placeholders. */
export function takePlaceValues(input: TakeInput) {
  const { id, code, values } = takenValues(input);
  return {
    id,
    code,
    values: {
      ...values,
      take_actor: input.actorAccountId,
      take_role: input.actorRole,
      take_channel: input.channel,
      take_placed: input.offering.requiresConfirmation ? "pending" : "confirmed",
      take_waitlist: input.offering.waitlist ? 1 : 0,
      take_max: input.offering.maxActivePerPerson,
    },
  };
}

/**
 * A new booking's id and check-in code, and the placeholders `takenColumns` and both inserts'
 * guards read (take_id, take_slot, take_person, take_code, take_notes, take_address, take_key, take_at).
 */
export function takenValues(
  input: Pick<TakeInput, "slotId" | "personId" | "notes" | "address" | "idempotencyKey" | "at">,
) {
  const id = newSortableId("bkg");
  const code = newCode();
  const values = {
    take_id: id,
    take_slot: input.slotId,
    take_person: input.personId,
    take_code: code,
    take_notes: input.notes,
    take_address: input.address,
    take_key: input.idempotencyKey,
    take_at: input.at,
  };
  return { id, code, values };
}

/**
 * A resident booking a place for themself or a person they act for, in ONE conditional
 * INSERT … SELECT that checks everything and answers for itself: the session's account
 * (`accountId`, a subquery) is the person's own or holds an active booking-scoped proxy link for
 * them; the slot is open and not over, its offering active; the person is eligible and the
 * booking window open for them (`ELIGIBLE`, `windowOpen`: the SQL twins of the rules in
 * bookings.rules.ts); an address if the service needs one; a place, or the waitlist; the
 * per-person limit. Capacity is taken exactly as in `takePlaceQuery`; the inbox notice (to the
 * person, when a proxy booked) is written by the bookings trigger inside this statement (0009).
 * RETURNING one row if written — the new booking's `Booking` JSON (`booking`) and `session`, the
 * caller's live session (`liveSessionJson`) — none if not: then the route reads the context and
 * says why with the TypeScript rules (or books it through `takePlaceQuery`, should this
 * statement ever be stricter than they are).
 * Placeholders: take_id, take_slot, take_person, take_code, take_notes, take_address, take_key, take_at.
 */
export function takeForResidentQuery(db: Db, accountId: SQLWrapper, session: SQLWrapper) {
  const at = take("at");
  return insertWhere(
    db,
    bookings,
    {
      ...takenColumns(),
      personId: sql`p.id`,
      actorAccountId: sql`a.account_id`,
      actorRole: sql`CASE WHEN p.account_id = a.account_id THEN 'self' ELSE 'proxy' END`,
      channel: sql`'app'`,
      status: placeOrWaitlist(sql`CASE WHEN o.requires_confirmation = 1 THEN 'pending' ELSE 'confirmed' END`),
    },
    sql`FROM slots s
      JOIN offerings o ON o.id = s.offering_id
      JOIN persons p ON p.id = ${take("person")}
      JOIN ${accountId} a
    WHERE s.id = ${take("slot")} AND s.status = 'open' AND s.ends_at > ${at} AND o.status = 'active'
      AND (p.account_id = a.account_id OR EXISTS (
            SELECT 1 FROM proxy_links l
            WHERE l.person_id = p.id AND l.proxy_account_id = a.account_id AND l.status = 'active'
              AND l.scope IN ${BOOKING_SCOPES_SQL}))
      AND ${ELIGIBLE}
      AND ${windowOpen(at)}
      AND (o.requires_address = 0 OR coalesce(${take("address")}, '') <> '')
      AND ${notRecordedOn(sql`s.id`, sql`p.id`)}
      AND (o.waitlist = 1 OR s.held_count < s.capacity)
      AND ${activeForOffering(sql`p.id`, at)} < o.max_active_per_person`,
  )
    .onConflictDoNothing()
    .returning({
      id: bookings.id,
      // Named, so D1's rows say what they are (drizzle itself maps by position).
      booking: sql<string>`${bookingJson}`.as("booking"),
      session: sql<string>`${session}`.as("session"),
    });
}

/**
 * Why `takePlaceQuery` wrote nothing: an earlier request with the same idempotency key got in
 * first (its booking is the answer — `replayBooking` decides), or the reason for refusal. Reads
 * only, in one round trip (a full slot turns away many requests at once, and each asks this);
 * the decision itself was atomic.
 */
export async function explainNoPlace(db: Db, input: TakeInput, code: string): Promise<TakeOutcome> {
  const [[earlier], [slot], [sameCode], [active], [allowed]] = await db.batch([
    // No key: a query that finds nothing, so the batch keeps its shape.
    bookedWithKeyQuery(db, input.actorAccountId, input.idempotencyKey ?? sql`NULL`),
    db
      .select({
        status: slots.status,
        endsAt: slots.endsAt,
        capacity: slots.capacity,
        heldCount: slots.heldCount,
        // Aliased: D1 answers a batch's rows by column name, and both are `status`.
        offeringStatus: sql<string>`${offerings.status}`.as("offering_status"),
      })
      .from(slots)
      .innerJoin(offerings, eq(offerings.id, slots.offeringId))
      .where(eq(slots.id, input.slotId))
      .limit(1),
    db.select({ id: bookings.id }).from(bookings).where(eq(bookings.code, code)).limit(1),
    db
      .select({ id: bookings.id })
      .from(bookings)
      .where(
        and(
          eq(bookings.slotId, input.slotId),
          eq(bookings.personId, input.personId),
          // On it still, or already recorded as come or not come (a session under way).
          sql`${bookings.status} IN ('pending', 'confirmed', 'waitlisted', 'checked_in', 'completed', 'no_show')`,
        ),
      )
      .limit(1),
    // Staff book for anyone; anybody else for themself or a person they hold a link for.
    db
      .select({ ok: sql<number>`1`.as("allowed") })
      .from(sql`(SELECT 1)`)
      .where(
        input.actorRole === "staff" ? sql`1` : handlesPerson(sql`${input.actorAccountId}`, sql`${input.personId}`),
      ),
  ] as const);
  if (earlier) return { ok: true, earlier };
  if (slot?.status !== "open" || slot.offeringStatus !== "active" || slot.endsAt <= input.at)
    return { ok: false, reason: "slot_closed" };
  if (!allowed) return { ok: false, reason: "not_allowed" };
  // The random check-in code may (rarely) collide with an existing one: try again with another.
  if (sameCode) return { ok: false, reason: "code_taken" };
  if (active) return { ok: false, reason: "already_booked" };
  if (slot.heldCount >= slot.capacity && !input.offering.waitlist) return { ok: false, reason: "full" };
  return { ok: false, reason: "limit_reached" };
}

/**
 * The statement that moves the earliest waitlisted bookings of a slot into free places. Its own
 * guard counts held places inside the statement, so it is safe in any batch, any number of times.
 * Only before the slot starts: a place freed once the service has begun (a late cancel by staff,
 * a correction after the day) is not handed to someone who would be told "you have a place" for a
 * session already under way or over.
 */
export function promoteStatement(db: Db, slotId: string, at: number, guard: SQL = sql`1`) {
  // Built with the query builder (not db.run) so it can join a db.batch.
  return db
    .update(bookings)
    .set({
      status: sql`CASE WHEN (SELECT requires_confirmation FROM offerings WHERE offerings.id = bookings.offering_id) = 1
                       THEN 'pending' ELSE 'confirmed' END`,
      promotedAt: at,
      updatedAt: at,
    })
    .where(
      sql`${bookings.id} IN (
        SELECT w.id FROM bookings w
        WHERE w.slot_id = ${slotId} AND w.status = 'waitlisted'
        ORDER BY w.created_at, w.id
        LIMIT max(0, coalesce((SELECT capacity - held_count FROM slots
                               WHERE id = ${slotId} AND status = 'open' AND starts_at > ${at}), 0)))
        AND ${guard}`,
    );
}

/**
 * Tells everyone a batch's `promoteStatement` moved off the waitlist at `at` that they have a
 * place (inbox and SMS) — statements for the same batch, after the promotion. A place on a
 * service that needs the organisation's confirmation is pending, and is told so.
 */
export function promotedNotices(
  db: Db,
  slot: Pick<SlotRow, "id" | "startsAt">,
  title: string,
  at: number,
  guard: SQL = sql`1`,
) {
  const promoted = (status: "confirmed" | "pending") =>
    sql`${bookings.slotId} = ${slot.id} AND ${bookings.promotedAt} = ${at} AND ${bookings.status} = ${status}
      AND ${guard}`;
  const when = formatWhen(slot.startsAt);
  const notice = (status: "confirmed" | "pending", body: string) =>
    bookingNotices(
      db,
      promoted(status),
      {
        kind: "waitlist_promoted",
        title: "候补成功",
        body,
        params: { offering: title, startsAt: slot.startsAt, ...(status === "pending" ? { status } : {}) },
        dedupePrefix: "promoted:",
        sms: true,
      },
      at,
    );
  return [
    ...notice("confirmed", `{person}：候补的“${title}”（${when}）已有名额，预约已生效。`),
    ...notice("pending", `{person}：候补的“${title}”（${when}）已有名额，待服务机构确认后生效。`),
  ];
}

/**
 * Cancels a booking if it is still in one of `from` and its slot is not over — both checked by the
 * write itself, so a booking whose status changed since it was read (e.g. promoted off the
 * waitlist meanwhile) is not cancelled on the strength of the old one. A statement for a batch
 * that also promotes from the waitlist (`promoteStatement`); RETURNING the id if it cancelled.
 */
export function cancelStatement(
  db: Db,
  id: string,
  slotId: string,
  actorId: string,
  at: number,
  from: BookingStatus[],
  options: { cutoff?: boolean } = {},
) {
  // A resident's cancel (`cutoff`) also checks the cancellation cut-off itself — the SQL twin of
  // `cancelDeadline` — in case the slot moved after the route read it; a waitlisted place may
  // always be given up.
  const beforeCutoff = options.cutoff
    ? sql`(${bookings.status} = 'waitlisted' OR EXISTS (SELECT 1 FROM slots cs JOIN offerings co ON co.id = cs.offering_id
        WHERE cs.id = ${slotId} AND ${at} <= cs.starts_at - co.cancel_cutoff_hours * 3600000))`
    : undefined;
  return db
    .update(bookings)
    .set({ status: "cancelled", cancelledAt: at, cancelledByAccountId: actorId, updatedAt: at })
    .where(and(eq(bookings.id, id), inArray(bookings.status, from), slotNotOver(slotId, at), beforeCutoff))
    .returning({ id: bookings.id });
}

/** The booking's slot has not ended at `at` (the SQL twin of `overRefusal`). */
export function slotNotOver(slotId: string | SQLWrapper, at: number): SQL {
  return sql`EXISTS (SELECT 1 FROM slots WHERE slots.id = ${slotId} AND slots.ends_at > ${at})`;
}

/** The slot was written at `at` (by an earlier statement of the same batch), in `status` if given. */
export function slotWrittenAt(slotId: string, at: number, status?: SlotRow["status"]): SQL {
  return status
    ? sql`EXISTS (SELECT 1 FROM slots WHERE slots.id = ${slotId} AND slots.updated_at = ${at} AND slots.status = ${status})`
    : sql`EXISTS (SELECT 1 FROM slots WHERE slots.id = ${slotId} AND slots.updated_at = ${at})`;
}

/**
 * Moves a booking from one status to another if (and only if) it is still in one of `from` and
 * `guard` (the caller's own rule, checked by the write itself) holds — a statement, to run alone
 * or in a batch; RETURNING the id if it moved the booking.
 */
export function transitionStatement(
  db: Db,
  id: string,
  from: BookingStatus[],
  to: BookingStatus,
  at: number,
  extra: Partial<typeof bookings.$inferInsert> = {},
  guard?: SQL,
) {
  return db
    .update(bookings)
    .set({ status: to, updatedAt: at, ...extra })
    .where(and(eq(bookings.id, id), inArray(bookings.status, from), guard))
    .returning({ id: bookings.id });
}

/** The staff member assigned to a booking (e.g. a home visit), by their own person's name. */
const assignees = alias(persons, "assignee");

/** The booking columns answers use (the rest — idempotency key, promotion and rating times — stay in D1). */
const {
  idempotencyKey: _idempotencyKey,
  promotedAt: _promotedAt,
  cancelledByAccountId: _cancelledBy,
  completedAt: _completedAt,
  ratedAt: _ratedAt,
  ...bookingColumns
} = getTableColumns(bookings);

/** The person's own account (NULL for a managed person), over the `bookings` row. */
const personAccount = sql<string | null>`(SELECT p.account_id FROM persons p WHERE p.id = ${bookings.personId})`;

/**
 * 1 when the booking was cancelled by someone other than the person or an account that acts (or
 * acted) for them — the organisation's staff, one booking or the whole slot — else 0.
 */
const cancelledByOrganisation = sql<number>`CASE
  WHEN ${bookings.cancelledByAccountId} IS NULL THEN 0
  WHEN ${bookings.cancelledByAccountId} IS ${personAccount} THEN 0
  WHEN EXISTS (SELECT 1 FROM proxy_links cl
               WHERE cl.person_id = ${bookings.personId} AND cl.proxy_account_id = ${bookings.cancelledByAccountId}
                 AND cl.status IN ('active', 'revoked') AND cl.created_at <= ${bookings.cancelledAt}) THEN 0
  ELSE 1 END`;

/** A waitlisted booking's place in the queue (1 = next), else NULL. */
const waitlistPosition = sql<number | null>`CASE WHEN ${bookings.status} = 'waitlisted' THEN
  (SELECT count(*) FROM bookings w WHERE w.slot_id = ${bookings.slotId} AND w.status = 'waitlisted'
     AND (w.created_at < ${bookings.createdAt} OR (w.created_at = ${bookings.createdAt} AND w.id <= ${bookings.id}))) END`;

/** A booking with its slot, offering, organisation, person and assignee — the joins every booking answer reads. */
function fromBookings<T extends SQLiteSelect>(query: T) {
  return query
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .innerJoin(offerings, eq(offerings.id, bookings.offeringId))
    .innerJoin(organisations, eq(organisations.id, offerings.organisationId))
    .innerJoin(persons, eq(persons.id, bookings.personId))
    .leftJoin(assignees, eq(assignees.accountId, bookings.assignedAccountId));
}

function bookingSelect(db: Db) {
  // Every column that shares a name with a bookings column is aliased: inside a D1 batch rows are
  // keyed by column name, so a second "id", "status" or "name" would overwrite the first.
  return fromBookings(
    db
      .select({
        booking: bookingColumns,
        slot: {
          id: sql<string>`${slots.id}`.as("slot_ref"),
          startsAt: slots.startsAt,
          endsAt: slots.endsAt,
          status: sql<SlotRow["status"]>`${slots.status}`.as("slot_status"),
        },
        offering: {
          id: sql<string>`${offerings.id}`.as("offering_ref"),
          title: offerings.title,
          kind: offerings.kind,
          organisationId: offerings.organisationId,
        },
        organisationName: sql<string>`${organisations.name}`.as("organisation_name"),
        personName: sql<string>`${persons.name}`.as("person_name"),
        personPhone: persons.phone,
        // Who is told of the booking (`audienceOf`).
        personAccountId: sql<string | null>`${persons.accountId}`.as("person_account_id"),
        proxyAccountId: toldProxy.as("told_proxy_id"),
        assigneeName: sql<string | null>`${assignees.name}`.as("assignee_name"),
        waitlistPosition: sql<number | null>`${waitlistPosition}`.as("waitlist_position"),
        cancelledByOrganisation: cancelledByOrganisation.as("cancelled_by_organisation"),
      })
      .from(bookings)
      .$dynamic(),
  );
}

/**
 * One booking exactly as `toBooking` shows it, as JSON built by SQLite — for a statement in which
 * "bookings" is that booking's row: a query over `bookings`, or the RETURNING clause of an insert
 * into it (so the insert itself answers). Slot, offering, person and assignee are correlated
 * subqueries for that reason (RETURNING cannot join); each is wrapped in json() so it nests as an
 * object. `test/worker/booking-json.test.ts` checks that it and `toBooking` agree field for field.
 */
const bookingJson = sql<string>`json_object(
  'id', ${bookings.id}, 'status', ${bookings.status}, 'code', ${bookings.code},
  'slot', json((SELECT json_object('id', s.id, 'startsAt', s.starts_at, 'endsAt', s.ends_at, 'status', s.status)
                FROM slots s WHERE s.id = ${bookings.slotId})),
  'offering', json((SELECT json_object('id', o.id, 'title', o.title, 'kind', o.kind, 'organisationName', g.name)
                    FROM offerings o JOIN organisations g ON g.id = o.organisation_id WHERE o.id = ${bookings.offeringId})),
  'person', json_object('id', ${bookings.personId}, 'name', (SELECT p.name FROM persons p WHERE p.id = ${bookings.personId})),
  'actorRole', ${bookings.actorRole}, 'channel', ${bookings.channel},
  'notes', ${bookings.notes}, 'address', ${bookings.address},
  'assignee', json(CASE WHEN ${bookings.assignedAccountId} IS NULL THEN NULL
                   ELSE json_object('accountId', ${bookings.assignedAccountId},
                                    'name', coalesce((SELECT a.name FROM persons a WHERE a.account_id = ${bookings.assignedAccountId}), '')) END),
  'waitlistPosition', ${waitlistPosition},
  'rating', ${bookings.rating}, 'ratingComment', ${bookings.ratingComment}, 'createdAt', ${bookings.createdAt},
  'cancelledAt', ${bookings.cancelledAt}, 'checkedInAt', ${bookings.checkedInAt},
  'cancelledByOrganisation', json(CASE WHEN ${cancelledByOrganisation} = 1 THEN 'true' ELSE 'false' END))`;

export type BookingRow = Awaited<ReturnType<ReturnType<typeof bookingSelect>["where"]>>[number];

export function toBooking(row: BookingRow): Booking {
  const b = row.booking;
  return {
    id: b.id,
    status: b.status,
    code: b.code,
    slot: row.slot,
    offering: {
      id: row.offering.id,
      title: row.offering.title,
      kind: row.offering.kind,
      organisationName: row.organisationName,
    },
    person: { id: b.personId, name: row.personName },
    actorRole: b.actorRole,
    channel: b.channel,
    notes: b.notes,
    address: b.address,
    assignee: b.assignedAccountId ? { accountId: b.assignedAccountId, name: row.assigneeName ?? "" } : null,
    waitlistPosition: row.waitlistPosition,
    rating: b.rating,
    ratingComment: b.ratingComment,
    createdAt: b.createdAt,
    cancelledAt: b.cancelledAt,
    checkedInAt: b.checkedInAt,
    cancelledByOrganisation: row.cancelledByOrganisation === 1,
  };
}

/** One booking with its slot, offering, organisation and person (a query, so it can join a batch). */
export function bookingQuery(db: Db, id: string | SQLWrapper) {
  return bookingSelect(db).where(eq(bookings.id, id)).limit(1);
}

export async function findBooking(db: Db, id: string) {
  const [row] = await bookingQuery(db, id);
  return row ?? null;
}

/** Proxy-link scopes that allow booking for (and seeing the bookings of) a person. */
export const BOOKING_SCOPES = ["all", "bookings"] as const;
/** `BOOKING_SCOPES` as an SQL list: ('all', 'bookings'). */
const BOOKING_SCOPES_SQL = sql.raw(`(${BOOKING_SCOPES.map((s) => `'${s}'`).join(", ")})`);

/**
 * The persons whose bookings an account handles — its own person and those it holds an active
 * booking-scoped proxy link for — as a subquery. `accountId` is an id or a scalar subquery (the
 * signed-in session's account, when batched with the session lookup).
 */
export function handledPersons(accountId: string | SQLWrapper): SQL {
  const account = typeof accountId === "string" ? sql`${accountId}` : sql`(${accountId})`;
  return sql`SELECT ${persons.id} FROM ${persons} WHERE ${persons.accountId} = ${account}
    UNION ALL
    SELECT ${proxyLinks.personId} FROM ${proxyLinks}
    WHERE ${proxyLinks.proxyAccountId} = ${account} AND ${proxyLinks.status} = 'active'
      AND ${proxyLinks.scope} IN ${BOOKING_SCOPES_SQL}`;
}

/**
 * Besides the person's own account, who hears about a booking (reminders, promotions, a moved or
 * cancelled slot, a confirmation): the family member or grid worker who booked it for them, while
 * they still act for them — an active booking-scoped proxy link. Not someone whose link has been
 * revoked since (they can no longer see the booking, so they must not be texted its time and
 * check-in code), and not a staff member who took it at the desk or by phone. An SQL expression
 * over the `bookings` row (also usable in an UPDATE's RETURNING); NULL when nobody else.
 */
export const toldProxy = sql<string | null>`CASE WHEN ${bookings.actorRole} = 'proxy' AND EXISTS (
    SELECT 1 FROM proxy_links l WHERE l.person_id = ${bookings.personId}
      AND l.proxy_account_id = ${bookings.actorAccountId} AND l.status = 'active'
      AND l.scope IN ${BOOKING_SCOPES_SQL}) THEN ${bookings.actorAccountId} END`;

/** Who hears about a booking, as two columns (either may be null): see `toldProxy`. */
export function audienceColumns() {
  return { personAccountId: personAccount.as("audience_person"), proxyAccountId: toldProxy.as("audience_proxy") };
}

/** A booking's audience from `audienceColumns` (or `bookingSelect`'s), for `noticeInserts`. */
export function audienceOf(row: { personAccountId: string | null; proxyAccountId: string | null }) {
  return [row.personAccountId, row.proxyAccountId];
}

/**
 * A notice to the audience of every booking `where` selects (the person's own account and the
 * proxy `toldProxy` names; not `except`), as ONE insert-select that joins the batch making the
 * change — so the notices (and, with `sms`, their texts: the `notifications_texted` trigger) are
 * written in the same transaction as the change, and tell exactly the bookings it changed (`where`
 * reads them as they are at that point of the batch, e.g. `bookingChangedAt`). Each links to its
 * booking; with `dedupePrefix` its key is the prefix and the booking's id (a repeat writes nothing).
 * With `sms`, also `phoneTexts`: a person without an account is texted at their own mobile number.
 * Each row names its booking's person: `params.person` is set to the person's name, and `{person}`
 * in the body is replaced by it (one notice may go out for many people's bookings, and a proxy
 * acting for two parents must know whose it is). Statements for the batch, in order.
 */
export function bookingNotices(
  db: Db,
  where: SQL,
  notice: Omit<Notice, "link" | "dedupeKey"> & { dedupePrefix?: string },
  at: number,
  except?: string,
) {
  // Ids as `newSortableId` makes them: the time first, then 12 random hex digits per row.
  const idPrefix = newSortableId("ntf", at).slice(0, 13);
  const { dedupePrefix, ...fields } = notice;
  const inbox = insertWhere(
    db,
    notifications,
    {
      id: sql`${idPrefix} || lower(hex(randomblob(6)))`,
      accountId: sql`x.account_id`,
      dedupeKey: dedupePrefix === undefined ? null : sql`${dedupePrefix} || x.booking_id`,
      kind: fields.kind,
      title: fields.title,
      body: namedBody(fields.body, sql`x.person_name`, sql`x.starts_at`),
      link: sql`'/bookings/' || x.booking_id`,
      params: namedParams(fields.params, sql`x.person_name`, fields.body, sql`x.starts_at`),
      sms: fields.sms ?? false,
      createdAt: at,
    },
    sql`FROM (SELECT ${bookings.id} AS booking_id, ${personAccount} AS account_id, ${personName} AS person_name,
                       ${slotStart} AS starts_at
                FROM ${bookings} WHERE ${where}
              UNION ALL
              SELECT ${bookings.id}, ${toldProxy}, ${personName}, ${slotStart} FROM ${bookings} WHERE ${where}) x
        WHERE x.account_id IS NOT NULL${except ? sql` AND x.account_id <> ${except}` : sql``}`,
  ).onConflictDoNothing();
  if (!fields.sms) return [inbox] as const;
  return [
    inbox,
    phoneTexts(
      db,
      where,
      {
        kind: fields.kind,
        body: fields.body,
        params: fields.params ?? null,
        dedupeKey: dedupePrefix === undefined ? undefined : sql`${dedupePrefix} || ${bookings.id}`,
      },
      at,
      fields.params?.startsAt ?? null,
    ),
  ] as const;
}

/** The name of a `bookings` row's person. */
const personName = sql<string>`(SELECT p.name FROM persons p WHERE p.id = ${bookings.personId})`;

/** The start of a `bookings` row's slot. */
const slotStart = sql<number>`(SELECT s.starts_at FROM slots s WHERE s.id = ${bookings.slotId})`;

/** `formatWhen(startsAt)` in SQL ("12月03日 08:30", Asia/Shanghai). */
function whenText(startsAt: SQL) {
  const local = sql`${startsAt} / 1000 + ${sql.raw(String(SHANGHAI_OFFSET_MS / 1000))}, 'unixepoch'`;
  return sql`(strftime('%m', ${local}) || '月' || strftime('%d', ${local}) || '日 ' || strftime('%H:%M', ${local}))`;
}

/**
 * A notice's body for one booking: `{person}` replaced by the person's `name` and `{when}` by the
 * start of the booking's own slot (`startsAt`, SQL expressions) — one notice for the bookings of
 * many occurrences says each its own time.
 */
function namedBody(body: string, name: SQL, startsAt: SQL) {
  let named: SQL | string = body;
  if (body.includes("{person}")) named = sql`replace(${named}, '{person}', ${name})`;
  if (body.includes("{when}")) named = sql`replace(${named}, '{when}', ${whenText(startsAt)})`;
  return named;
}

/**
 * A notice's params for one booking, with `person` set to the person's `name` — and, for a body
 * saying `{when}`, `startsAt` to the booking's own slot's start (SQL expressions).
 */
function namedParams(params: SmsParams | null | undefined, name: SQL, body: string, startsAt: SQL) {
  if (!params) return null;
  return body.includes("{when}")
    ? sql`json_set(${JSON.stringify(params)}, '$.person', ${name}, '$.startsAt', ${startsAt})`
    : sql`json_set(${JSON.stringify(params)}, '$.person', ${name})`;
}

/** `p.phone` is a mainland mobile number (what can receive a text); D1 refuses long GLOB patterns. */
const PERSON_MOBILE = sql`length(p.phone) = 11 AND p.phone GLOB '1[3-9]*' AND p.phone NOT GLOB '*[^0-9]*'`;

/**
 * A text to the person of every booking `where` selects who has no account of their own but a
 * mobile number on record that is no account's — an elder who phoned in or came to the desk and
 * was registered by staff.
 * They have no inbox, and may have nobody acting for them: this text is how they hear of a
 * reminder, a cancellation or a change (ADR 004, amendment). With `dedupeKey` (an SQL expression
 * over the `bookings` row) the message's id is `msg_` and that key, so a repeat queues nothing;
 * `expiresAt`: not sent after it (the service's start).
 */
export function phoneTexts(
  db: Db,
  where: SQL,
  message: { kind: string; body: string; params: SmsParams | null; dedupeKey?: SQL | undefined },
  at: number,
  expiresAt: number | null,
) {
  const id = message.dedupeKey
    ? sql`'msg_' || ${message.dedupeKey}`
    : sql`${newSortableId("msg", at).slice(0, 13)} || lower(hex(randomblob(6)))`;
  return insertWhere(
    db,
    outbox,
    {
      id,
      channel: "sms",
      recipient: sql`p.phone`,
      template: smsTemplate(message.kind, message.params),
      body: namedBody(`【邻里】${message.body}`, sql`p.name`, slotStart),
      params: namedParams(message.params, sql`p.name`, message.body, slotStart),
      status: "queued",
      createdAt: at,
      attempts: 0,
      dueAt: at,
      // A text about each booking's own occurrence is no use once that has begun.
      expiresAt: message.body.includes("{when}") ? slotStart : expiresAt,
    },
    sql`FROM ${bookings} JOIN persons p ON p.id = ${bookings.personId}
        WHERE ${where} AND p.account_id IS NULL AND ${PERSON_MOBILE}
          -- A number that is someone's account (staff often note a daughter's number as the
          -- contact) is told through that account, as its links allow — never around them.
          AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.phone = p.phone)`,
  ).onConflictDoNothing();
}

/** The booking `id` was changed at `at` (by an earlier statement of the same batch), to `status` if given. */
export function bookingChangedAt(id: string, at: number, status?: BookingStatus): SQL {
  return status
    ? sql`${bookings.id} = ${id} AND ${bookings.updatedAt} = ${at} AND ${bookings.status} = ${status}`
    : sql`${bookings.id} = ${id} AND ${bookings.updatedAt} = ${at}`;
}

/**
 * The booking `id` was changed at `at` (to `status` if given) by an earlier statement of the same
 * batch: the condition for what goes with that change only if it happened (an audit row, a notice).
 */
export function bookingChangedNow(id: string, at: number, status?: BookingStatus): SQL {
  return sql`EXISTS (SELECT 1 FROM ${bookings} WHERE ${bookingChangedAt(id, at, status)})`;
}

/** `column = accountId`, where accountId is an id or a scalar subquery. */
function isAccount(column: SQLWrapper, accountId: string | SQLWrapper): SQL {
  return typeof accountId === "string" ? sql`${column} = ${accountId}` : sql`${column} = (${accountId})`;
}

/**
 * What booking a slot for a person needs to know — the slot, its offering, the person, and
 * whether the account holds a booking-scoped proxy link for them — as queries for one batch.
 */
export function bookingContextQueries(
  db: Db,
  slotId: string | SQLWrapper,
  personId: string | SQLWrapper,
  accountId: string | SQLWrapper,
) {
  // No joins here: inside a D1 batch rows are keyed by column name, and slots and offerings share
  // several. Only the columns the rules read: D1 hands every value back through JSON.
  return [
    db
      .select({
        id: slots.id,
        offeringId: slots.offeringId,
        startsAt: slots.startsAt,
        endsAt: slots.endsAt,
        status: slots.status,
        capacity: slots.capacity,
      })
      .from(slots)
      .where(eq(slots.id, slotId))
      .limit(1),
    db
      .select({
        id: offerings.id,
        organisationId: offerings.organisationId,
        title: offerings.title,
        status: offerings.status,
        kind: offerings.kind,
        teamId: offerings.teamId,
        minAge: offerings.minAge,
        communities: offerings.communities,
        personTypes: offerings.personTypes,
        priorityAge: offerings.priorityAge,
        priorityDays: offerings.priorityDays,
        opensDaysBefore: offerings.opensDaysBefore,
        closesHoursBefore: offerings.closesHoursBefore,
        cancelCutoffHours: offerings.cancelCutoffHours,
        waitlist: offerings.waitlist,
        maxActivePerPerson: offerings.maxActivePerPerson,
        requiresConfirmation: offerings.requiresConfirmation,
        requiresAddress: offerings.requiresAddress,
      })
      .from(offerings)
      .where(inArray(offerings.id, db.select({ id: slots.offeringId }).from(slots).where(eq(slots.id, slotId))))
      .limit(1),
    db
      .select({
        id: persons.id,
        accountId: persons.accountId,
        name: persons.name,
        birthDate: persons.birthDate,
        communityId: persons.communityId,
        types: persons.types,
      })
      .from(persons)
      .where(eq(persons.id, personId))
      .limit(1),
    db
      .select({ id: proxyLinks.id })
      .from(proxyLinks)
      .where(
        and(
          eq(proxyLinks.personId, personId),
          isAccount(proxyLinks.proxyAccountId, accountId),
          eq(proxyLinks.status, "active"),
          inArray(proxyLinks.scope, [...BOOKING_SCOPES]),
        ),
      )
      .limit(1),
  ] as const;
}

export function toBookingContext<S, O, P>([slotRows, offeringRows, personRows, linkRows]: readonly [
  S[],
  O[],
  P[],
  Array<{ id: string }>,
]) {
  const slot = slotRows[0];
  const offering = offeringRows[0];
  return {
    slotRow: slot && offering ? { slot, offering } : null,
    person: personRows[0] ?? null,
    proxied: linkRows.length > 0,
  };
}

export async function findBookingByCode(db: Db, code: string) {
  const [row] = await bookingSelect(db).where(eq(bookings.code, code.toUpperCase())).limit(1);
  return row ?? null;
}

type HandledFilter = {
  personId?: string | SQLWrapper;
  when: "upcoming" | "past" | "all";
  /** Leave out cancelled bookings (in the query, so they do not count towards its limit). */
  notCancelled?: boolean;
};

function handledWhere(accountId: string | SQLWrapper, filter: HandledFilter, at: number | SQLWrapper) {
  const where: SQL[] = [sql`${bookings.personId} IN (${handledPersons(accountId)})`];
  if (filter.personId) where.push(eq(bookings.personId, filter.personId));
  if (filter.notCancelled) where.push(ne(bookings.status, "cancelled"));
  if (filter.when === "upcoming") where.push(gt(slots.endsAt, at));
  if (filter.when === "past") where.push(lte(slots.endsAt, at));
  return and(...where);
}

/** Bookings of the persons an account handles (optionally one of them), upcoming (by start) or past (latest first). */
export function bookingsHandledQuery(
  db: Db,
  accountId: string | SQLWrapper,
  filter: HandledFilter,
  at: number | SQLWrapper,
  limit = 200,
) {
  return bookingSelect(db)
    .where(handledWhere(accountId, filter, at))
    .orderBy(filter.when === "past" ? desc(slots.startsAt) : asc(slots.startsAt))
    .limit(limit);
}

/**
 * The bookings of the persons an account handles (optionally one of them) as one JSON array of
 * `BookingSummary` built by SQLite, upcoming (soonest first) or past (latest first), at most 200
 * — an SQL expression, for a column of the session's own row (`sessionWith`): `accountId` is that
 * row's account id. Each summary is made in the aggregate itself, so SQLite embeds it as JSON
 * without parsing it again.
 */
export function bookingSummariesJson(db: Db, accountId: SQL, filter: HandledFilter, at: SQLWrapper) {
  const past = filter.when === "past";
  const rows = db
    .select({
      id: sql<string>`${bookings.id}`.as("b_id"),
      status: sql<string>`${bookings.status}`.as("b_status"),
      slotId: sql<string>`${slots.id}`.as("s_id"),
      startsAt: sql<number>`${slots.startsAt}`.as("s_starts"),
      endsAt: sql<number>`${slots.endsAt}`.as("s_ends"),
      slotStatus: sql<string>`${slots.status}`.as("s_status"),
      offeringId: sql<string>`${offerings.id}`.as("o_id"),
      title: sql<string>`${offerings.title}`.as("o_title"),
      kind: sql<string>`${offerings.kind}`.as("o_kind"),
      organisationName: sql<string>`${organisations.name}`.as("org_name"),
      personId: sql<string>`${bookings.personId}`.as("p_id"),
      personName: sql<string>`${persons.name}`.as("p_name"),
      waitlistPosition: sql<number | null>`${waitlistPosition}`.as("w_pos"),
    })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .innerJoin(offerings, eq(offerings.id, bookings.offeringId))
    .innerJoin(organisations, eq(organisations.id, offerings.organisationId))
    .innerJoin(persons, eq(persons.id, bookings.personId))
    .where(handledWhere(accountId, filter, at))
    .orderBy(past ? desc(slots.startsAt) : asc(slots.startsAt))
    .limit(200)
    .as("handled");
  const summary = sql`json_object(
    'id', ${rows.id}, 'status', ${rows.status},
    'slot', json_object('id', ${rows.slotId}, 'startsAt', ${rows.startsAt}, 'endsAt', ${rows.endsAt}, 'status', ${rows.slotStatus}),
    'offering', json_object('id', ${rows.offeringId}, 'title', ${rows.title}, 'kind', ${rows.kind},
                            'organisationName', ${rows.organisationName}),
    'person', json_object('id', ${rows.personId}, 'name', ${rows.personName}),
    'waitlistPosition', ${rows.waitlistPosition})`;
  const list = db
    .select({
      list: (past
        ? sql<string>`coalesce(json_group_array(${summary} ORDER BY ${rows.startsAt} DESC, ${rows.id}), '[]')`
        : sql<string>`coalesce(json_group_array(${summary} ORDER BY ${rows.startsAt}, ${rows.id}), '[]')`
      ).as("list"),
    })
    .from(rows);
  return sql<string>`${list}`;
}

/**
 * The booking an actor made with an Idempotency-Key (a retry of an earlier request): its
 * `Booking` JSON and the slot and person it was for. A query, so it can join a batch.
 */
export function bookedWithKeyQuery(db: Db, actor: string | SQLWrapper, key: string | SQLWrapper) {
  return db
    .select({ json: bookingJson.as("booking_json"), slotId: bookings.slotId, personId: bookings.personId })
    .from(bookings)
    .where(and(eq(bookings.actorAccountId, actor), eq(bookings.idempotencyKey, key)))
    .limit(1);
}

/** Whether an account handles this person's bookings, as an SQL expression (1 or 0). */
export function handlesPerson(accountId: SQL, personId: SQLWrapper) {
  return sql<number>`${personId} IN (${handledPersons(accountId)})`;
}

/** Whether an account handles this person's bookings (a query, so it can join a batch): one row or none. */
export function handlesPersonQuery(db: Db, accountId: string | SQLWrapper, personId: string | SQLWrapper) {
  return db
    .select({ id: persons.id })
    .from(persons)
    .where(and(eq(persons.id, personId), sql`${persons.id} IN (${handledPersons(accountId)})`))
    .limit(1);
}

export async function bookingsOfSlot(db: Db, slotId: string) {
  return bookingSelect(db).where(eq(bookings.slotId, slotId)).orderBy(asc(bookings.createdAt), asc(bookings.id));
}

/** The active bookings on a slot (to notify when it changes), as a condition on `bookings`. */
export function activeOnSlot(slotId: string): SQL {
  return sql`${bookings.slotId} = ${slotId} AND ${bookings.status} IN ${ACTIVE}`;
}

export function insertSlotStatements(
  db: Db,
  offeringId: string,
  items: Array<{ startsAt: number; endsAt: number; capacity: number; note?: string | null }>,
  seriesId: string | null,
  at: number,
) {
  const ids: string[] = [];
  const statements = [];
  // D1 binds at most 100 parameters per statement: 12 columns (the counts' defaults included) → 8 rows.
  for (let i = 0; i < items.length; i += 8) {
    const values = items.slice(i, i + 8).map((s) => {
      const id = newId("slt");
      ids.push(id);
      return {
        id,
        offeringId,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        capacity: s.capacity,
        note: s.note ?? null,
        seriesId,
        status: "open" as const,
        createdAt: at,
        updatedAt: at,
      };
    });
    // A time that already has an open slot is left out (slots_open_time_uq); the rows inserted
    // come back, so the caller knows which times are new.
    statements.push(
      db.insert(slots).values(values).onConflictDoNothing().returning({ id: slots.id, startsAt: slots.startsAt }),
    );
  }
  return { ids, statements };
}
