import type { Db } from "../../db";
import { outbox } from "../../db/schema";
import type { Bindings } from "../env";
import { ApiError } from "./errors";
import { newId } from "./ids";
import { now } from "./time";

export interface SmsMessage {
  to: string;
  /** What kind of message this is (e.g. "otp", "proxy_request"); kept with the record. */
  template: string;
  body: string;
}

/**
 * Sends text messages. Callers depend on this interface only; which provider sends is chosen by
 * configuration (`SMS_PROVIDER`) in `smsSender`.
 */
export interface SmsSender {
  readonly provider: string;
  send(message: SmsMessage): Promise<void>;
  /**
   * Sends many at once — a cancelled day-care session tells everyone booked on it — without one
   * round trip per message: a provider's batch API, or a bounded number in flight.
   */
  sendMany(messages: SmsMessage[]): Promise<void>;
}

/** Messages recorded per D1 batch. */
const OUTBOX_BATCH = 100;

/**
 * Records messages in the `outbox` table without sending them anywhere: the sender for local
 * runs and tests, where `/api/dev/outbox` shows what was "sent".
 */
export class OutboxSmsSender implements SmsSender {
  readonly provider = "outbox";
  constructor(private readonly db: Db) {}

  async send(message: SmsMessage): Promise<void> {
    await this.sendMany([message]);
  }

  async sendMany(messages: SmsMessage[]): Promise<void> {
    const at = now();
    for (let i = 0; i < messages.length; i += OUTBOX_BATCH) {
      const [first, ...rest] = messages.slice(i, i + OUTBOX_BATCH).map((message) =>
        this.db.insert(outbox).values({
          id: newId("msg"),
          channel: "sms",
          recipient: message.to,
          template: message.template,
          body: message.body,
          provider: this.provider,
          status: "sent",
          createdAt: at,
          sentAt: at,
        }),
      );
      if (first) await this.db.batch([first, ...rest]);
    }
  }
}

/** The configured SMS sender. A real provider is one more `case` here; callers do not change. */
export function smsSender(env: Bindings, db: Db): SmsSender {
  switch (env.SMS_PROVIDER ?? "outbox") {
    case "outbox":
      return new OutboxSmsSender(db);
    default:
      throw new ApiError("INTERNAL_ERROR", `Unknown SMS_PROVIDER "${env.SMS_PROVIDER}"`);
  }
}
