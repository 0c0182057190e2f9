import { fillPlaceholders, type SQL, sql } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import type { Db } from "../../db";
import { sessions } from "../../db/schema";
import type { AppEnv, SessionAccount } from "../env";
import {
  extendSession,
  type LiveSessionJson,
  liveSessionJson,
  liveSessionQuery,
  parseGrants,
  SESSION_REFRESH_AFTER,
  SESSION_TTL,
  sessionAccountId,
} from "../features/auth/auth.queries";
import { sha256 } from "../lib/crypto";
import { type Bound, type BoundResults, bound, type PreparedQuery, prepared, runBound } from "../lib/prepared";
import { sessionTokenFrom, writeSessionCookie } from "../lib/session-cookie";
import { now } from "../lib/time";

/**
 * Notes the session cookie; nothing is read yet. The session is resolved on first use
 * (`currentAccount`), in the same D1 batch as a route's own reads (`accountWith`,
 * `sessionWith`), or inside a route's one statement (`runAsSession`), so public routes never
 * touch the sessions table and hot signed-in routes make one round trip, not two.
 */
export function session(): MiddlewareHandler<AppEnv> {
  return async function session(c, next) {
    const token = sessionTokenFrom(c.req.raw.headers.get("cookie"));
    c.set("sessionToken", token && token.length <= 128 ? token : null);
    c.set("account", undefined);
    await next();
  };
}

/** Placeholders the session statements use; `accountWith` statements may reference them too. */
const SESSION_VALUES = { tokenHash: "sessionTokenHash", at: "sessionAt" } as const;

/** The session's account id as a subquery over the session placeholders (for prepared statements). */
export function sessionAccountIdSubquery(db: Db) {
  return sessionAccountId(db, sql.placeholder(SESSION_VALUES.tokenHash), sql.placeholder(SESSION_VALUES.at));
}
export type AccountIdSubquery = ReturnType<typeof sessionAccountIdSubquery>;

function sessionQuery(db: Db) {
  return prepared(db, "session.live", () =>
    liveSessionQuery(db, sql.placeholder(SESSION_VALUES.tokenHash), sql.placeholder(SESSION_VALUES.at)),
  );
}

/** `liveSessionQuery`'s rows: the live session with its grants still as JSON text. */
type LiveRows = Array<Omit<LiveSessionJson, "grants"> & { grants: string }>;

/** A statement that answers with the caller's live session as JSON in a column `session`. */
interface AnswersSession extends PreparedQuery {
  all(placeholderValues?: Record<string, unknown>): Promise<Array<{ session: string | null }>>;
}

/**
 * Runs ONE statement that authenticates inside itself — typically a conditional write. `build`
 * gets the session's account id (a subquery, to scope the statement by) and the live session as
 * JSON (`liveSessionJson`, to return in a column named `session`), both over the session's
 * placeholders, which are filled in here after `values`. When it answers a row with a session,
 * the account is settled from that column — no separate session read; when it answers nothing,
 * nothing is settled, and the caller's next step (e.g. `accountWith`) reads the session. Signed
 * out (no cookie): nothing is run and the answer is null. The row comes as D1 answers it, not
 * mapped by drizzle: name every column as its key (`.as(…)`) and build JSON in SQL.
 *
 * @example
 * const row = await runAsSession(c, "bookings.take-for-resident",
 *   (db, accountId, session) => takeForResidentQuery(db, accountId, session), values);
 * if (row) return jsonText(c, row.booking, 201);
 */
export async function runAsSession<P extends AnswersSession>(
  c: Context<AppEnv>,
  key: string,
  build: (db: Db, accountId: AccountIdSubquery, session: SQL) => { prepare(): P },
  values: Record<string, unknown>,
): Promise<Awaited<ReturnType<P["all"]>>[number] | null> {
  const lookup = await sessionValues(c);
  if (!lookup) return null;
  const db = c.var.db;
  const query = prepared(db, key, () =>
    build(
      db,
      sessionAccountIdSubquery(db),
      liveSessionJson(db, sql.placeholder(SESSION_VALUES.tokenHash), sql.placeholder(SESSION_VALUES.at)),
    ),
  );
  // Straight through D1, not drizzle's batch and result mapping: one statement, and its columns
  // are what SQLite answers (text and numbers; JSON built in SQL), so there is nothing to map.
  const { sql: text, params } = query.getQuery();
  const row = await db.$client
    .prepare(text)
    .bind(...fillPlaceholders(params, { ...values, ...lookup.values }))
    .first<Awaited<ReturnType<P["all"]>>[number]>();
  if (!row?.session) return null;
  await settle(c, lookup.token, JSON.parse(row.session) as LiveSessionJson, lookup.at);
  return row;
}

/** The session row's answer, its grants parsed (undefined for none: unknown, expired or revoked). */
function liveOf(rows: LiveRows): LiveSessionJson | undefined {
  const row = rows[0];
  return row && { ...row, grants: parseGrants(row.grants) };
}

/** Turns the live session into the account (null when there is none) and slides the expiry. */
async function settle(
  c: Context<AppEnv>,
  token: string,
  live: LiveSessionJson | undefined,
  at: number,
  refresh = true,
) {
  const account = live ? { id: live.accountId, phone: live.phone, sessionId: live.id, grants: live.grants } : null;
  c.set("account", account);
  // 30 days from the latest use, pushed forward at most once a day.
  if (refresh && live && live.expiresAt - at < SESSION_TTL - SESSION_REFRESH_AFTER) {
    await extendSession(c.var.db, live.id, at);
    writeSessionCookie(c, token, at + SESSION_TTL);
  }
  return account;
}

/**
 * What every session lookup needs: the cookie's token, the moment, and the session statements'
 * placeholder values. Null (and the account settled as null) when there is no cookie.
 */
async function sessionValues(c: Context<AppEnv>) {
  const token = c.var.sessionToken;
  if (!token) {
    c.set("account", null);
    return null;
  }
  const at = now();
  return { token, at, values: { [SESSION_VALUES.tokenHash]: await sha256(token), [SESSION_VALUES.at]: at } };
}

/**
 * The signed-in account, or null — resolved once per request. `refresh: false` leaves the
 * session's expiry alone (signing out need not extend what it ends).
 */
export async function currentAccount(
  c: Context<AppEnv>,
  { refresh = true }: { refresh?: boolean } = {},
): Promise<SessionAccount | null> {
  if (c.var.account !== undefined) return c.var.account;
  const lookup = await sessionValues(c);
  if (!lookup) return null;
  const [rows] = await runBound(c.var.db, [bound(sessionQuery(c.var.db), lookup.values)]);
  return settle(c, lookup.token, liveOf(rows), lookup.at, refresh);
}

/**
 * Resolves the session and runs a route's own prepared statements in the SAME D1 batch (one
 * round trip). The statements get the session's account id as a subquery (over the session's
 * placeholders, filled in here) and must use it to scope what they read, so they can never
 * return another account's rows — even when the session turns out dead.
 * Signed out (no cookie): nothing is run and `results` is null.
 */
export async function accountWith<const T extends readonly [Bound, ...Bound[]]>(
  c: Context<AppEnv>,
  build: (db: Db, accountId: AccountIdSubquery) => T,
): Promise<{ account: SessionAccount | null; results: BoundResults<T> | null }> {
  const lookup = await sessionValues(c);
  if (!lookup) return { account: null, results: null };
  const db = c.var.db;
  // The session's values last, so a route's values can never redirect the account subquery.
  const own = build(db, sessionAccountIdSubquery(db)).map((b) => bound(b.query, { ...b.values, ...lookup.values }));
  if (c.var.account !== undefined) {
    const results = await runBound(db, own);
    return { account: c.var.account, results: results as BoundResults<T> };
  }
  const [rows, ...rest] = await runBound(db, [bound(sessionQuery(db), lookup.values), ...own]);
  const account = await settle(c, lookup.token, liveOf(rows as LiveRows), lookup.at);
  return { account, results: rest as unknown as BoundResults<T> };
}

/**
 * Resolves the session and reads more columns from the SAME row — one statement, one round
 * trip. `extra` gets the session's account id as an SQL expression (the session row's column)
 * and returns aliased columns over it, e.g. a JSON list as a scalar subquery; they are computed
 * only for a live session, so they can never show another account's rows. `values` fill their
 * placeholders. Signed out, or a dead session: `row` is null.
 */
export async function sessionWith<E extends Record<string, SQL.Aliased>>(
  c: Context<AppEnv>,
  key: string,
  extra: (db: Db, accountId: SQL) => E,
  values: Record<string, unknown> = {},
): Promise<{ account: SessionAccount | null; row: { [K in keyof E]: E[K]["_"]["type"] } | null }> {
  const lookup = await sessionValues(c);
  if (!lookup) return { account: null, row: null };
  const db = c.var.db;
  const query = prepared(db, `session.live+${key}`, () =>
    liveSessionQuery(
      db,
      sql.placeholder(SESSION_VALUES.tokenHash),
      sql.placeholder(SESSION_VALUES.at),
      extra(db, sql`${sessions.accountId}`),
    ),
  );
  // The session's values last, so a route's values can never redirect the session lookup.
  const [rows] = await runBound(db, [bound(query, { ...values, ...lookup.values })]);
  const account = await settle(c, lookup.token, liveOf(rows as unknown as LiveRows), lookup.at);
  const row = account ? (rows[0] as unknown as { [K in keyof E]: E[K]["_"]["type"] }) : null;
  return { account, row };
}
