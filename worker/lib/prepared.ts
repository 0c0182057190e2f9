import { fillPlaceholders } from "drizzle-orm";
import type { Db } from "../../db";

/** What we use of a drizzle prepared query (all public API). */
export interface PreparedQuery {
  getQuery(): { sql: string; params: unknown[] };
  mapResult(response: unknown, isFromBatch?: boolean): unknown;
  all(placeholderValues?: Record<string, unknown>): Promise<unknown>;
}

const cache = new WeakMap<Db, Map<string, PreparedQuery>>();

/**
 * A statement built once per client — with `sql.placeholder(name)` where its values go — and
 * reused by every request after. On the hot paths, building SQL with the query builder cost more
 * CPU than D1 took to run it (bench/results.md). `key` must name one query shape.
 *
 * @example
 * const q = prepared(db, "booking-by-id", () => bookingQuery(db, sql.placeholder("id")));
 * const [[row]] = await runBound(db, [bound(q, { id })]);
 */
export function prepared<P extends PreparedQuery>(db: Db, key: string, build: () => { prepare(): P }): P {
  let byKey = cache.get(db);
  if (!byKey) {
    byKey = new Map();
    cache.set(db, byKey);
  }
  let query = byKey.get(key) as P | undefined;
  if (!query) {
    query = build().prepare();
    byKey.set(key, query);
  }
  return query;
}

/** A prepared statement with the values for its placeholders. */
export interface Bound<P extends PreparedQuery = PreparedQuery> {
  query: P;
  values: Record<string, unknown>;
}

export function bound<P extends PreparedQuery>(query: P, values: Record<string, unknown> = {}): Bound<P> {
  return { query, values };
}

type Rows<P> = P extends { all(placeholderValues?: Record<string, unknown>): Promise<infer R> } ? R : never;
export type BoundResults<T extends readonly Bound[]> = { -readonly [K in keyof T]: Rows<T[K]["query"]> };

/** Runs bound statements in one D1 batch — one round trip, one transaction — mapped as drizzle maps them. */
export async function runBound<const T extends readonly Bound[]>(db: Db, items: T): Promise<BoundResults<T>> {
  // Through the client's D1 (not env.DB): it writes LIMIT values into the SQL (db/inline-limits.ts).
  const d1 = db.$client;
  const statements = items.map(({ query, values }) => {
    const { sql, params } = query.getQuery();
    return d1.prepare(sql).bind(...fillPlaceholders(params, values));
  });
  const results = await d1.batch(statements);
  return results.map((result, i) => items[i]?.query.mapResult(result, true)) as BoundResults<T>;
}
