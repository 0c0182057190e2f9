import { and, desc, eq, gt, isNull, lt, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Db } from "../../../db";
import { accounts, otpCodes, outbox, sessions } from "../../../db/schema";
import type { Grant } from "../../env";
import { newId } from "../../lib/ids";
import { insertWhere, rowExists } from "../../lib/insert-where";
import { queueSms, type SmsMessage } from "../../lib/sms";
import { DAY, HOUR, MINUTE } from "../../lib/time";

export const OTP_TTL = 5 * MINUTE;
export const OTP_MAX_ATTEMPTS = 5;
export const OTP_MIN_INTERVAL = MINUTE;
export const OTP_PER_DAY = 10;
export const SESSION_TTL = 30 * DAY;
/** A session's expiry is pushed forward at most once a day, not on every request. */
export const SESSION_REFRESH_AFTER = DAY;

export type OtpRefusal = "too_soon" | "daily_limit";

/** What a sign-in code's text says once the code is cleared. */
const CLEARED_CODE_TEXT = "【邻里】登录验证码（已失效，已清除）";
/** A code's text is kept this long (a code works for OTP_TTL); then it is cleared. */
const CODE_TEXT_KEPT = HOUR;

/**
 * Clears the code from every sign-in text older than `CODE_TEXT_KEPT`, whatever became of it: the
 * code no longer works, and a code in clear is a credential nobody needs to keep (the delivery
 * record — number, status, attempts — stays). For the cron; safe to run twice.
 */
export function clearSpentCodes(db: Db, at: number) {
  return db
    .update(outbox)
    .set({ body: CLEARED_CODE_TEXT, params: null })
    .where(
      and(eq(outbox.template, "otp"), sql`${outbox.params} IS NOT NULL`, lt(outbox.createdAt, at - CODE_TEXT_KEPT)),
    );
}

/** Why a sign-in text waiting to be sent again was not: a newer code was sent. */
export const SUPERSEDED = "superseded: a newer code was sent";

/**
 * Stores a new code for `phone` unless one was issued within the last minute or ten within the
 * last 24 hours — checked and written in one statement, so parallel requests cannot both pass —
 * and, in the same transaction, queues `message` (the code's text) only if it was stored.
 */
export async function issueOtp(
  db: Db,
  input: { phone: string; codeHash: string; ip: string | null; at: number; message: SmsMessage },
): Promise<{ ok: true; id: string } | { ok: false; reason: OtpRefusal }> {
  const id = newId("otp");
  const { phone, codeHash, ip, at } = input;
  const [rows] = await db.batch([
    insertWhere(
      db,
      otpCodes,
      { id, phone, codeHash, createdAt: at, expiresAt: at + OTP_TTL, attempts: 0, ip },
      sql`WHERE NOT EXISTS (SELECT 1 FROM otp_codes WHERE phone = ${phone} AND created_at > ${at - OTP_MIN_INTERVAL})
        AND (SELECT count(*) FROM otp_codes WHERE phone = ${phone} AND created_at > ${at - DAY}) < ${OTP_PER_DAY}`,
    ).returning({ id: otpCodes.id }),
    // The code's text message, queued with the code itself (sent after the answer: `deliverSoon`),
    // ahead of other messages and not after the code has expired.
    queueSms(db, input.message, at, rowExists(otpCodes, id), at + OTP_TTL),
    // Only the newest code works: an earlier one still waiting to be sent again (its first try
    // failed — or only seemed to) is not sent now, to arrive after the new one and be typed in.
    // (One being handed to the provider at this very moment is left be; should that send fail,
    // it is tried again within the code's five minutes.)
    db
      .update(outbox)
      .set({ status: "failed", dueAt: null, error: SUPERSEDED })
      .where(
        and(
          eq(outbox.template, "otp"),
          eq(outbox.recipient, phone),
          eq(outbox.status, "queued"),
          lt(outbox.createdAt, at),
          rowExists(otpCodes, id),
        ),
      ),
  ]);
  if (rows.length === 1) return { ok: true, id };
  const recent = await db
    .select({ id: otpCodes.id })
    .from(otpCodes)
    .where(and(eq(otpCodes.phone, phone), gt(otpCodes.createdAt, at - OTP_MIN_INTERVAL)))
    .limit(1);
  return { ok: false, reason: recent.length ? "too_soon" : "daily_limit" };
}

/** The newest code for `phone` that is neither used nor burnt, expired or not. */
export async function latestOpenOtp(db: Db, phone: string) {
  const [row] = await db
    .select()
    .from(otpCodes)
    .where(and(eq(otpCodes.phone, phone), isNull(otpCodes.consumedAt), lt(otpCodes.attempts, OTP_MAX_ATTEMPTS)))
    .orderBy(desc(otpCodes.createdAt))
    .limit(1);
  return row ?? null;
}

/** Counts a wrong guess; the fifth burns the code. Returns the attempts left. */
export async function recordFailedAttempt(db: Db, id: string): Promise<number> {
  const [row] = await db
    .update(otpCodes)
    .set({ attempts: sql`${otpCodes.attempts} + 1` })
    .where(and(eq(otpCodes.id, id), isNull(otpCodes.consumedAt), lt(otpCodes.attempts, OTP_MAX_ATTEMPTS)))
    .returning({ attempts: otpCodes.attempts });
  return row ? OTP_MAX_ATTEMPTS - row.attempts : 0;
}

/** Marks a code used; false if another request used or burnt it first. */
export async function consumeOtp(db: Db, id: string, at: number): Promise<boolean> {
  const rows = await db
    .update(otpCodes)
    .set({ consumedAt: at })
    .where(and(eq(otpCodes.id, id), isNull(otpCodes.consumedAt), lt(otpCodes.attempts, OTP_MAX_ATTEMPTS)))
    .returning({ id: otpCodes.id });
  return rows.length === 1;
}

/**
 * The account for `phone`, created with its own person on first sight. Safe under concurrency:
 * both inserts are conditional and the final read returns whichever row won.
 */
export async function findOrCreateAccount(db: Db, phone: string, at: number): Promise<{ id: string; isNew: boolean }> {
  const existing = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.phone, phone)).limit(1);
  if (existing[0]) return { id: existing[0].id, isNew: false };

  const accountId = newId("acc");
  // Raw statements: drizzle's batch cannot carry an INSERT … SELECT … WHERE NOT EXISTS.
  const d1 = db.$client;
  await d1.batch([
    d1
      .prepare(
        "INSERT INTO accounts (id, phone, locale, elder_mode, created_at) VALUES (?, ?, 'zh-CN', 0, ?) ON CONFLICT (phone) DO NOTHING",
      )
      .bind(accountId, phone, at),
    d1
      .prepare(
        `INSERT INTO persons (id, account_id, name, phone, gender, created_at, updated_at)
         SELECT ?, id, '', phone, 'unspecified', ?, ? FROM accounts
         WHERE phone = ? AND NOT EXISTS (SELECT 1 FROM persons WHERE persons.account_id = accounts.id)`,
      )
      .bind(newId("per"), at, at, phone),
  ]);
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.phone, phone)).limit(1);
  if (!row) throw new Error(`account for ${phone.slice(-4)} vanished after insert`);
  return { id: row.id, isNew: row.id === accountId };
}

export async function createSession(
  db: Db,
  input: { accountId: string; tokenHash: string; at: number; userAgent: string | null },
) {
  const id = newId("ses");
  await db.batch([
    db.insert(sessions).values({
      id,
      tokenHash: input.tokenHash,
      accountId: input.accountId,
      createdAt: input.at,
      lastSeenAt: input.at,
      expiresAt: input.at + SESSION_TTL,
      userAgent: input.userAgent?.slice(0, 200) ?? null,
    }),
    db.update(accounts).set({ lastLoginAt: input.at }).where(eq(accounts.id, input.accountId)),
  ]);
  return { id, expiresAt: input.at + SESSION_TTL };
}

/** The live-session condition for a token hash at `at`. */
function liveSession(tokenHash: string | SQLWrapper, at: number | SQLWrapper) {
  return and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, at));
}

/**
 * The account id of the live session with this token hash, as a scalar subquery — for statements
 * that ride in the same batch as the session lookup and must only ever touch that account's rows.
 */
export function sessionAccountId(db: Db, tokenHash: string | SQLWrapper, at: number | SQLWrapper) {
  return db.select({ id: sessions.accountId }).from(sessions).where(liveSession(tokenHash, at)).limit(1);
}

/** A live session's columns: its id, account, expiry, the account's phone and active role grants. */
const liveSessionColumns = {
  id: sessions.id,
  accountId: sessions.accountId,
  expiresAt: sessions.expiresAt,
  phone: accounts.phone,
  grants: sql<string>`(SELECT json_group_array(json_object('id', g.id, 'role', g.role, 'scopeType', g.scope_type,
                         'communityId', g.community_id, 'organisationId', g.organisation_id))
                       FROM role_grants g WHERE g.account_id = ${sessions.accountId} AND g.revoked_at IS NULL)`,
};

/**
 * The live session with this token hash, its account's phone and the account's active role
 * grants (as a JSON array, parsed by `parseGrants`) — one statement, since every signed-in
 * request starts here; it rides in the same D1 batch as the route's own reads (`accountWith`).
 */
export function liveSessionQuery<E extends Record<string, SQL.Aliased> = Record<never, SQL.Aliased>>(
  db: Db,
  tokenHash: string | SQLWrapper,
  at: number | SQLWrapper,
  /** More columns, computed from the session's row (see `sessionWith`). */
  extra?: E,
) {
  return db
    .select({ ...(extra ?? ({} as E)), ...liveSessionColumns, grants: liveSessionColumns.grants.as("grants") })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(liveSession(tokenHash, at))
    .limit(1);
}

/**
 * The same live session as one JSON object (`LiveSessionJson`: the grants an array), or NULL —
 * an SQL expression for a statement that is no select of its own, e.g. the RETURNING clause of
 * a write that authenticates inside itself (`takeForResidentQuery`, through `runAsSession`).
 */
export function liveSessionJson(db: Db, tokenHash: string | SQLWrapper, at: number | SQLWrapper) {
  // Names are this module's constants; the grants nest as an array.
  const fields = Object.entries(liveSessionColumns).map(([name, column]) =>
    name === "grants" ? sql`'grants', json(${column})` : sql`${sql.raw(`'${name}'`)}, ${column}`,
  );
  const one = db
    .select({ json: sql<string>`json_object(${sql.join(fields, sql`, `)})`.as("session_json") })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(liveSession(tokenHash, at))
    .limit(1);
  return sql<string | null>`${one}`;
}

export type LiveSessionJson = { id: string; accountId: string; expiresAt: number; phone: string; grants: Grant[] };

export function parseGrants(json: string): Grant[] {
  return JSON.parse(json) as Grant[];
}

export async function extendSession(db: Db, id: string, at: number) {
  await db
    .update(sessions)
    .set({ expiresAt: at + SESSION_TTL, lastSeenAt: at })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}

export async function revokeSession(db: Db, id: string, at: number) {
  await db
    .update(sessions)
    .set({ revokedAt: at })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}
