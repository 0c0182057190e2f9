import { and, count, desc, eq, inArray, isNull } from "drizzle-orm";
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
  return notifyAll(db, env, [{ to: accountIds, notice }], at);
}

/** Statements per D1 batch when many notices go out at once (a cancelled slot, the reminders). */
const NOTICES_PER_BATCH = 100;

/**
 * `notify` for many notices at once — e.g. everyone booked on a cancelled slot: the inbox rows
 * in batches of conditional inserts and the SMS recipients' phones in one query, not a round
 * trip or two per person. Returns how many inbox rows were written.
 */
export async function notifyAll(
  db: Db,
  env: Bindings,
  deliveries: Array<{ to: Array<string | null | undefined>; notice: Notice }>,
  at: number,
) {
  const inserts = deliveries.flatMap(({ to, notice }) =>
    [...new Set(to.filter((id): id is string => !!id))].map((accountId) => ({
      notice,
      statement: db
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
        .returning({ accountId: notifications.accountId }),
    })),
  );
  const delivered: Array<{ accountId: string; notice: Notice }> = [];
  for (let i = 0; i < inserts.length; i += NOTICES_PER_BATCH) {
    const chunk = inserts.slice(i, i + NOTICES_PER_BATCH);
    const [first, ...rest] = chunk.map((c) => c.statement);
    if (!first) continue;
    const results = await db.batch([first, ...rest]);
    results.forEach((rows, n) => {
      const notice = chunk[n]?.notice;
      for (const row of rows) if (notice) delivered.push({ accountId: row.accountId, notice });
    });
  }
  const texted = delivered.filter((d) => d.notice.sms);
  if (texted.length > 0) {
    // D1 binds at most 100 parameters per statement.
    const ids = [...new Set(texted.map((d) => d.accountId))];
    const phones = new Map<string, string>();
    for (let i = 0; i < ids.length; i += NOTICES_PER_BATCH) {
      const rows = await db
        .select({ id: accounts.id, phone: accounts.phone })
        .from(accounts)
        .where(inArray(accounts.id, ids.slice(i, i + NOTICES_PER_BATCH)));
      for (const a of rows) phones.set(a.id, a.phone);
    }
    await smsSender(env, db).sendMany(
      texted.flatMap(({ accountId, notice }) => {
        const phone = phones.get(accountId);
        return phone ? [{ to: phone, template: notice.kind, body: `【邻里】${notice.body}` }] : [];
      }),
    );
  }
  return delivered.length;
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
