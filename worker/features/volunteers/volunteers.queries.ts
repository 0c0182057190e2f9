import { and, asc, count, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db";
import {
  accounts,
  communities,
  LIVE_VOLUNTEER_STATUSES,
  type VolunteerStatus,
  volunteers,
  volunteerTeamMembers,
  volunteerTeams,
} from "../../../db/schema";
import { insertWhere } from "../../lib/insert-where";
import { maskPhone } from "../../lib/phone";
import { ageOn, shanghaiDate } from "../../lib/shanghai";
import { ADULT_AGE, type StaffVolunteer, type Volunteer } from "./volunteers.schema";

export const PAGE_SIZE = 50;

export type VolunteerRow = typeof volunteers.$inferSelect;

const LIVE = sql.raw(LIVE_VOLUNTEER_STATUSES.map((s) => `'${s}'`).join(", "));

export function toVolunteer(row: VolunteerRow, communityName: string, at: number): Volunteer {
  return {
    id: row.id,
    status: row.status,
    number: row.number,
    realName: row.realName,
    idMasked: `**************${row.idLast4}`,
    birthDate: row.birthDate,
    age: ageOn(row.birthDate, shanghaiDate(at)),
    communityId: row.communityId,
    communityName,
    skills: row.skills,
    skillsNote: row.skillsNote,
    languages: row.languages,
    availability: row.availability,
    emergencyName: row.emergencyName,
    emergencyPhoneMasked: maskPhone(row.emergencyPhone) ?? "",
    emergencyRelationship: row.emergencyRelationship,
    guardianName: row.guardianName,
    guardianPhoneMasked: maskPhone(row.guardianPhone),
    guardianRelationship: row.guardianRelationship,
    guardianConsentMethod: row.guardianConsentMethod,
    guardianConsentAt: row.guardianConsentAt,
    codeVersion: row.codeVersion,
    onLeaderboard: row.onLeaderboard,
    reason: row.reason,
    decidedAt: row.decidedAt,
    appliedAt: row.appliedAt,
  };
}

export function toStaffVolunteer(
  row: VolunteerRow,
  communityName: string,
  phone: string | null,
  at: number,
): StaffVolunteer {
  const volunteer = toVolunteer(row, communityName, at);
  return { ...volunteer, phoneMasked: maskPhone(phone), minor: volunteer.age < ADULT_AGE };
}

/** The registration with its community's name and the account's phone. */
export async function findVolunteer(db: Db, where: SQL) {
  const [row] = await db
    .select({ volunteer: volunteers, communityName: communities.name, phone: accounts.phone })
    .from(volunteers)
    .innerJoin(communities, eq(communities.id, volunteers.communityId))
    .innerJoin(accounts, eq(accounts.id, volunteers.accountId))
    .where(where)
    .limit(1);
  return row ?? null;
}

/** The account's registration row alone (any status), or null: for reads that need no names. */
export async function registrationOfAccount(db: Db, accountId: string) {
  const [row] = await db.select().from(volunteers).where(eq(volunteers.accountId, accountId)).limit(1);
  return row ?? null;
}

export async function volunteerOfAccount(db: Db, accountId: string) {
  return findVolunteer(db, eq(volunteers.accountId, accountId));
}

export async function volunteerById(db: Db, id: string) {
  return findVolunteer(db, eq(volunteers.id, id));
}

/**
 * Applies (or applies again after a refusal or a withdrawal, keeping the row and any volunteer
 * number): one statement, which does nothing when the account's registration is still live or the
 * ID number belongs to another live registration. Returns the row, or null when refused.
 */
export async function applyStatement(
  db: Db,
  values: Omit<typeof volunteers.$inferInsert, "status" | "number" | "seq">,
): Promise<VolunteerRow | null> {
  const fresh = {
    ...values,
    status: "pending" as VolunteerStatus,
    decidedByAccountId: null,
    decidedAt: null,
    reason: null,
    guardianConsentMethod: null,
    guardianConsentNote: null,
    guardianConsentByAccountId: null,
    guardianConsentAt: null,
  };
  const { id: _id, createdAt: _created, accountId: _account, ...again } = fresh;
  const rows = await insertWhere(
    db,
    volunteers,
    fresh,
    sql`WHERE NOT EXISTS (SELECT 1 FROM ${volunteers} other WHERE other.id_hash = ${values.idHash}
      AND other.status IN (${LIVE}) AND other.account_id <> ${values.accountId})`,
  )
    .onConflictDoUpdate({
      target: volunteers.accountId,
      set: again,
      setWhere: sql`${volunteers.status} IN ('rejected', 'withdrawn')`,
    })
    .returning();
  return rows[0] ?? null;
}

/** Whether another live registration holds this ID number. */
export async function idNumberTaken(db: Db, idHash: string, accountId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: volunteers.id })
    .from(volunteers)
    .where(
      and(
        eq(volunteers.idHash, idHash),
        inArray(volunteers.status, [...LIVE_VOLUNTEER_STATUSES]),
        sql`${volunteers.accountId} <> ${accountId}`,
      ),
    )
    .limit(1);
  return !!row;
}

/**
 * The volunteer number a first approval gives — "JZ" + the Beijing year + a serial one more than
 * any given so far — as SQL evaluated inside the approving UPDATE, so two approvals at once can
 * never give the same number (D1 runs one statement at a time; `seq` is unique besides).
 */
export function nextSeqSql(): SQL {
  return sql`(SELECT coalesce(max(seq), 0) + 1 FROM ${volunteers})`;
}

export function numberSql(year: string): SQL {
  return sql`printf('JZ%s-%05d', ${year}, ${nextSeqSql()})`;
}

/** Registrations for staff: in the given communities (all when null), by status, name or number. */
export async function listVolunteers(
  db: Db,
  filter: { communityIds: string[] | null; status?: VolunteerStatus; q?: string; page: number },
  at: number,
) {
  const where: SQL[] = [];
  if (filter.communityIds) where.push(inArray(volunteers.communityId, filter.communityIds));
  if (filter.status) where.push(eq(volunteers.status, filter.status));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
    where.push(
      sql`(${volunteers.realName} LIKE ${pattern} ESCAPE '\\' OR ${volunteers.number} = ${filter.q.toUpperCase()})`,
    );
  }
  const condition = where.length ? and(...where) : undefined;
  const [rows, totals] = await Promise.all([
    db
      .select({ volunteer: volunteers, communityName: communities.name, phone: accounts.phone })
      .from(volunteers)
      .innerJoin(communities, eq(communities.id, volunteers.communityId))
      .innerJoin(accounts, eq(accounts.id, volunteers.accountId))
      .where(condition)
      .orderBy(desc(volunteers.appliedAt), asc(volunteers.id))
      .limit(PAGE_SIZE)
      .offset((filter.page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(volunteers).where(condition),
  ]);
  return {
    volunteers: rows.map((r) => toStaffVolunteer(r.volunteer, r.communityName, r.phone, at)),
    total: totals[0]?.n ?? 0,
  };
}

/**
 * The teams a person is an active member of, when they are a registered (approved) volunteer; null
 * when they are not one — what `ineligibility` asks of a volunteer shift.
 */
export async function volunteerTeamsOf(db: Db, personId: string): Promise<string[] | null> {
  const rows = await db
    .select({ id: volunteers.id, teamId: volunteerTeamMembers.teamId })
    .from(volunteers)
    .leftJoin(
      volunteerTeamMembers,
      and(eq(volunteerTeamMembers.volunteerId, volunteers.id), eq(volunteerTeamMembers.status, "active")),
    )
    .where(and(eq(volunteers.personId, personId), eq(volunteers.status, "approved")));
  if (rows.length === 0) return null;
  return rows.flatMap((r) => (r.teamId ? [r.teamId] : []));
}

/** Whether this active team is run by this organisation. */
export async function teamOfOrganisation(db: Db, teamId: string, organisationId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: volunteerTeams.id })
    .from(volunteerTeams)
    .where(
      and(
        eq(volunteerTeams.id, teamId),
        eq(volunteerTeams.organisationId, organisationId),
        eq(volunteerTeams.status, "active"),
      ),
    )
    .limit(1);
  return !!row;
}
