import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  type ClinicService,
  DOCTOR_TITLES,
  type ScheduleBlock,
  SIGNING_STATUSES,
} from "../../worker/features/clinics/clinics.schema";
import { bookings, offerings } from "./bookings";
import { accounts, persons } from "./people";
import { organisations } from "./places";

/** A department of a clinic (an organisation of type clinic) and the services it gives. */
export const clinicDepartments = sqliteTable(
  "clinic_departments",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    name: text("name").notNull(),
    services: text("services", { mode: "json" }).notNull().$type<ClinicService[]>(),
    description: text("description").notNull().default(""),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("clinic_departments_name_uq").on(t.organisationId, t.name)],
);

/**
 * A doctor of a clinic (no photo): their weekly schedule, and the two offerings their
 * appointments are slots of — visits (`clinic`) and tele-consultations (`teleconsult`) — made
 * the first time slots of that kind are generated.
 */
export const doctors = sqliteTable(
  "doctors",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    departmentId: text("department_id")
      .notNull()
      .references(() => clinicDepartments.id),
    name: text("name").notNull(),
    title: text("title", { enum: DOCTOR_TITLES }).notNull(),
    specialty: text("specialty").notNull().default(""),
    profile: text("profile").notNull().default(""),
    /** The doctor's own sign-in: they read their own tele-consultations. */
    accountId: text("account_id").references(() => accounts.id),
    meetingLink: text("meeting_link"),
    schedule: text("schedule", { mode: "json" }).notNull().$type<ScheduleBlock[]>().default(sql`'[]'`),
    clinicOfferingId: text("clinic_offering_id").references(() => offerings.id),
    teleconsultOfferingId: text("teleconsult_offering_id").references(() => offerings.id),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("doctors_org_idx").on(t.organisationId),
    index("doctors_account_idx").on(t.accountId),
    uniqueIndex("doctors_clinic_offering_uq").on(t.clinicOfferingId),
    uniqueIndex("doctors_teleconsult_offering_uq").on(t.teleconsultOfferingId),
  ],
);

/**
 * A tele-consultation's health data (PIPL: sensitive personal information). Symptoms are kept
 * only while a consent is recorded; withdrawing it deletes them.
 */
export const teleconsultNotes = sqliteTable("teleconsult_notes", {
  bookingId: text("booking_id")
    .primaryKey()
    .references(() => bookings.id),
  consentAt: integer("consent_at"),
  consentVersion: text("consent_version"),
  consentByAccountId: text("consent_by_account_id").references(() => accounts.id),
  withdrawnAt: integer("withdrawn_at"),
  symptoms: text("symptoms"),
  updatedAt: integer("updated_at").notNull(),
});

/** A request to sign with a clinic's family-doctor team (家庭医生签约). */
export const familyDoctorSignings = sqliteTable(
  "family_doctor_signings",
  {
    id: text("id").primaryKey(),
    organisationId: text("organisation_id")
      .notNull()
      .references(() => organisations.id),
    personId: text("person_id")
      .notNull()
      .references(() => persons.id),
    requestedByAccountId: text("requested_by_account_id")
      .notNull()
      .references(() => accounts.id),
    status: text("status", { enum: SIGNING_STATUSES }).notNull(),
    note: text("note").notNull().default(""),
    decisionNote: text("decision_note"),
    decidedByAccountId: text("decided_by_account_id").references(() => accounts.id),
    requestedAt: integer("requested_at").notNull(),
    decidedAt: integer("decided_at"),
  },
  (t) => [
    index("family_doctor_signings_org_idx").on(t.organisationId, t.status, t.requestedAt),
    // One request or signing at a time per person, whichever clinic.
    uniqueIndex("family_doctor_signings_active_uq").on(t.personId).where(sql`${t.status} IN ('requested', 'accepted')`),
  ],
);
