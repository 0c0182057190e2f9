import { and, count, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../db";
import { accounts, communities, organisations, persons, proxyLinks, roleGrants } from "../../../db/schema";
import { runBatch, type Statement } from "../../lib/batch";
import { endUnservedGridWorkerLinksStatement } from "../persons/persons.queries";

export async function findAccount(db: Db, id: string) {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
  return row ?? null;
}

/** Active grants with the name of the community or organisation each is scoped to. */
export async function grantsWithScopeNames(db: Db, accountId: string) {
  return db
    .select({
      id: roleGrants.id,
      role: roleGrants.role,
      scopeType: roleGrants.scopeType,
      communityId: roleGrants.communityId,
      organisationId: roleGrants.organisationId,
      scopeName: sql<string | null>`coalesce(${organisations.name}, ${communities.name})`,
      organisationType: organisations.type,
    })
    .from(roleGrants)
    .leftJoin(communities, eq(communities.id, roleGrants.communityId))
    .leftJoin(organisations, eq(organisations.id, roleGrants.organisationId))
    .where(and(eq(roleGrants.accountId, accountId), isNull(roleGrants.revokedAt)));
}

export async function pendingRequestCount(db: Db, accountId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(proxyLinks)
    .innerJoin(persons, eq(persons.id, proxyLinks.personId))
    .where(and(eq(persons.accountId, accountId), eq(proxyLinks.status, "pending")));
  return row?.n ?? 0;
}

/** Updates the profile; the display name is also the account's own person's name. */
export async function updateProfile(
  db: Db,
  accountId: string,
  input: Partial<
    Pick<typeof accounts.$inferInsert, "displayName" | "communityId" | "compoundId" | "locale" | "elderMode">
  > & { birthDate?: string | null },
  at: number,
) {
  const { birthDate, ...changes } = input;
  const personChanges: Partial<typeof persons.$inferInsert> = {};
  if (birthDate !== undefined) personChanges.birthDate = birthDate;
  if (changes.displayName !== undefined) personChanges.name = changes.displayName ?? "";
  if (changes.communityId !== undefined) personChanges.communityId = changes.communityId;
  if (changes.compoundId !== undefined) personChanges.compoundId = changes.compoundId;
  const statements: Statement[] = [];
  if (Object.keys(changes).length > 0)
    statements.push(db.update(accounts).set(changes).where(eq(accounts.id, accountId)));
  if (Object.keys(personChanges).length > 0) {
    statements.push(
      db
        .update(persons)
        .set({ ...personChanges, updatedAt: at })
        .where(eq(persons.accountId, accountId)),
    );
  }
  if (changes.communityId !== undefined) {
    // Moving community herself: grid workers who do not serve the new one no longer act for her.
    const own = sql`SELECT ${persons.id} FROM ${persons} WHERE ${persons.accountId} = ${accountId}`;
    statements.push(endUnservedGridWorkerLinksStatement(db, { personId: own }, "居民已迁往其他社区", accountId, at));
  }
  await runBatch(db, statements);
}
