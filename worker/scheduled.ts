import { lt, or } from "drizzle-orm";
import { createDb } from "../db";
import { otpCodes, rateLimits, sessions } from "../db/schema";
import type { Bindings } from "./env";
import { DAY } from "./lib/time";

/**
 * The cron job (wrangler.toml `[triggers]`). Today it prunes expired login data; reminders and
 * waitlist expiry join it with the booking engine. Every task must be safe to run twice.
 */
export async function runScheduled(env: Bindings, at: number) {
  const db = createDb(env.DB);
  await db.batch([
    db.delete(otpCodes).where(lt(otpCodes.createdAt, at - 2 * DAY)),
    db.delete(rateLimits).where(lt(rateLimits.windowStart, at - 2 * DAY)),
    db.delete(sessions).where(or(lt(sessions.expiresAt, at - 30 * DAY), lt(sessions.revokedAt, at - 30 * DAY))),
  ]);
}
