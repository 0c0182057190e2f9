import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { Db } from "../../db";
import { createDb } from "../../db";
import { outbox } from "../../db/schema";
import type { AppEnv, Bindings } from "../env";
import { newId } from "./ids";
import { insertWhere } from "./insert-where";
import { MINUTE, now } from "./time";

export interface SmsMessage {
  to: string;
  /** What kind of message this is (e.g. "otp", "proxy_request"); kept with the record. */
  template: string;
  body: string;
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
 * The configured SMS sender. A real provider is one more `case` here; callers do not change. An
 * unknown name refuses every message with the reason, which the outbox records on each (they are
 * retried, so fixing the configuration sends them).
 */
export function smsSender(env: Pick<Bindings, "SMS_PROVIDER">): SmsSender {
  const name = env.SMS_PROVIDER ?? "outbox";
  switch (name) {
    case "outbox":
      return new OutboxSmsSender();
    default:
      return {
        provider: name,
        send: async () => {
          throw new Error(`Unknown SMS_PROVIDER "${name}"`);
        },
      };
  }
}

/**
 * A statement queueing a text message, for the batch that makes the change it tells of; with
 * `guard`, only if that holds when the statement runs (e.g. the row the batch inserts exists).
 * (Texted notices need none of this: the notice's `sms` flag queues theirs, in a trigger.)
 */
export function queueSms(db: Db, message: SmsMessage, at: number, guard: SQL = sql`1`) {
  return insertWhere(
    db,
    outbox,
    {
      id: newId("msg"),
      channel: "sms",
      recipient: message.to,
      template: message.template,
      body: message.body,
      status: "queued",
      createdAt: at,
      attempts: 0,
      dueAt: at,
    },
    sql`WHERE ${guard}`,
  );
}

/** Tries a message at most this many times, then marks it failed. */
export const SMS_MAX_ATTEMPTS = 5;
/** A claim on a message lapses after this long: its sender is taken to be gone, and it is sent again. */
export const SMS_CLAIM_MS = 5 * MINUTE;
/** Messages one delivery run claims. */
const DELIVERY_BATCH = 50;
/** Messages handed to the provider at once. */
const IN_FLIGHT = 8;

/** Wait after the n-th failed attempt: 1, 4, 16, 64 minutes. */
export function smsRetryDelay(attempts: number): number {
  return 4 ** Math.max(0, attempts - 1) * MINUTE;
}

export interface DeliveryReport {
  sent: number;
  /** Failed this time, to be tried again. */
  retrying: number;
  /** Failed for the last time. */
  failed: number;
}

/**
 * Sends the queued messages that are due, each exactly once however many runs overlap: a run
 * first claims messages in one conditional UPDATE (status `sending`, due again only when the claim
 * lapses), so a second run claims others or none; then hands each to the provider and records the
 * outcome — sent, or back in the queue with the reason and a later due time, or failed after
 * `SMS_MAX_ATTEMPTS`. A run that dies midway leaves its claims to lapse and be sent again (at least
 * once, then: a provider that took a message but whose answer was lost may send it twice).
 * Runs until nothing is due or `maxRounds` batches are done.
 */
export async function deliverOutbox(db: Db, sender: SmsSender, at: number, maxRounds = 4): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
  for (let round = 0; round < maxRounds; round++) {
    const claimed = await db
      .update(outbox)
      .set({ status: "sending", attempts: sql`${outbox.attempts} + 1`, dueAt: at + SMS_CLAIM_MS })
      .where(
        sql`${outbox.id} IN (SELECT id FROM ${outbox}
          WHERE status IN ('queued', 'sending') AND due_at <= ${at}
          ORDER BY due_at, id LIMIT ${sql.raw(String(DELIVERY_BATCH))})`,
      )
      .returning({
        id: outbox.id,
        to: outbox.recipient,
        template: outbox.template,
        body: outbox.body,
        attempts: outbox.attempts,
      });
    if (claimed.length === 0) break;
    const outcomes: Array<{ id: string; attempts: number; error: string | null }> = [];
    for (let i = 0; i < claimed.length; i += IN_FLIGHT) {
      await Promise.all(
        claimed.slice(i, i + IN_FLIGHT).map(async (m) => {
          try {
            await sender.send({ to: m.to, template: m.template, body: m.body });
            outcomes.push({ id: m.id, attempts: m.attempts, error: null });
          } catch (e) {
            outcomes.push({
              id: m.id,
              attempts: m.attempts,
              error: (e instanceof Error ? e.message : String(e)) || "?",
            });
          }
        }),
      );
    }
    const [first, ...rest] = outcomes.map((o) => {
      // Only this run's claim is recorded: a claim that lapsed and was taken by another run is theirs.
      const ours = and(eq(outbox.id, o.id), eq(outbox.status, "sending"), eq(outbox.attempts, o.attempts));
      if (o.error === null) {
        report.sent++;
        return db
          .update(outbox)
          .set({ status: "sent", provider: sender.provider, sentAt: at, dueAt: null, error: null })
          .where(ours);
      }
      const last = o.attempts >= SMS_MAX_ATTEMPTS;
      if (last) report.failed++;
      else report.retrying++;
      return db
        .update(outbox)
        .set({
          status: last ? "failed" : "queued",
          dueAt: last ? null : at + smsRetryDelay(o.attempts),
          error: o.error.slice(0, 500),
        })
        .where(ours);
    });
    if (first) await db.batch([first, ...rest]);
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
        await deliverOutbox(createDb(env.DB), smsSender(env), now());
      } catch (e) {
        console.error("SMS delivery failed; the cron will try again", e);
      }
    })(),
  );
}
