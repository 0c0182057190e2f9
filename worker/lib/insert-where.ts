import { getTableColumns, is, type Placeholder, SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../../db";

type InsertValues<T extends SQLiteTable> = {
  [K in keyof T["$inferInsert"]]?: T["$inferInsert"][K] | SQL | Placeholder;
};

/**
 * A conditional insert built with the query builder — `INSERT INTO t (…) SELECT <values> <tail>` —
 * so that it can join a `db.batch` (a raw `db.run(sql…)` cannot). `tail` is the rest of the
 * SELECT and must contain a WHERE clause (SQLite needs one before ON CONFLICT), e.g.
 * `sql\`FROM slots s WHERE s.id = ${id} AND …\`` or `sql\`WHERE EXISTS (…)\``. Values may be SQL
 * expressions over the tail's tables, or `sql.placeholder(…)`s for a prepared statement; columns left
 * out get their schema default, else NULL.
 */
export function insertWhere<T extends SQLiteTable>(db: Db, table: T, values: InsertValues<T>, tail: SQL) {
  const given = values as Record<string, unknown>;
  const list = Object.entries(getTableColumns(table)).map(([key, column]) => {
    let value = given[key];
    if (value === undefined) value = column.defaultFn ? column.defaultFn() : (column.default ?? null);
    if (is(value, SQL)) return value;
    return value === null ? sql`NULL` : sql.param(value, column);
  });
  return db.insert(table).select(sql`SELECT ${sql.join(list, sql`, `)} ${tail}`);
}

/**
 * Whether the row with this id exists when the statement runs — for a write in a batch that must
 * follow an earlier one (e.g. `auditInsert(c, entry, rowExists(links, id))` after an insert that
 * may do nothing on conflict, or `not(rowExists(facilities, id))` after a guarded delete).
 */
export function rowExists(table: SQLiteTable & { id: SQLiteColumn }, id: string): SQL {
  return sql`EXISTS (SELECT 1 FROM ${table} WHERE ${table.id} = ${id})`;
}
