import { and, count, desc, eq, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db";
import { type NoticeParams, notifications } from "../../../db/schema";
import { runBatch } from "../../lib/batch";
import { newSortableId } from "../../lib/ids";
import { insertWhere } from "../../lib/insert-where";

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

/** One notice's inbox row: the account's id, if it was written (not a repeat of its dedupe key). */
function noticeInsert(db: Db, accountId: string, notice: Notice, at: number, guard?: SQL) {
  const values = {
    id: newSortableId("ntf", at),
    accountId,
    dedupeKey: notice.dedupeKey ?? null,
    kind: notice.kind,
    title: notice.title,
    body: notice.body,
    link: notice.link ?? null,
    params: notice.params ?? null,
    sms: notice.sms ?? false,
    createdAt: at,
  };
  const insert = guard
    ? insertWhere(db, notifications, values, sql`WHERE ${guard}`)
    : db.insert(notifications).values(values);
  return insert.onConflictDoNothing().returning({ accountId: notifications.accountId });
}

/**
 * The inbox rows of `deliveries` as statements for the caller's own batch — so the notices (and
 * their text messages) are written in the same transaction as the change they tell of, and only
 * if `guard` holds then (e.g. the batch's conditional write happened). An account named twice
 * for one notice gets it once.
 */
export function noticeInserts(
  db: Db,
  deliveries: Array<{ to: Array<string | null | undefined>; notice: Notice }>,
  at: number,
  guard?: SQL,
) {
  return deliveries.flatMap(({ to, notice }) =>
    [...new Set(to.filter((id): id is string => !!id))].map((accountId) =>
      noticeInsert(db, accountId, notice, at, guard),
    ),
  );
}

/**
 * Puts a notice in each account's inbox now, on its own (routes put `noticeInserts` in the batch
 * of the change they tell of) — exactly once per dedupe key: the insert is conditional on the
 * unique (account, key) index. A notice with `sms` also queues its text in the same statement
 * (the `notifications_texted` trigger). Returns how many were written.
 */
export async function notify(db: Db, accountIds: Array<string | null | undefined>, notice: Notice, at: number) {
  const results = await runBatch(db, noticeInserts(db, [{ to: accountIds, notice }], at));
  return results.reduce((n: number, rows) => n + (rows as unknown[]).length, 0);
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
