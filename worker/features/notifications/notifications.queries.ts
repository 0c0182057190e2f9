import { and, count, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../db";
import { accounts, type NoticeParams, notifications } from "../../../db/schema";
import type { Bindings } from "../../env";
import { newSortableId } from "../../lib/ids";
import { smsSender } from "../../lib/sms";

export interface Notice {
  kind: string;
  title: string;
  body: string;
  link?: string | null;
  /** Same key, same account: delivered once, however often this is called. */
  dedupeKey?: string | null;
  /** Also send the body by SMS to the account's phone. */
  sms?: boolean;
  /** What it is about, for wording it in the reader's language on the site. */
  params?: NoticeParams;
}

/**
 * Puts a notice in each account's inbox and, when asked, texts it — exactly once per dedupe key:
 * the inbox insert is conditional on the unique (account, key) index and only the caller whose
 * insert happened sends the SMS, so two cron runs at once still send one message.
 */
export async function notify(
  db: Db,
  env: Bindings,
  accountIds: Array<string | null | undefined>,
  notice: Notice,
  at: number,
) {
  const targets = [...new Set(accountIds.filter((id): id is string => !!id))];
  let delivered = 0;
  for (const accountId of targets) {
    const rows = await db
      .insert(notifications)
      .values({
        id: newSortableId("ntf"),
        accountId,
        dedupeKey: notice.dedupeKey ?? null,
        kind: notice.kind,
        title: notice.title,
        body: notice.body,
        link: notice.link ?? null,
        params: notice.params ?? null,
        createdAt: at,
      })
      .onConflictDoNothing()
      .returning({ id: notifications.id });
    if (rows.length === 0) continue;
    delivered++;
    if (notice.sms) {
      const [account] = await db
        .select({ phone: accounts.phone })
        .from(accounts)
        .where(eq(accounts.id, accountId))
        .limit(1);
      if (account)
        await smsSender(env, db).send({ to: account.phone, template: notice.kind, body: `【邻里】${notice.body}` });
    }
  }
  return delivered;
}

export async function inbox(db: Db, accountId: string, limit: number) {
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.accountId, accountId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
}

export async function unreadCount(db: Db, accountId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.accountId, accountId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

export async function markRead(db: Db, accountId: string, id: string | null, at: number) {
  const where = [eq(notifications.accountId, accountId), isNull(notifications.readAt)];
  if (id) where.push(eq(notifications.id, id));
  const rows = await db
    .update(notifications)
    .set({ readAt: at })
    .where(and(...where))
    .returning({ id: notifications.id });
  return rows.length;
}
