import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./people";

/** A text message's variables: names to text or numbers (a time is epoch ms, named `startsAt`). */
export type SmsParams = Record<string, string | number | undefined>;

/** Login sessions; only the SHA-256 of the cookie token is stored. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    revokedAt: integer("revoked_at"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_account_idx").on(t.accountId)],
);

/** One-time login codes; only a keyed hash of the code is stored. */
export const otpCodes = sqliteTable(
  "otp_codes",
  {
    id: text("id").primaryKey(),
    phone: text("phone").notNull(),
    codeHash: text("code_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    consumedAt: integer("consumed_at"),
    ip: text("ip"),
  },
  (t) => [index("otp_codes_phone_created_idx").on(t.phone, t.createdAt)],
);

/** Fixed-window counters for rate limits that are not per phone (e.g. per IP). */
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: integer("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

export const OUTBOX_CHANNELS = ["sms"] as const;

export const OUTBOX_STATUSES = ["queued", "sending", "sent", "failed"] as const;

/**
 * Every message the platform sends, whatever the provider: queued in the same transaction as
 * whatever it tells of (a texted notice queues its SMS through a trigger), then delivered after
 * the answer (`deliverOutbox`, worker/lib/sms.ts) and by the cron, and kept as the record.
 * `due_at`: when a queued message may next be tried, or when a claim on one being sent lapses
 * (its sender gone); null once sent or failed for good. Claimed `attempts` times.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    channel: text("channel", { enum: OUTBOX_CHANNELS }).notNull(),
    recipient: text("recipient").notNull(),
    template: text("template").notNull(),
    body: text("body").notNull(),
    /**
     * The message's variables (e.g. the code, the service, its start), for providers that send a
     * registered template filled in rather than a text (worker/lib/sms-aliyun.ts).
     */
    params: text("params", { mode: "json" }).$type<SmsParams>(),
    /** The provider that sent it (set when sent). */
    provider: text("provider"),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull(),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
    /** The last failure's reason. */
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    dueAt: integer("due_at"),
    /** Not sent after this (a sign-in code that no longer works); such messages go first. */
    expiresAt: integer("expires_at"),
  },
  (t) => [
    index("outbox_recipient_created_idx").on(t.recipient, t.createdAt),
    index("outbox_due_idx").on(t.dueAt).where(sql`${t.status} IN ('queued', 'sending')`),
    // Sign-in codes still kept in clear, for the cron to clear once they no longer work.
    index("outbox_codes_idx").on(t.createdAt).where(sql`${t.template} = 'otp' AND ${t.params} IS NOT NULL`),
    // Sent or given-up messages still holding a number and a text, for the cron to clear once
    // they are past keeping (`clearOldTexts`, worker/lib/sms.ts; a cleared number is masked).
    index("outbox_kept_idx")
      .on(t.createdAt)
      .where(sql`${t.status} IN ('sent', 'failed') AND instr(${t.recipient}, '*') = 0`),
  ],
);

/** Every staff action on someone else's data, and every grant. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: integer("at").notNull(),
    actorAccountId: text("actor_account_id").references(() => accounts.id),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    personId: text("person_id"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    requestId: text("request_id"),
    ip: text("ip"),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_subject_idx").on(t.subjectType, t.subjectId)],
);
