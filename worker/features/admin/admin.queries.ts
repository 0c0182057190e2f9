import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db";
import type { Role, ScopeType } from "../../../db/schema";
import { accounts, auditLog, communities, organisations, outbox, persons, roleGrants } from "../../../db/schema";
import { newId } from "../../lib/ids";
import { DAY } from "../../lib/time";

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

/** Columns of `outbox` a street admin sees (the body stays out). */
const outboxColumns = {
  id: outbox.id,
  template: outbox.template,
  recipient: outbox.recipient,
  status: outbox.status,
  attempts: outbox.attempts,
  error: outbox.error,
  createdAt: outbox.createdAt,
  dueAt: outbox.dueAt,
  sentAt: outbox.sentAt,
  expiresAt: outbox.expiresAt,
};

/** Messages failed for good and those waiting, with counts, in one round trip. */
export async function outboxOverview(db: Db, at: number) {
  const [failed, waiting, [counts]] = await db.batch([
    db
      .select(outboxColumns)
      .from(outbox)
      .where(eq(outbox.status, "failed"))
      .orderBy(desc(outbox.createdAt), desc(outbox.id))
      .limit(50),
    db
      .select(outboxColumns)
      .from(outbox)
      .where(inArray(outbox.status, ["queued", "sending"]))
      .orderBy(asc(outbox.dueAt), asc(outbox.id))
      .limit(50),
    db
      .select({
        waiting: sql<number>`coalesce(sum(${outbox.status} IN ('queued', 'sending')), 0)`,
        failed: sql<number>`coalesce(sum(${outbox.status} = 'failed'), 0)`,
        sentLastDay: sql<number>`coalesce(sum(${outbox.status} = 'sent' AND ${outbox.sentAt} > ${at - DAY}), 0)`,
      })
      .from(outbox),
  ]);
  return { failed, waiting, counts: counts ?? { waiting: 0, failed: 0, sentLastDay: 0 } };
}

export async function findOutboxMessage(db: Db, id: string) {
  const [row] = await db.select(outboxColumns).from(outbox).where(eq(outbox.id, id)).limit(1);
  return row ?? null;
}

/**
 * Puts a message that failed for good back in the queue, due now with its attempts anew — only
 * if it is still failed and not expired (checked by the write itself). RETURNING its id if so.
 */
export function retryOutboxStatement(db: Db, id: string, at: number) {
  return db
    .update(outbox)
    .set({ status: "queued", attempts: 0, dueAt: at, error: null })
    .where(
      and(
        eq(outbox.id, id),
        eq(outbox.status, "failed"),
        or(isNull(outbox.expiresAt), gt(outbox.expiresAt, at)),
        // A sign-in code is of no use later (it works for minutes; the resident asks for a new one).
        ne(outbox.template, "otp"),
        // Cleared once past keeping (`clearOldTexts`): no number to send to any more.
        sql`instr(${outbox.recipient}, '*') = 0`,
      ),
    )
    .returning({ id: outbox.id });
}
