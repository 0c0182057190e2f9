import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { bookings, offerings, slots } from "./bookings";
import { accounts, persons } from "./people";
import { communities, organisations } from "./places";

export const VOLUNTEER_STATUSES = ["pending", "approved", "rejected", "suspended", "withdrawn"] as const;
export type VolunteerStatus = (typeof VOLUNTEER_STATUSES)[number];

/** Statuses of a registration that is still live: one per account and one per ID number. */
export const LIVE_VOLUNTEER_STATUSES = ["pending", "approved", "suspended"] as const;

/** How a guardian's consent to a minor's registration was recorded (by community staff). */
export const GUARDIAN_CONSENT_METHODS = ["in_person", "signed_paper"] as const;

/**
 * A resident's registration as a volunteer (社区志愿者注册登记): real name and ID number, what
 * they can do and when, an emergency contact, consent to the volunteer code, and — for a minor —
 * the guardian and the guardian's consent as recorded by staff. One row per account: applying
 * again after a refusal or a withdrawal reuses it, so the volunteer number and the service
 * history stay with the volunteer. The ID number is kept only as its last four digits and a keyed
 * hash (as for persons).
 */
export const volunteers = sqliteTable(
  "volunteers",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .unique()
      .references(() => accounts.id),
    /** The account's own person: the one served, booked on shifts, named on certificates. */
    personId: text("person_id")
      .notNull()
      .references(() => persons.id),
    /** The community whose staff approve the registration. */
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id),
    realName: text("real_name").notNull(),
    idLast4: text("id_last4").notNull(),
    idHash: text("id_hash").notNull(),
    /** From the ID number. */
    birthDate: text("birth_date").notNull(),
    /** Skill codes (worker/features/volunteers/volunteers.schema.ts) and anything else, in words. */
    skills: text("skills", { mode: "json" }).$type<string[]>().notNull().default([]),
    skillsNote: text("skills_note"),
    languages: text("languages", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** When they can usually serve: "mon-am", "mon-pm", "mon-eve" … "sun-eve". */
    availability: text("availability", { mode: "json" }).$type<string[]>().notNull().default([]),
    emergencyName: text("emergency_name").notNull(),
    emergencyPhone: text("emergency_phone").notNull(),
    emergencyRelationship: text("emergency_relationship").notNull(),
    /** The version of the volunteer code (志愿者守则) agreed to, and when. */
    codeVersion: text("code_version").notNull(),
    codeAgreedAt: integer("code_agreed_at").notNull(),
    /** A minor's guardian, as the applicant gave them… */
    guardianName: text("guardian_name"),
    guardianPhone: text("guardian_phone"),
    guardianRelationship: text("guardian_relationship"),
    /** …and the guardian's consent, recorded by the staff member who approved. */
    guardianConsentMethod: text("guardian_consent_method", { enum: GUARDIAN_CONSENT_METHODS }),
    guardianConsentNote: text("guardian_consent_note"),
    guardianConsentByAccountId: text("guardian_consent_by_account_id").references(() => accounts.id),
    guardianConsentAt: integer("guardian_consent_at"),
    status: text("status", { enum: VOLUNTEER_STATUSES }).notNull(),
    /** Given at the first approval and kept for good, e.g. "JZ2026-00042"; `seq` is its serial. */
    number: text("number").unique(),
    seq: integer("seq").unique(),
    /** The last decision (approve, reject, suspend, reinstate): who, when, and the reason given. */
    decidedByAccountId: text("decided_by_account_id").references(() => accounts.id),
    decidedAt: integer("decided_at"),
    reason: text("reason"),
    /** Shown on the community's leaderboard of hours (opt-in). */
    onLeaderboard: integer("on_leaderboard", { mode: "boolean" }).notNull().default(false),
    appliedAt: integer("applied_at").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("volunteers_id_hash_live_uq")
      .on(t.idHash)
      .where(sql`${t.status} IN ('pending', 'approved', 'suspended')`),
    index("volunteers_community_status_idx").on(t.communityId, t.status, t.appliedAt),
    // Shift sign-ups and the check-in triggers find a booked person's registration by person.
    index("volunteers_person_idx").on(t.personId),
  ],
);

export const TEAM_MEMBER_ROLES = ["leader", "member"] as const;
export const TEAM_MEMBER_STATUSES = ["pending", "active", "declined", "left", "removed"] as const;

/** A volunteer team, run by an organisation (or a community's committee) with leaders. */
export const volunteerTeams = sqliteTable(
  "volunteer_teams",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: ["active", "archived"] })
      .notNull()
      .default("active"),
    createdByAccountId: text("created_by_account_id").references(() => accounts.id),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("volunteer_teams_org_name_uq").on(t.organisationId, t.name)],
);

/** A volunteer in a team: asked to join (pending) until a leader or the team's staff decide. */
export const volunteerTeamMembers = sqliteTable(
  "volunteer_team_members",
  {
    id: text("id").primaryKey(),
    teamId: text("team_id")
      .notNull()
      .references(() => volunteerTeams.id),
    volunteerId: text("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
    role: text("role", { enum: TEAM_MEMBER_ROLES }).notNull().default("member"),
    status: text("status", { enum: TEAM_MEMBER_STATUSES }).notNull(),
    requestedAt: integer("requested_at").notNull(),
    decidedByAccountId: text("decided_by_account_id").references(() => accounts.id),
    decidedAt: integer("decided_at"),
    reason: text("reason"),
  },
  (t) => [
    uniqueIndex("volunteer_team_members_live_uq")
      .on(t.teamId, t.volunteerId)
      .where(sql`${t.status} IN ('pending', 'active')`),
    index("volunteer_team_members_volunteer_idx").on(t.volunteerId, t.status),
  ],
);

export const SERVICE_RECORD_STATUSES = ["open", "pending", "approved", "rejected"] as const;
export type ServiceRecordStatus = (typeof SERVICE_RECORD_STATUSES)[number];
export const SERVICE_RECORD_SOURCES = ["check_in", "staff_entry"] as const;

/**
 * A volunteer's service (志愿服务记录): from checking in and out of a shift — written by triggers
 * on the shift's booking (migration 0016), whichever way it was checked in — or entered by the
 * organisation's staff from a paper sign-in sheet. Open while checked in; then pending until the
 * organisation that recorded it approves or rejects it (谁记录谁证明). Only approved minutes count.
 */
export const volunteerServiceRecords = sqliteTable(
  "volunteer_service_records",
  {
    id: text("id").primaryKey(),
    volunteerId: text("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
    /** The recording organisation: the one that approves. */
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    offeringId: text("offering_id").references((): AnySQLiteColumn => offerings.id),
    slotId: text("slot_id").references((): AnySQLiteColumn => slots.id),
    bookingId: text("booking_id").references((): AnySQLiteColumn => bookings.id),
    title: text("title").notNull(),
    /** The kind of service (the shift's category, e.g. elderly_care), for totals by kind. */
    category: text("category"),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at"),
    /** Whole minutes from start to end; null while open. */
    minutes: integer("minutes"),
    source: text("source", { enum: SERVICE_RECORD_SOURCES }).notNull(),
    status: text("status", { enum: SERVICE_RECORD_STATUSES }).notNull(),
    /** Closed by the platform 12 hours after check-in without a check-out: to be reviewed. */
    autoClosed: integer("auto_closed", { mode: "boolean" }).notNull().default(false),
    /**
     * To be looked at one by one, never approved with the whole shift: closed by the platform,
     * checked out over an hour after the shift's end, closed because the shift was called off, or
     * completed by staff without any check-in (migration 0017).
     */
    flagged: integer("flagged", { mode: "boolean" }).notNull().default(false),
    /**
     * The person served (a care home visit, an elder accompanied), named by the recording
     * organisation's staff: they, or someone acting for them, may rate the service once.
     */
    servedPersonId: text("served_person_id").references(() => persons.id),
    note: text("note"),
    /** Why it was rejected. */
    reason: text("reason"),
    recordedByAccountId: text("recorded_by_account_id").references(() => accounts.id),
    decidedByAccountId: text("decided_by_account_id").references(() => accounts.id),
    decidedAt: integer("decided_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("service_records_volunteer_idx").on(t.volunteerId, t.startedAt),
    index("service_records_org_idx").on(t.organisationId, t.status, t.startedAt),
    index("service_records_slot_idx").on(t.slotId),
    uniqueIndex("service_records_booking_uq").on(t.bookingId).where(sql`${t.bookingId} IS NOT NULL`),
    index("service_records_open_idx").on(t.startedAt).where(sql`${t.status} = 'open'`),
    index("service_records_served_idx").on(t.servedPersonId, t.startedAt).where(sql`${t.servedPersonId} IS NOT NULL`),
  ],
);

export const CERTIFICATE_STATUSES = ["valid", "revoked"] as const;

/**
 * A service certificate (志愿服务证明): the approved hours a volunteer served with one organisation
 * over a period, issued in that organisation's name (it approved them) with a number anyone can
 * check at the public verification page. What it states is kept as issued (name, last four of the
 * ID number, volunteer number, minutes), so later changes do not alter a certificate in someone's
 * hands; revoking it is recorded, never deleting it.
 */
export const volunteerCertificates = sqliteTable(
  "volunteer_certificates",
  {
    id: text("id").primaryKey(),
    /** E.g. "JZC-2026-7KQ4-M9XD": random, so numbers cannot be guessed one after another. */
    number: text("number").notNull().unique(),
    volunteerId: text("volunteer_id")
      .notNull()
      .references(() => volunteers.id),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    /** The period covered, Beijing dates, both days included. */
    periodFrom: text("period_from").notNull(),
    periodTo: text("period_to").notNull(),
    minutes: integer("minutes").notNull(),
    records: integer("records").notNull(),
    realName: text("real_name").notNull(),
    idLast4: text("id_last4").notNull(),
    volunteerNumber: text("volunteer_number").notNull(),
    organisationName: text("organisation_name").notNull(),
    status: text("status", { enum: CERTIFICATE_STATUSES }).notNull().default("valid"),
    issuedAt: integer("issued_at").notNull(),
    /** Who asked for it (the volunteer, or staff for them). */
    requestedByAccountId: text("requested_by_account_id").references(() => accounts.id),
    revokedAt: integer("revoked_at"),
    revokedByAccountId: text("revoked_by_account_id").references(() => accounts.id),
    revokeReason: text("revoke_reason"),
  },
  (t) => [
    index("certificates_volunteer_idx").on(t.volunteerId, t.issuedAt),
    index("certificates_org_idx").on(t.organisationId, t.issuedAt),
    // One valid certificate per volunteer, issuer and period: asking again returns it.
    uniqueIndex("certificates_valid_uq")
      .on(t.volunteerId, t.organisationId, t.periodFrom, t.periodTo)
      .where(sql`${t.status} = 'valid'`),
  ],
);
