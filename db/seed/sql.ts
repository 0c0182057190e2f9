import { getTableColumns, type InferInsertModel } from "drizzle-orm";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  accounts,
  bookings,
  clinicDepartments,
  communities,
  compounds,
  courseDetails,
  courseSessions,
  doctors,
  eventDetails,
  facilities,
  gridCells,
  jobPostings,
  offerings,
  organisations,
  outbox,
  persons,
  proxyLinks,
  roleGrants,
  slots,
  volunteers,
  volunteerTeamMembers,
  volunteerTeams,
  walkDistances,
  walkMembers,
  walkNetworks,
} from "../schema";
import type { CareSeed } from "./care";
import type { ClinicsSeed } from "./clinics";
import type { CoursesSeed } from "./courses";
import type { SeedData } from "./demo";
import type { EventsSeed } from "./events";
import type { FacilityRow } from "./facilities";
import type { JobPostingRow } from "./jobs";
import type { WalkNetworkSeed } from "./network";

/**
 * A value as an SQLite literal: strings quoted with `'` doubled, booleans as 0/1.
 *
 * @example
 * sqlLiteral("Residents' Committee") // "'Residents'' Committee'"
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "bigint") return value.toString();
  throw new TypeError(`Cannot write ${typeof value} as an SQL literal`);
}

/**
 * One `INSERT … ON CONFLICT DO NOTHING RETURNING <primary key>` per row, with the schema's column
 * names: a row already present (same key or any unique key) is left as it is and returns nothing,
 * so the returned rows count what was inserted. Columns the row omits take their defaults.
 */
export function insertStatements<T extends SQLiteTable>(table: T, rows: readonly InferInsertModel<T>[]): string[] {
  const columns = Object.entries(getTableColumns(table));
  const config = getTableConfig(table);
  const key = (config.primaryKeys[0]?.columns ?? config.columns.filter((c) => c.primary))
    .map((c) => `"${c.name}"`)
    .join(", ");
  return rows.map((row) => {
    const values: Record<string, unknown> = row;
    const names: string[] = [];
    const literals: string[] = [];
    for (const [key, column] of columns) {
      const value = values[key];
      if (value === undefined) continue;
      names.push(`"${column.name}"`);
      literals.push(sqlLiteral(value === null ? null : column.mapToDriverValue(value)));
    }
    return `INSERT INTO "${config.name}" (${names.join(", ")}) VALUES (${literals.join(", ")}) ON CONFLICT DO NOTHING RETURNING ${key};`;
  });
}

/** Every seed row as SQL statements, parents before the rows that reference them. */
export function seedStatements(seed: SeedData): string[] {
  return [
    ...insertStatements(communities, seed.communities),
    ...insertStatements(gridCells, seed.gridCells),
    ...insertStatements(compounds, seed.compounds),
    ...insertStatements(organisations, seed.organisations),
    ...insertStatements(accounts, seed.accounts),
    ...insertStatements(persons, seed.persons),
    ...insertStatements(roleGrants, seed.roleGrants),
    ...insertStatements(proxyLinks, seed.proxyLinks),
    ...insertStatements(volunteers, seed.volunteers),
    ...insertStatements(volunteerTeams, seed.volunteerTeams),
    ...insertStatements(volunteerTeamMembers, seed.volunteerTeamMembers),
  ];
}

/** The demo community events: offerings, their details, their occurrences (after facilities and accounts). */
export function eventStatements(seed: EventsSeed): string[] {
  return [
    ...insertStatements(offerings, seed.offerings),
    ...insertStatements(eventDetails, seed.details),
    ...insertStatements(slots, seed.slots),
  ];
}

/** The demo training courses: offerings, their enrolment slots, details and sessions. */
export function courseStatements(seed: CoursesSeed): string[] {
  return [
    ...insertStatements(offerings, seed.offerings),
    ...insertStatements(slots, seed.slots),
    ...insertStatements(courseDetails, seed.details),
    ...insertStatements(courseSessions, seed.sessions),
  ];
}

/** The demo clinics: departments, their doctors' offerings, the doctors, and two weeks of appointment slots. */
export function clinicStatements(seed: ClinicsSeed): string[] {
  return [
    ...insertStatements(clinicDepartments, seed.departments),
    ...insertStatements(offerings, seed.offerings),
    ...insertStatements(doctors, seed.doctors),
    ...insertStatements(slots, seed.slots),
  ];
}

/** The demo job postings (after the organisations and accounts they point at). */
export function jobStatements(rows: readonly JobPostingRow[]): string[] {
  return insertStatements(jobPostings, rows);
}

/** The service circle's demo facilities (after the places and organisations they point at). */
export function facilityStatements(rows: readonly FacilityRow[]): string[] {
  return insertStatements(facilities, rows);
}

/** The demo walking network, its members and their distances. */
export function walkNetworkStatements(seed: WalkNetworkSeed): string[] {
  return [
    ...insertStatements(walkNetworks, [seed.network]),
    ...insertStatements(walkMembers, seed.members),
    ...insertStatements(walkDistances, seed.distances),
  ];
}

/**
 * The care catalogue, its slots, the demo bookings and yesterday's text messages (after the
 * facilities and persons). The
 * demo bookings were made before the demo begins: the notices the bookings trigger writes for
 * them are in their inboxes already read, so a demo starts with nothing unread.
 */
export function careStatements(seed: CareSeed): string[] {
  const links = seed.bookings.map((b) => sqlLiteral(`/bookings/${b.id}`));
  return [
    ...insertStatements(offerings, seed.offerings),
    ...insertStatements(slots, seed.slots),
    ...insertStatements(bookings, seed.bookings),
    ...insertStatements(outbox, seed.messages),
    ...(links.length > 0
      ? [
          `UPDATE "notifications" SET "read_at" = "created_at" WHERE "read_at" IS NULL AND "link" IN (${links.join(", ")});`,
        ]
      : []),
  ];
}
