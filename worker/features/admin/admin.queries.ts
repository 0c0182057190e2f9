import { and, desc, eq, inArray, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db";
import type { Role, ScopeType } from "../../../db/schema";
import { accounts, auditLog, communities, organisations, persons, roleGrants } from "../../../db/schema";
import { newId } from "../../lib/ids";

function grantsQuery(db: Db, where: SQL | undefined) {
  return db
    .select({
      id: roleGrants.id,
      accountId: roleGrants.accountId,
      phone: accounts.phone,
      name: persons.name,
      role: roleGrants.role,
      scopeType: roleGrants.scopeType,
      communityId: roleGrants.communityId,
      organisationId: roleGrants.organisationId,
      scopeName: sql<string | null>`coalesce(${organisations.name}, ${communities.name})`,
      createdAt: roleGrants.createdAt,
      revokedAt: roleGrants.revokedAt,
    })
    .from(roleGrants)
    .innerJoin(accounts, eq(accounts.id, roleGrants.accountId))
    .leftJoin(persons, eq(persons.accountId, roleGrants.accountId))
    .leftJoin(communities, eq(communities.id, roleGrants.communityId))
    .leftJoin(organisations, eq(organisations.id, roleGrants.organisationId))
    .where(where)
    .orderBy(desc(roleGrants.createdAt))
    .limit(500);
}

export async function listGrants(
  db: Db,
  filter: { organisationIds?: string[]; communityId?: string; includeRevoked: boolean },
) {
  const where: SQL[] = [];
  if (filter.organisationIds) where.push(inArray(roleGrants.organisationId, filter.organisationIds));
  if (filter.communityId) where.push(eq(roleGrants.communityId, filter.communityId));
  if (!filter.includeRevoked) where.push(isNull(roleGrants.revokedAt));
  return grantsQuery(db, where.length ? and(...where) : undefined);
}

export async function findGrant(db: Db, id: string) {
  const [row] = await grantsQuery(db, eq(roleGrants.id, id));
  return row ?? null;
}

export function insertGrant(
  db: Db,
  input: {
    accountId: string;
    role: Role;
    scopeType: ScopeType;
    communityId: string | null;
    organisationId: string | null;
    grantedByAccountId: string;
    at: number;
  },
) {
  const id = newId("grt");
  const { at, ...rest } = input;
  const scopeKey = input.organisationId
    ? `organisation:${input.organisationId}`
    : input.communityId
      ? `community:${input.communityId}`
      : "street";
  return {
    id,
    statement: db
      .insert(roleGrants)
      .values({ id, ...rest, scopeKey, createdAt: at })
      .onConflictDoNothing()
      .returning({ id: roleGrants.id }),
  };
}

export function revokeGrantStatement(db: Db, id: string, actorId: string, at: number) {
  return db
    .update(roleGrants)
    .set({ revokedAt: at, revokedByAccountId: actorId })
    .where(and(eq(roleGrants.id, id), isNull(roleGrants.revokedAt)))
    .returning({ id: roleGrants.id });
}

export async function listAudit(db: Db, filter: { before?: number; limit: number; action?: string }) {
  const where: SQL[] = [];
  if (filter.before) where.push(lt(auditLog.at, filter.before));
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  return db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorAccountId: auditLog.actorAccountId,
      actorPhone: accounts.phone,
      action: auditLog.action,
      subjectType: auditLog.subjectType,
      subjectId: auditLog.subjectId,
      personId: auditLog.personId,
      detail: auditLog.detail,
      requestId: auditLog.requestId,
    })
    .from(auditLog)
    .leftJoin(accounts, eq(accounts.id, auditLog.actorAccountId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(filter.limit);
}
