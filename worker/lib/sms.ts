import { and, asc, eq, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { Db } from "../../db";
import { createDb } from "../../db";
import { outbox, type SmsParams } from "../../db/schema";
import type { AppEnv, Bindings } from "../env";
import { runBatch } from "./batch";
import { newId } from "./ids";
import { insertWhere } from "./insert-where";
import { AliyunSmsSender, aliyunConfig } from "./sms-aliyun";
import { DAY, MINUTE, now } from "./time";

export interface SmsMessage {
  to: string;
  /** What kind of message this is (e.g. "otp", "proxy_request"); kept with the record. */
  template: string;
  body: string;
  /**
   * The variables `body` was written from, for providers that send a registered template filled
   * in (README, "Text messages"): each template's are listed there.
   */
  params?: SmsParams | null;
}

/**
 * The template of a notice's text: its kind, with ":pending" for a booking awaiting confirmation
 * (no check-in code to give). The trigger `notifications_texted` (migration 0012) says the same in SQL.
 */
export function smsTemplate(kind: string, params: SmsParams | null | undefined): string {
  return params?.status === "pending" ? `${kind}:pending` : kind;
}

/**
 * Hands one text message to a provider; throws when the provider refuses it or cannot be reached.
 * Nothing calls a sender inside a request: messages are queued in `outbox` with the change they
 * tell of, and `deliverOutbox` sends them (ADR 005). Which provider sends is chosen by
 * configuration (`SMS_PROVIDER`) in `smsSender`.
 */
export interface SmsSender {
  readonly provider: string;
  send(message: SmsMessage): Promise<void>;
}

/**
 * Sends nothing anywhere: the `outbox` row is the record, marked sent. The provider for local
 * runs and tests, where `/api/dev/outbox` shows what was "sent".
 */
export class OutboxSmsSender implements SmsSender {
  readonly provider = "outbox";
  async send(): Promise<void> {}
}

/**
 * The configured SMS sender (`SMS_PROVIDER`): "outbox" (local runs and tests) or "aliyun"
 * (worker/lib/sms-aliyun.ts). A real provider is one more `case` here; callers do not change. An
 * unknown name or an incomplete configuration refuses every message with the reason, which the
 * outbox records on each (they are retried, so fixing the configuration in time sends them: ADR 005).
 */
export function smsSender(env: Bindings, fetcher?: typeof fetch): SmsSender {
  const name = env.SMS_PROVIDER ?? "outbox";
  switch (name) {
    case "outbox":
      return new OutboxSmsSender();
    case "aliyun": {
      const config = aliyunConfig(env);
      return typeof config === "string" ? refusing(name, config) : new AliyunSmsSender(config, fetcher);
    }
    default:
      return refusing(name, `Unknown SMS_PROVIDER "${name}"`);
  }
}

/** A sender that refuses every message with `reason`. */
function refusing(provider: string, reason: string): SmsSender {
  return {
    provider,
    send: async () => {
      throw new Error(reason);
    },
  };
}

/**
 * A statement queueing a text message, for the batch that makes the change it tells of, only if
 * `guard` holds when the statement runs (e.g. the row the batch inserts exists).
 * With `expiresAt` (a sign-in code's end), it is not sent after that.
 * (Texted notices need none of this: the notice's `sms` flag queues theirs, in a trigger.)
 */
export function queueSms(db: Db, message: SmsMessage, at: number, guard: SQL, expiresAt: number | null = null) {
  return insertWhere(
    db,
    outbox,
    {
      id: newId("msg"),
      channel: "sms",
      recipient: message.to,
      template: message.template,
      body: message.body,
      params: message.params ?? null,
      status: "queued",
      createdAt: at,
      attempts: 0,
      dueAt: at,
      expiresAt,
    },
    sql`WHERE ${guard}`,
  );
}

/**
 * How long a text is kept whole once it was sent or given up: long enough to answer "I never got
 * the message" and to send a failed one again; then `clearOldTexts` clears it (PIPL: kept no
 * longer than needed).
 */
export const TEXT_KEPT = 30 * DAY;
export const CLEARED_TEXT = "（短信内容已按保留期限清除）";
/** Messages cleared per cron run (the next run takes the rest). */
const CLEAR_BATCH = 500;

/** `maskPhone(recipient)` in SQL: `138****1234`, or `****` and the last four characters. */
const MASKED_RECIPIENT = sql`CASE WHEN length(${outbox.recipient}) = 11
  THEN substr(${outbox.recipient}, 1, 3) || '****' || substr(${outbox.recipient}, 8)
  ELSE '****' || substr(${outbox.recipient}, -4) END`;

/**
 * Clears the texts sent or given up more than `TEXT_KEPT` ago: the text and its variables go and
 * the number is masked as lists show it; what remains (template, status, times, attempts,
 * provider, error) is the delivery record. At most `CLEAR_BATCH` a run, oldest first, through
 * `outbox_kept_idx`. For the cron; safe to run twice.
 */
export function clearOldTexts(db: Db, at: number) {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        // Word for word the condition of outbox_kept_idx (a bound IN list would not match it).
        sql`${outbox.status} IN ('sent', 'failed') AND instr(${outbox.recipient}, '*') = 0`,
        lt(outbox.createdAt, at - TEXT_KEPT),
      ),
    )
    .orderBy(asc(outbox.createdAt))
    .limit(CLEAR_BATCH);
  return db
    .update(outbox)
    .set({ body: CLEARED_TEXT, params: null, recipient: MASKED_RECIPIENT })
    .where(inArray(outbox.id, due));
}

/** Tries a message at most this many times, then marks it failed. */
export const SMS_MAX_ATTEMPTS = 5;
/**
 * A claim on a message lapses this long after it was made: its sender is taken to be gone, and the
 * message is sent again. Longer than a wave of sends can take (`SMS_SEND_TIMEOUT_MS`).
 */
export const SMS_CLAIM_MS = 5 * MINUTE;
/** A provider that has not answered by then is taken to have failed (the message is tried again). */
export const SMS_SEND_TIMEOUT_MS = 20_000;
/** Messages one round claims. */
const DELIVERY_BATCH = 24;
/** Messages handed to the provider at once; their outcomes are recorded together. */
const IN_FLIGHT = 8;

/** Wait after the n-th failed attempt: 1, 4, 16, 64 minutes (tried by the next delivery after that). */
export function smsRetryDelay(attempts: number): number {
  return 4 ** Math.max(0, attempts - 1) * MINUTE;
}

export interface DeliveryReport {
  sent: number;
  /** Failed this time, to be tried again. */
  retrying: number;
  /** Given up: failed for the last time, expired (a sign-in code no longer valid), or claimed too often. */
  failed: number;
}

/** `send`, or a failure if the provider does not answer within `SMS_SEND_TIMEOUT_MS`. */
async function sendWithin(sender: SmsSender, message: SmsMessage): Promise<string | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      sender.send(message),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("The SMS provider did not answer in time")), SMS_SEND_TIMEOUT_MS);
      }),
    ]);
    return null;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)) || "?";
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends the queued messages that are due. Each round first gives up on what can no longer go
 * (past its `expires_at`, or claimed `SMS_MAX_ATTEMPTS` times by runs that never reported), then
 * claims due messages in one conditional UPDATE — status `sending`, due again only when the claim
 * lapses (`SMS_CLAIM_MS` from the claim) — so overlapping runs claim different messages; sign-in
 * codes first (a person is waiting for them, for five minutes), then messages with a deadline
 * (texts about a service), then the rest. It hands them to the provider a few at a time and records
 * each wave's outcomes at once: sent, or back in the queue with the reason and a later due time,
 * or failed after `SMS_MAX_ATTEMPTS`. An outcome is recorded only on this run's own claim. A run
 * that dies midway leaves its claims to lapse and be sent again: at least once, so a provider that
 * took a message but whose answer was lost may send it twice. Runs until nothing is due or
 * `maxRounds` rounds are done. `at`: the earliest moment this run stands for (the cron's
 * scheduled time); each round works at the later of it and the clock.
 */
export async function deliverOutbox(db: Db, sender: SmsSender, at: number, maxRounds = 8): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
  const clock = () => Math.max(at, now());
  for (let round = 0; round < maxRounds; round++) {
    const claimAt = clock();
    const gaveUp = await db
      .update(outbox)
      .set({
        status: "failed",
        dueAt: null,
        error: sql`CASE WHEN ${outbox.expiresAt} <= ${claimAt} THEN 'expired before it could be sent'
          ELSE coalesce(${outbox.error}, 'claimed ' || ${outbox.attempts} || ' times, never reported') END`,
      })
      .where(
        sql`${outbox.status} IN ('queued', 'sending') AND ${outbox.dueAt} <= ${claimAt}
          AND (${outbox.expiresAt} <= ${claimAt} OR ${outbox.attempts} >= ${SMS_MAX_ATTEMPTS})`,
      )
      .returning({ id: outbox.id });
    report.failed += gaveUp.length;
    const claimed = await db
      .update(outbox)
      .set({ status: "sending", attempts: sql`${outbox.attempts} + 1`, dueAt: claimAt + SMS_CLAIM_MS })
      .where(
        sql`${outbox.id} IN (SELECT id FROM ${outbox}
          WHERE status IN ('queued', 'sending') AND due_at <= ${claimAt}
          ORDER BY template <> 'otp', expires_at IS NULL, due_at, id LIMIT ${sql.raw(String(DELIVERY_BATCH))})`,
      )
      .returning({
        id: outbox.id,
        to: outbox.recipient,
        template: outbox.template,
        body: outbox.body,
        params: outbox.params,
        attempts: outbox.attempts,
        expiresAt: outbox.expiresAt,
        createdAt: outbox.createdAt,
      });
    if (claimed.length === 0) break;
    // RETURNING comes in table order: hand them over in the claim's order.
    const rank = (m: (typeof claimed)[number]) => (m.template === "otp" ? 0 : m.expiresAt === null ? 2 : 1);
    claimed.sort((a, b) => rank(a) - rank(b) || a.createdAt - b.createdAt);
    for (let i = 0; i < claimed.length; i += IN_FLIGHT) {
      const wave = claimed.slice(i, i + IN_FLIGHT);
      const errors = await Promise.all(
        wave.map((m) => sendWithin(sender, { to: m.to, template: m.template, body: m.body, params: m.params })),
      );
      const doneAt = clock();
      const outcomes = wave.map((m, n) => {
        const error = errors[n] ?? null;
        // Only this run's claim is recorded: a claim that lapsed and was taken by another run is theirs.
        const ours = and(eq(outbox.id, m.id), eq(outbox.status, "sending"), eq(outbox.attempts, m.attempts));
        if (error === null) {
          report.sent++;
          return db
            .update(outbox)
            .set({ status: "sent", provider: sender.provider, sentAt: doneAt, dueAt: null, error: null })
            .where(ours);
        }
        const last = m.attempts >= SMS_MAX_ATTEMPTS;
        if (last) report.failed++;
        else report.retrying++;
        return db
          .update(outbox)
          .set({
            status: last ? "failed" : "queued",
            dueAt: last ? null : doneAt + smsRetryDelay(m.attempts),
            error: error.slice(0, 500),
          })
          .where(ours);
      });
      await runBatch(db, outcomes);
    }
    if (claimed.length < DELIVERY_BATCH) break;
  }
  return report;
}

/**
 * Sends what is due once the answer is out (`waitUntil`): called by routes whose change queued a
 * message. A delivery that fails here is retried by the cron; the request's answer does not
 * depend on it. Without an execution context (a test calling `app.request` bare) it is left to
 * the cron.
 */
export function deliverSoon(c: Context<AppEnv>): void {
  let ctx: { waitUntil(promise: Promise<unknown>): void };
  try {
    ctx = c.executionCtx;
  } catch {
    return;
  }
  const env = c.env;
  ctx.waitUntil(
    (async () => {
      try {
        // One round: what this request queued goes first (codes) or soon; a backlog is the cron's.
        await deliverOutbox(createDb(env.DB), smsSender(env), now(), 1);
      } catch (e) {
        console.error("SMS delivery failed; the cron will try again", e);
      }
    })(),
  );
}
