import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { PersonTypeCode } from "../../worker/features/persons/person-types";
import type { VolunteerSkill } from "../../worker/features/volunteers/volunteers.schema";
import { facilities } from "./facilities";
import { accounts, persons } from "./people";
import { organisations } from "./places";
import { volunteerTeams } from "./volunteers";

export const OFFERING_KINDS = ["care", "clinic", "teleconsult", "training", "event", "volunteer_shift"] as const;
export type OfferingKind = (typeof OFFERING_KINDS)[number];

/** Something with limited places that people book: a care service, a clinic session, a course… */
export const offerings = sqliteTable(
  "offerings",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    facilityId: text("facility_id").references(() => facilities.id),
    kind: text("kind", { enum: OFFERING_KINDS }).notNull(),
    /** Finer kind within `kind`, e.g. day_care, meal, bathing, rehabilitation, home_visit, check_up. */
    category: text("category"),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    priceFen: integer("price_fen").notNull().default(0),
    subsidyNote: text("subsidy_note"),
    minAge: integer("min_age"),
    /** Community ids whose residents may book; null: anyone. */
    communities: text("communities", { mode: "json" }).$type<string[]>(),
    /** Only people holding at least one of these person types may book; null or empty: anyone. */
    personTypes: text("person_types", { mode: "json" }).$type<PersonTypeCode[]>(),
    /** People at least this old may book `priorityDays` earlier than the window opens for others. */
    priorityAge: integer("priority_age"),
    priorityDays: integer("priority_days").notNull().default(0),
    opensDaysBefore: integer("opens_days_before").notNull().default(14),
    closesHoursBefore: integer("closes_hours_before").notNull().default(0),
    cancelCutoffHours: integer("cancel_cutoff_hours").notNull().default(0),
    waitlist: integer("waitlist", { mode: "boolean" }).notNull().default(true),
    maxActivePerPerson: integer("max_active_per_person").notNull().default(3),
    requiresConfirmation: integer("requires_confirmation", { mode: "boolean" }).notNull().default(false),
    /** Home visits: the booking must carry an address and needs. */
    requiresAddress: integer("requires_address", { mode: "boolean" }).notNull().default(false),
    /** Volunteer shifts: only members of this team may sign up; null: any registered volunteer. */
    teamId: text("team_id").references((): AnySQLiteColumn => volunteerTeams.id),
    /** Volunteer shifts: the skills wanted (codes of VOLUNTEER_SKILLS), shown to volunteers. */
    skills: text("skills", { mode: "json" }).$type<VolunteerSkill[]>(),
    /**
     * Volunteer shifts: the service or event the shift helps with (a care service such as home
     * visits, an event, a course), of any organisation.
     */
    supportsOfferingId: text("supports_offering_id").references((): AnySQLiteColumn => offerings.id),
    /** `draft`: an event not yet published (see `eventDetails`); nobody sees or books it. */
    status: text("status", { enum: ["active", "archived", "draft"] })
      .notNull()
      .default("active"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("offerings_org_idx").on(t.organisationId), index("offerings_kind_idx").on(t.kind, t.status)],
);

/** A time with a number of places. */
export const slots = sqliteTable(
  "slots",
  {
    id: text("id").primaryKey(),
    offeringId: text("offering_id")
      .notNull()
      .references(() => offerings.id),
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at").notNull(),
    capacity: integer("capacity").notNull(),
    status: text("status", { enum: ["open", "cancelled"] })
      .notNull()
      .default("open"),
    seriesId: text("series_id"),
    note: text("note"),
    /**
     * Volunteer shifts: the one person this time serves (a home visit to an elder), named by the
     * organisation's staff; the shift's service records name them, so they can rate it.
     */
    servedPersonId: text("served_person_id").references((): AnySQLiteColumn => persons.id),
    /**
     * Volunteer shifts: the code the shift's lead shows on the day; a volunteer types it to check
     * in and out. Made when staff first open it.
     */
    shiftCode: text("shift_code"),
    /**
     * Places held (bookings pending, confirmed, checked in or completed) and waitlist length.
     * Kept by triggers on bookings (migration 0005) in the same statement as every booking
     * write, so they are never stale; never write them from application code. drizzle-kit does not
     * know the triggers: a migration that rebuilds `bookings` must create them again
     * (test/worker/slot-counts.test.ts checks they exist).
     */
    heldCount: integer("held_count").notNull().default(0),
    waitlistCount: integer("waitlist_count").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("slots_offering_start_idx").on(t.offeringId, t.startsAt),
    index("slots_start_idx").on(t.startsAt),
    // One open slot per service and start time: residents never see the same time twice, and a
    // series or a slot created twice (a repeated tap, two staff at once) cannot double it.
    uniqueIndex("slots_open_time_uq").on(t.offeringId, t.startsAt).where(sql`${t.status} = 'open'`),
  ],
);

export const BOOKING_STATUSES = [
  "pending",
  "confirmed",
  "waitlisted",
  "cancelled",
  "checked_in",
  "completed",
  "no_show",
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Statuses that hold one of the slot's places. */
export const HOLDING_STATUSES = ["pending", "confirmed", "checked_in", "completed"] as const;
/** Statuses in which a person is still "booked" on a slot (one such booking per person and slot). */
export const ACTIVE_STATUSES = ["pending", "confirmed", "waitlisted", "checked_in"] as const;

export const bookings = sqliteTable(
  "bookings",
  {
    id: text("id").primaryKey(),
    slotId: text("slot_id")
      .notNull()
      .references(() => slots.id),
    offeringId: text("offering_id")
      .notNull()
      .references(() => offerings.id),
    personId: text("person_id")
      .notNull()
      .references(() => persons.id),
    actorAccountId: text("actor_account_id")
      .notNull()
      .references(() => accounts.id),
    /** Who booked: the person themselves, a proxy, or staff on their behalf. */
    actorRole: text("actor_role", { enum: ["self", "proxy", "staff"] }).notNull(),
    channel: text("channel", { enum: ["app", "walk_in", "phone"] })
      .notNull()
      .default("app"),
    status: text("status", { enum: BOOKING_STATUSES }).notNull(),
    code: text("code").notNull(),
    notes: text("notes"),
    address: text("address"),
    assignedAccountId: text("assigned_account_id").references(() => accounts.id),
    idempotencyKey: text("idempotency_key"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    promotedAt: integer("promoted_at"),
    cancelledAt: integer("cancelled_at"),
    cancelledByAccountId: text("cancelled_by_account_id").references(() => accounts.id),
    checkedInAt: integer("checked_in_at"),
    completedAt: integer("completed_at"),
    rating: integer("rating"),
    ratingComment: text("rating_comment"),
    ratedAt: integer("rated_at"),
  },
  (t) => [
    uniqueIndex("bookings_person_slot_active_uq")
      .on(t.slotId, t.personId)
      .where(sql`${t.status} IN ('pending', 'confirmed', 'waitlisted', 'checked_in')`),
    uniqueIndex("bookings_idempotency_uq")
      .on(t.actorAccountId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} IS NOT NULL`),
    uniqueIndex("bookings_code_uq").on(t.code),
    index("bookings_slot_status_idx").on(t.slotId, t.status, t.createdAt),
    // A person's bookings, covering what lists and the per-person limit read (offering, status,
    // slot, created, id): "my bookings" and the limit check never touch the table's own pages,
    // which for one person lie scattered across a large table.
    index("bookings_person_idx").on(t.personId, t.offeringId, t.status, t.slotId, t.createdAt, t.id),
  ],
);

/** See `notifications.params`. (A type, not an interface: it is also an `SmsParams`.) */
export type NoticeParams = {
  person?: string;
  offering?: string;
  organisation?: string;
  startsAt?: number;
  code?: string;
  reason?: string;
  address?: string;
  /** The booking's status when the notice was written (booked notices). */
  status?: string;
  /** A proxy's masked phone (a link registered for the reader). */
  proxy?: string;
  /** A volunteer number (an approved registration). */
  number?: string;
};

/** The in-app inbox; a notice marked `sms` is texted too (trigger `notifications_texted`). */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    /** Unique per purpose, e.g. "reminder-24h:<bookingId>": a second cron run sends nothing twice. */
    dedupeKey: text("dedupe_key"),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    link: text("link"),
    /**
     * What the notice is about, so the site can word it in the reader's language (title and body
     * are the Chinese text, also sent by SMS). Keys: person, offering, organisation, startsAt,
     * code, reason, address, status, proxy.
     */
    params: text("params", { mode: "json" }).$type<NoticeParams>(),
    /** Also texted to the account's phone: the trigger `notifications_texted` queues the SMS. */
    sms: integer("sms", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    readAt: integer("read_at"),
  },
  (t) => [
    index("notifications_account_idx").on(t.accountId, t.createdAt),
    uniqueIndex("notifications_dedupe_uq").on(t.accountId, t.dedupeKey).where(sql`${t.dedupeKey} IS NOT NULL`),
  ],
);

/** A personal calendar feed: the secret in its URL is stored only as a hash; resetting revokes the old URL. */
export const calendarFeeds = sqliteTable("calendar_feeds", {
  accountId: text("account_id")
    .primaryKey()
    .references(() => accounts.id),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: integer("created_at").notNull(),
});
