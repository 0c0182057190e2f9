import { drizzle } from "drizzle-orm/d1";
import { limitInliningD1 } from "./inline-limits";
import * as schema from "./schema";

const clients = new WeakMap<D1Database, ReturnType<typeof drizzle<typeof schema>>>();

/**
 * A drizzle client over the Worker's D1 binding — one per binding, reused across requests:
 * building one walks the whole schema (about 0.1 ms of CPU), and it holds no per-request state.
 * Its statements get their integer LIMIT/OFFSET written into the SQL (`inline-limits.ts`): bound,
 * they made SQLite re-compile the statement at every execution.
 */
export function createDb(d1: D1Database) {
  let client = clients.get(d1);
  if (!client) {
    client = drizzle(limitInliningD1(d1), { schema });
    clients.set(d1, client);
  }
  return client;
}
export type Db = ReturnType<typeof createDb>;
export { schema };
