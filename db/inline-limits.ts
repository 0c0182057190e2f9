/**
 * Integer LIMIT and OFFSET values written into the SQL text instead of bound as parameters.
 *
 * Why: the SQLite inside workerd (and so local D1) reads a bound LIMIT's value while it plans a
 * statement and marks the statement to expire whenever that parameter is bound again. The
 * statement cache then hands back an expired statement and every execution re-parses and
 * re-plans the whole SQL (`sqlite3Reprepare`) — drizzle binds every `.limit(n)`, so nearly every
 * query paid for a full compile: with the 2.6 KB "my bookings" statement, parsing was most of
 * SQLite's time (bench/results.md, "LIMIT ?"). With the number in the text the cached statement
 * is reused as it should be.
 *
 * Only plain `?` parameters directly after the keyword `LIMIT` or `OFFSET` (outside strings,
 * quoted names and comments) whose value is a safe integer are written in; anything else — a
 * string, a numbered or named parameter anywhere in the statement — leaves the statement as it is.
 */

interface Slot {
  /** Offset of the `?` in the SQL. */
  at: number;
  /** Which parameter it is (0-based). */
  index: number;
}

/** The LIMIT/OFFSET parameters of each SQL text seen; null when there are none (or it cannot tell). */
const plans = new Map<string, Slot[] | null>();
const MAX_PLANS = 2000;

const isWordChar = (ch: string | undefined) => ch !== undefined && /[A-Za-z0-9_$]/.test(ch);

/** Whether the unquoted text just before `at` ends with the keyword LIMIT or OFFSET. */
function afterLimitKeyword(sql: string, at: number): boolean {
  let end = at;
  while (end > 0 && /\s/.test(sql[end - 1] ?? "")) end--;
  let start = end;
  while (start > 0 && isWordChar(sql[start - 1])) start--;
  const word = sql.slice(start, end).toLowerCase();
  return word === "limit" || word === "offset";
}

/** Finds the LIMIT/OFFSET `?`s of a statement, skipping strings, quoted identifiers and comments. */
export function limitSlots(sql: string): Slot[] | null {
  const slots: Slot[] = [];
  let index = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'" || ch === '"' || ch === "`") {
      // Quoted: a doubled quote is an escaped one.
      i++;
      while (i < sql.length) {
        if (sql[i] === ch) {
          if (sql[i + 1] === ch) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (ch === "[") {
      const close = sql.indexOf("]", i + 1);
      i = close === -1 ? sql.length : close + 1;
    } else if (ch === "-" && sql[i + 1] === "-") {
      const close = sql.indexOf("\n", i + 2);
      i = close === -1 ? sql.length : close + 1;
    } else if (ch === "/" && sql[i + 1] === "*") {
      const close = sql.indexOf("*/", i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else if (ch === "?") {
      // ?NNN numbers parameters explicitly: counting plain ones would go wrong, so leave it be.
      if (/[0-9]/.test(sql[i + 1] ?? "")) return null;
      if (afterLimitKeyword(sql, i)) slots.push({ at: i, index });
      index++;
      i++;
    } else if ((ch === ":" || ch === "@" || ch === "$") && /[A-Za-z0-9_]/.test(sql[i + 1] ?? "")) {
      return null; // a named parameter (or something this scan does not understand): leave it be
    } else {
      i++;
    }
  }
  return slots.length > 0 ? slots : null;
}

function planOf(sql: string): Slot[] | null {
  let plan = plans.get(sql);
  if (plan === undefined) {
    plan = limitSlots(sql);
    // SQL texts come from the code, but IN-lists of varying length make new ones: keep it bounded.
    if (plans.size >= MAX_PLANS) plans.clear();
    plans.set(sql, plan);
  }
  return plan;
}

const literal = (value: unknown) =>
  typeof value === "number" && Number.isSafeInteger(value)
    ? String(value)
    : typeof value === "bigint"
      ? value.toString()
      : null;

/** The statement with its integer LIMIT/OFFSET values written in, and the remaining parameters. */
export function inlineLimits(sql: string, params: readonly unknown[]): { sql: string; params: unknown[] } {
  const plan = planOf(sql);
  if (!plan) return { sql, params: [...params] };
  let text = "";
  let from = 0;
  const inlined = new Set<number>();
  for (const slot of plan) {
    const value = literal(params[slot.index]);
    if (value === null) continue;
    text += `${sql.slice(from, slot.at)}${value}`;
    from = slot.at + 1;
    inlined.add(slot.index);
  }
  if (inlined.size === 0) return { sql, params: [...params] };
  return { sql: text + sql.slice(from), params: params.filter((_, i) => !inlined.has(i)) };
}

/** A statement that writes its LIMIT/OFFSET values in when it is bound. */
class LimitInliningStatement {
  constructor(
    private readonly d1: Pick<D1Database, "prepare">,
    private readonly query: string,
  ) {}
  bind(...values: unknown[]): D1PreparedStatement {
    const { sql, params } = inlineLimits(this.query, values);
    return this.d1.prepare(sql).bind(...params);
  }
  first<T>(column?: string) {
    return column === undefined ? this.bind().first<T>() : this.bind().first<T>(column);
  }
  run<T>() {
    return this.bind().run<T>();
  }
  all<T>() {
    return this.bind().all<T>();
  }
  raw<T>(options?: { columnNames?: false }) {
    return this.bind().raw<T>(options);
  }
}

/**
 * The D1 binding with every statement's integer LIMIT/OFFSET written into its SQL (see above).
 * Everything else is passed through; statements given to `batch` are real D1 statements.
 */
export function limitInliningD1(d1: D1Database): D1Database {
  const wrapped = {
    ...inlining(d1),
    exec: (query: string) => d1.exec(query),
    withSession: (constraintOrBookmark?: D1SessionBookmark | D1SessionConstraint) => {
      const session = d1.withSession(constraintOrBookmark);
      return { ...inlining(session as unknown as D1Database), getBookmark: () => session.getBookmark() };
    },
    dump: () => d1.dump(),
  };
  return wrapped as D1Database;
}

/** `prepare` and `batch` over a database or a session, writing LIMIT/OFFSET values in. */
function inlining(d1: Pick<D1Database, "prepare" | "batch">) {
  return {
    prepare: (query: string) => new LimitInliningStatement(d1, query) as unknown as D1PreparedStatement,
    batch: <T>(statements: D1PreparedStatement[]) =>
      d1.batch<T>(statements.map((s) => (s instanceof LimitInliningStatement ? s.bind() : s))),
  };
}
