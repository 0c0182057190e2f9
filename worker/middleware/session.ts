import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Db } from "../../db";
import type { AppEnv, SessionAccount } from "../env";
import {
  extendSession,
  liveSessionStatements,
  SESSION_REFRESH_AFTER,
  SESSION_TTL,
  sessionAccountId,
} from "../features/auth/auth.queries";
import type { Statement } from "../lib/batch";
import { sha256 } from "../lib/crypto";
import { SESSION_COOKIE, writeSessionCookie } from "../lib/session-cookie";
import { now } from "../lib/time";

/**
 * Notes the session cookie; nothing is read yet. The session is resolved on first use
 * (`currentAccount`), or in the same D1 batch as a route's own reads (`accountWith`), so public
 * routes never touch the sessions table and hot signed-in routes make one round trip, not two.
 */
export function session(): MiddlewareHandler<AppEnv> {
  return async function session(c, next) {
    const token = getCookie(c, SESSION_COOKIE);
    c.set("sessionToken", token && token.length <= 128 ? token : null);
    c.set("account", undefined);
    await next();
  };
}

type LiveRows = [Array<{ id: string; accountId: string; expiresAt: number; phone: string }>, SessionAccount["grants"]];

/** Turns the session rows into the account (null when unknown, expired or revoked) and slides the expiry. */
async function settle(c: Context<AppEnv>, token: string, [sessionRows, grants]: LiveRows, at: number) {
  const live = sessionRows[0];
  const account = live ? { id: live.accountId, phone: live.phone, sessionId: live.id, grants } : null;
  c.set("account", account);
  // 30 days from the latest use, pushed forward at most once a day.
  if (live && live.expiresAt - at < SESSION_TTL - SESSION_REFRESH_AFTER) {
    await extendSession(c.var.db, live.id, at);
    writeSessionCookie(c, token, at + SESSION_TTL);
  }
  return account;
}

/** The signed-in account, or null — resolved once per request. */
export async function currentAccount(c: Context<AppEnv>): Promise<SessionAccount | null> {
  if (c.var.account !== undefined) return c.var.account;
  const token = c.var.sessionToken;
  if (!token) {
    c.set("account", null);
    return null;
  }
  const at = now();
  const [first, second] = liveSessionStatements(c.var.db, await sha256(token), at);
  const rows = await c.var.db.batch([first, second]);
  return settle(c, token, rows as LiveRows, at);
}

/** A subquery for the signed-in account's id, for statements batched with the session lookup. */
export type AccountIdSubquery = ReturnType<typeof sessionAccountId>;

/**
 * Resolves the session and runs a route's own statements in the SAME D1 batch (one round trip).
 * The statements get the session's account id as a subquery and must use it to scope what they
 * read, so they can never return another account's rows — even when the session turns out dead.
 * Signed out (no cookie): nothing is run and `results` is null.
 */
export async function accountWith<const T extends readonly [Statement, ...Statement[]]>(
  c: Context<AppEnv>,
  build: (db: Db, accountId: AccountIdSubquery) => T,
): Promise<{ account: SessionAccount | null; results: BatchResults<T> | null }> {
  const token = c.var.sessionToken;
  if (!token) {
    c.set("account", null);
    return { account: null, results: null };
  }
  const db = c.var.db;
  const at = now();
  const hash = await sha256(token);
  const own = build(db, sessionAccountId(db, hash, at));
  if (c.var.account !== undefined) {
    const results = (await db.batch(own as unknown as [Statement, ...Statement[]])) as BatchResults<T>;
    return { account: c.var.account, results };
  }
  const [first, second] = liveSessionStatements(db, hash, at);
  const [s, g, ...rest] = await db.batch([first, second, ...own] as unknown as [Statement, ...Statement[]]);
  const account = await settle(c, token, [s, g] as LiveRows, at);
  return { account, results: rest as BatchResults<T> };
}

type BatchResults<T extends readonly Statement[]> = { [K in keyof T]: Awaited<T[K]> };
