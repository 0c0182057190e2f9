import { lt, or } from "drizzle-orm";
import { createDb } from "../db";
import { otpCodes, rateLimits, sessions } from "../db/schema";
import type { Bindings } from "./env";
import { clearSpentCodes } from "./features/auth/auth.queries";
import { sendReminders } from "./features/bookings/reminders";
import { completeAttendedEvents } from "./features/events/events.queries";
import { assessDuePeriods } from "./features/volunteers/evaluations.queries";
import { autoCloseStatement } from "./features/volunteers/service-records.queries";
import { clearOldTexts, deliverOutbox, smsSender } from "./lib/sms";
import { DAY } from "./lib/time";

/**
 * The cron job (wrangler.toml `[triggers]`, every 15 minutes): booking reminders the day before
 * and two hours before, sending the text messages that are due (the reminders', and any a request
 * queued whose delivery failed or never ran), and pruning of expired login data (sign-in codes
 * kept in clear in their texts included) and of texts past keeping (`clearOldTexts`), and closing
 * volunteers' check-ins left open for 12 hours (flagged for review), completing the attendance of
 * events that are over (so attendees may rate them), and a week into each
 * quarter the volunteers' assessment of the quarter (and in January the year) before. Every task is
 * safe to run twice, and at once.
 */
export async function runScheduled(env: Bindings, at: number) {
  const db = createDb(env.DB);
  // Each task runs even if one before it failed; the failures are reported together afterwards.
  const failures: unknown[] = [];
  const run = async (task: () => Promise<unknown>) => {
    try {
      await task();
    } catch (e) {
      failures.push(e);
    }
  };
  await run(() => sendReminders(db, at));
  await run(() =>
    db.batch([
      db.delete(otpCodes).where(lt(otpCodes.createdAt, at - 2 * DAY)),
      db.delete(rateLimits).where(lt(rateLimits.windowStart, at - 2 * DAY)),
      db.delete(sessions).where(or(lt(sessions.expiresAt, at - 30 * DAY), lt(sessions.revokedAt, at - 30 * DAY))),
      clearSpentCodes(db, at),
      clearOldTexts(db, at),
    ]),
  );
  await run(() => autoCloseStatement(db, at));
  await run(() => completeAttendedEvents(db, at));
  await run(() => assessDuePeriods(db, at));
  await run(() => deliverOutbox(db, smsSender(env), at, 40));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, "Scheduled tasks failed");
}
