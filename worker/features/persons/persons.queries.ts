import { and, asc, count, desc, eq, inArray, isNull, not, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../../../db";
import type { ConsentMethod, ProxyScope, ProxyStatus } from "../../../db/schema";
import { accounts, persons, proxyLinks, roleGrants } from "../../../db/schema";
import type { SessionAccount } from "../../env";
import { canManageCommunity } from "../../lib/authz";
import { newId } from "../../lib/ids";
import { maskPhone } from "../../lib/phone";
import type { Person, ProxyLink } from "./persons.schema";

export const PAGE_SIZE = 50;

type PersonRow = typeof persons.$inferSelect;

export function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    name: row.name,
    birthDate: row.birthDate,
    gender: row.gender,
    phoneMasked: maskPhone(row.phone),
    idMasked: row.idLast4 ? `**************${row.idLast4}` : null,
    communityId: row.communityId,
    compoundId: row.compoundId,
    address: row.address,
    types: row.types,
    managed: row.accountId === null,
    createdAt: row.createdAt,
  };
}

export async function findPerson(db: Db, id: string): Promise<PersonRow | null> {
  const [row] = await db.select().from(persons).where(eq(persons.id, id)).limit(1);
  return row ?? null;
}

export async function ownPerson(db: Db, accountId: string): Promise<PersonRow | null> {
  const [row] = await db.select().from(persons).where(eq(persons.accountId, accountId)).limit(1);
  return row ?? null;
}

export type PersonAccess = "self" | "proxy" | "staff";

/** How `account` may see `person`, or null: then the route answers 404, as for a missing row. */
export async function personAccess(db: Db, account: SessionAccount, person: PersonRow): Promise<PersonAccess | null> {
  if (person.accountId === account.id) return "self";
  const [link] = await db
    .select({ id: proxyLinks.id })
    .from(proxyLinks)
    .where(
      and(
        eq(proxyLinks.personId, person.id),
        eq(proxyLinks.proxyAccountId, account.id),
        eq(proxyLinks.status, "active"),
      ),
    )
    .limit(1);
  if (link) return "proxy";
  if (canManageCommunity(account, person.communityId)) return "staff";
  return null;
}

/** What acting for a person needs to know of them (eligibility facts included). */
const actableColumns = {
  id: persons.id,
  name: persons.name,
  birthDate: persons.birthDate,
  communityId: persons.communityId,
  types: persons.types,
};

/** The persons an account may act for: itself first, then everyone it holds an active proxy link for. */
export async function actablePersons(db: Db, accountId: string) {
  // One batch. Inside it rows are keyed by column name, so the link's id is aliased.
  const [own, proxied] = await db.batch([
    db.select(actableColumns).from(persons).where(eq(persons.accountId, accountId)),
    db
      .select({
        ...actableColumns,
        linkId: sql<string>`${proxyLinks.id}`.as("link_id"),
        relationship: proxyLinks.relationship,
        scope: proxyLinks.scope,
      })
      .from(proxyLinks)
      .innerJoin(persons, eq(persons.id, proxyLinks.personId))
      .where(and(eq(proxyLinks.proxyAccountId, accountId), eq(proxyLinks.status, "active")))
      .orderBy(asc(persons.name)),
  ]);
  return [
    ...own.map((p) => ({ ...p, relationship: "self" as const, linkId: null, scope: "all" as const })),
    ...proxied,
  ];
}

/**
 * The ids of the persons an account handles for one purpose: its own, and those it holds an active
 * proxy link for whose scope is one of `scopes` (a course: bookings; health data: all matters).
 */
export async function personsInScope(db: Db, accountId: string, scopes: readonly string[]): Promise<string[]> {
  return (await actablePersons(db, accountId))
    .filter((p) => p.relationship === "self" || scopes.includes(p.scope))
    .map((p) => p.id);
}

export async function insertPerson(
  db: Db,
  input: {
    name: string;
    birthDate: string;
    gender: PersonRow["gender"];
    communityId: string;
    compoundId: string | null;
    address: string | null;
    phone: string | null;
    idLast4: string | null;
    idHash: string | null;
    notes: string | null;
    types: PersonRow["types"];
    createdByAccountId: string;
    at: number;
  },
) {
  const id = newId("per");
  const { at, ...rest } = input;
  // Two registrations with the same ID number at once: the second inserts nothing (the unique
  // index on the ID hash) and answers no row, instead of failing the batch.
  return {
    id,
    statement: db
      .insert(persons)
      .values({ id, ...rest, createdAt: at, updatedAt: at })
      .onConflictDoNothing()
      .returning({ id: persons.id }),
  };
}

/**
 * The keys of `changes` whose values differ from the row's: what an edit really changes (for the
 * audit log, which records field names, never values).
 *
 * @example
 * changedFields({ name: "张", phone: null }, { name: "张", phone: "13800138000" }) // ["phone"]
 */
export function changedFields<T extends object>(row: object, changes: T): Array<keyof T & string> {
  const current = row as Record<string, unknown>;
  const next = changes as Record<string, unknown>;
  return Object.keys(next).filter((key) => JSON.stringify(next[key]) !== JSON.stringify(current[key] ?? null)) as Array<
    keyof T & string
  >;
}

/** Updates a person's recorded facts (a statement, to batch with its audit row). */
export function updatePersonStatement(db: Db, id: string, changes: Partial<PersonRow>, at: number) {
  return db
    .update(persons)
    .set({ ...changes, updatedAt: at })
    .where(eq(persons.id, id))
    .returning({ id: persons.id });
}

export async function personByIdHash(db: Db, idHash: string) {
  const [row] = await db.select({ id: persons.id }).from(persons).where(eq(persons.idHash, idHash)).limit(1);
  return row ?? null;
}

/** A search term that is a whole mainland mobile number (`listPersons` matches it exactly). */
export const WHOLE_NUMBER = /^1\d{10}$/;

/**
 * Persons in the given communities (all when `communityIds` is null), newest first, by part of the
 * name, or by phone: the whole number, or its last four digits (what a masked phone shows). Never
 * by any other part of the number — probing digit by digit would read a masked phone whole.
 */
export async function listPersons(
  db: Db,
  filter: { communityIds: string[] | null; q?: string; page: number },
): Promise<{ rows: PersonRow[]; total: number }> {
  const where: SQL[] = [];
  if (filter.communityIds) where.push(inArray(persons.communityId, filter.communityIds));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
    const byName = sql`${persons.name} LIKE ${pattern} ESCAPE '\\'`;
    const byPhone = WHOLE_NUMBER.test(filter.q)
      ? eq(persons.phone, filter.q)
      : /^\d{4}$/.test(filter.q)
        ? sql`substr(${persons.phone}, -4) = ${filter.q}`
        : undefined;
    const clause = byPhone ? or(byName, byPhone) : byName;
    if (clause) where.push(clause);
  }
  const condition = where.length ? and(...where) : undefined;
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(persons)
      .where(condition)
      .orderBy(desc(persons.createdAt), asc(persons.id))
      .limit(PAGE_SIZE)
      .offset((filter.page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(persons).where(condition),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

const proxyAccount = alias(accounts, "proxy_account");
const proxyPerson = alias(persons, "proxy_person");

function linkSelection() {
  return {
    id: proxyLinks.id,
    personId: proxyLinks.personId,
    personName: persons.name,
    personPhone: persons.phone,
    proxyAccountId: proxyLinks.proxyAccountId,
    proxyName: proxyPerson.name,
    proxyPhone: proxyAccount.phone,
    relationship: proxyLinks.relationship,
    scope: proxyLinks.scope,
    status: proxyLinks.status,
    consentMethod: proxyLinks.consentMethod,
    consentRecordedAt: proxyLinks.consentRecordedAt,
    consentNote: proxyLinks.consentNote,
    createdAt: proxyLinks.createdAt,
    revokedAt: proxyLinks.revokedAt,
  };
}

function linksQuery(db: Db, where: SQL | undefined) {
  return db
    .select(linkSelection())
    .from(proxyLinks)
    .innerJoin(persons, eq(persons.id, proxyLinks.personId))
    .innerJoin(proxyAccount, eq(proxyAccount.id, proxyLinks.proxyAccountId))
    .leftJoin(proxyPerson, eq(proxyPerson.accountId, proxyLinks.proxyAccountId))
    .where(where)
    .orderBy(desc(proxyLinks.createdAt));
}

type LinkRow = Awaited<ReturnType<typeof linksQuery>>[number];

/** The public shape; `hidePerson` for a requester's own pending request, before the person has agreed. */
export function toProxyLink(row: LinkRow, hidePerson = false): ProxyLink {
  return {
    id: row.id,
    personId: row.personId,
    personName: hidePerson ? "" : row.personName,
    personPhoneMasked: maskPhone(row.personPhone),
    proxyAccountId: row.proxyAccountId,
    proxyName: row.proxyName || null,
    proxyPhoneMasked: maskPhone(row.proxyPhone),
    relationship: row.relationship,
    scope: row.scope,
    status: row.status,
    consentMethod: row.consentMethod,
    consentRecordedAt: row.consentRecordedAt,
    consentNote: row.consentNote,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}

export async function findLink(db: Db, id: string) {
  const [row] = await linksQuery(db, eq(proxyLinks.id, id)).limit(1);
  return row ?? null;
}

export async function linksForPerson(db: Db, personId: string) {
  return linksQuery(db, eq(proxyLinks.personId, personId));
}

/** Requests waiting for this account's confirmation, and the ones it sent. */
export async function proxyRequestsOf(db: Db, accountId: string) {
  const incoming = await linksQuery(db, and(eq(persons.accountId, accountId), eq(proxyLinks.status, "pending")));
  const outgoing = await linksQuery(
    db,
    and(eq(proxyLinks.requestedByAccountId, accountId), eq(proxyLinks.proxyAccountId, accountId)),
  ).limit(50);
  return { incoming, outgoing };
}

/** A link statement that fails on the unique index if a pending or active link already exists. */
export function insertLink(
  db: Db,
  input: {
    proxyAccountId: string;
    personId: string;
    relationship: ProxyLink["relationship"];
    scope: ProxyScope;
    status: Extract<ProxyStatus, "pending" | "active">;
    requestedByAccountId: string;
    consentMethod: ConsentMethod | null;
    consentRecordedByAccountId: string | null;
    consentNote: string | null;
    at: number;
  },
) {
  const id = newId("pxl");
  const { at, ...rest } = input;
  return {
    id,
    statement: db
      .insert(proxyLinks)
      .values({ id, ...rest, consentRecordedAt: input.consentMethod ? at : null, createdAt: at })
      .onConflictDoNothing()
      .returning({ id: proxyLinks.id }),
  };
}

/** Accepts or declines a pending request addressed to `accountId`'s own person; false if not pending. */
export async function decideRequest(db: Db, id: string, accountId: string, accept: boolean, at: number) {
  const rows = await db
    .update(proxyLinks)
    .set(
      accept
        ? {
            status: "active",
            consentMethod: "person_confirmed",
            consentRecordedByAccountId: accountId,
            consentRecordedAt: at,
            decidedAt: at,
          }
        : { status: "declined", decidedAt: at },
    )
    .where(
      and(
        eq(proxyLinks.id, id),
        eq(proxyLinks.status, "pending"),
        sql`${proxyLinks.personId} IN (SELECT id FROM persons WHERE account_id = ${accountId})`,
      ),
    )
    .returning({ id: proxyLinks.id });
  return rows.length === 1;
}

/** Ends a pending or active link; false if it was already ended. */
export function revokeLinkStatement(db: Db, id: string, actorId: string, reason: string | null, at: number) {
  return db
    .update(proxyLinks)
    .set({ status: "revoked", revokedAt: at, revokedByAccountId: actorId, revokeReason: reason })
    .where(and(eq(proxyLinks.id, id), inArray(proxyLinks.status, ["pending", "active"]), isNull(proxyLinks.revokedAt)))
    .returning({ id: proxyLinks.id });
}

/**
 * Ends grid-worker links whose grid worker does not (or no longer) serve the community the person
 * lives in now — a grid worker acts for the people of the communities they hold the role in. For
 * one grid worker's links (`proxyAccountId`: after one of their roles was revoked) or one person's
 * (`personId`, an id or a subquery: after she moved community herself); run in the batch after
 * the change, so both are read as they are now. `reason` is kept on each link ended.
 */
export function endUnservedGridWorkerLinksStatement(
  db: Db,
  whose: { proxyAccountId: string } | { personId: SQL },
  reason: string,
  actorId: string,
  at: number,
) {
  const served = sql`EXISTS (SELECT 1 FROM ${roleGrants} g JOIN ${persons} p ON p.id = ${proxyLinks.personId}
    WHERE g.account_id = ${proxyLinks.proxyAccountId} AND g.role = 'grid_worker' AND g.revoked_at IS NULL
      AND g.community_id = p.community_id)`;
  return db
    .update(proxyLinks)
    .set({ status: "revoked", revokedAt: at, revokedByAccountId: actorId, revokeReason: reason })
    .where(
      and(
        "proxyAccountId" in whose
          ? eq(proxyLinks.proxyAccountId, whose.proxyAccountId)
          : sql`${proxyLinks.personId} = (${whose.personId})`,
        eq(proxyLinks.relationship, "grid_worker"),
        inArray(proxyLinks.status, ["pending", "active"]),
        not(served),
      ),
    );
}

export async function accountByPhone(db: Db, phone: string) {
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.phone, phone)).limit(1);
  return row ?? null;
}
