import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../db";

export type Statement = BatchItem<"sqlite">;

/**
 * Runs statements in one D1 batch: one transaction, all or nothing. For lists built at run time;
 * fixed lists can call `db.batch` directly.
 */
export async function runBatch(db: Db, statements: Statement[]) {
  const [first, ...rest] = statements;
  if (!first) return [];
  return db.batch([first, ...rest]);
}
