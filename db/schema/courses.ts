import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  COURSE_CERTIFICATE_STATUSES,
  COURSE_MODES,
  SESSION_STATUSES,
} from "../../worker/features/courses/courses.schema";
import { bookings, offerings, slots } from "./bookings";
import { accounts, persons } from "./people";
import { organisations } from "./places";

/**
 * What makes an offering of kind `training` a course: how it is taught, who may enrol, when it
 * counts as completed. Its category is the offering's; its one slot is the enrolment (starting
 * with the first session, so enrolment closes before the course begins), and a booking on it
 * covers every session.
 */
export const courseDetails = sqliteTable("course_details", {
  offeringId: text("offering_id")
    .primaryKey()
    .references(() => offerings.id),
  slotId: text("slot_id")
    .notNull()
    .references(() => slots.id),
  mode: text("mode", { enum: COURSE_MODES }).notNull(),
  placeText: text("place_text"),
  /** Shown only to those enrolled and to the course's staff. */
  onlineLink: text("online_link"),
  eligibility: text("eligibility").notNull().default(""),
  completionPercent: integer("completion_percent").notNull(),
  certificate: integer("certificate", { mode: "boolean" }).notNull(),
  contact: text("contact").notNull(),
  createdByAccountId: text("created_by_account_id")
    .notNull()
    .references(() => accounts.id),
  /** When staff closed the course: completion decided and certificates issued. */
  completedAt: integer("completed_at"),
  /** Called off before it ended: its enrolment and remaining sessions are cancelled, everyone told. */
  cancelledAt: integer("cancelled_at"),
  cancelReason: text("cancel_reason"),
  updatedAt: integer("updated_at").notNull(),
});

export const courseSessions = sqliteTable(
  "course_sessions",
  {
    id: text("id").primaryKey(),
    offeringId: text("offering_id")
      .notNull()
      .references(() => offerings.id),
    seq: integer("seq").notNull(),
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at").notNull(),
    status: text("status", { enum: SESSION_STATUSES }).notNull().default("scheduled"),
  },
  (t) => [uniqueIndex("course_sessions_seq_uq").on(t.offeringId, t.seq)],
);

/** Who came to a session (or was marked absent), taken by the course's staff. */
export const courseAttendance = sqliteTable(
  "course_attendance",
  {
    sessionId: text("session_id")
      .notNull()
      .references(() => courseSessions.id),
    bookingId: text("booking_id")
      .notNull()
      .references(() => bookings.id),
    present: integer("present", { mode: "boolean" }).notNull(),
    recordedByAccountId: text("recorded_by_account_id")
      .notNull()
      .references(() => accounts.id),
    recordedAt: integer("recorded_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.bookingId] }), index("course_attendance_booking_idx").on(t.bookingId)],
);

/** A completion certificate; its number is random so numbers cannot be guessed one after another. */
export const courseCertificates = sqliteTable(
  "course_certificates",
  {
    id: text("id").primaryKey(),
    /** E.g. "JZT-2026-7KQ4-M9XD". */
    number: text("number").notNull().unique(),
    bookingId: text("booking_id")
      .notNull()
      .references(() => bookings.id),
    offeringId: text("offering_id")
      .notNull()
      .references(() => offerings.id),
    personId: text("person_id")
      .notNull()
      .references(() => persons.id),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    personName: text("person_name").notNull(),
    courseTitle: text("course_title").notNull(),
    organisationName: text("organisation_name").notNull(),
    sessionsAttended: integer("sessions_attended").notNull(),
    sessionsHeld: integer("sessions_held").notNull(),
    /** The last session's day, YYYY-MM-DD (Asia/Shanghai). */
    completedOn: text("completed_on").notNull(),
    status: text("status", { enum: COURSE_CERTIFICATE_STATUSES }).notNull().default("valid"),
    issuedAt: integer("issued_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [
    uniqueIndex("course_certificates_booking_uq").on(t.bookingId).where(sql`${t.status} = 'valid'`),
    index("course_certificates_person_idx").on(t.personId),
  ],
);
