import { and, eq, gt, inArray, lte } from "drizzle-orm";
import type { Db } from "../../../db";
import { bookings, offerings, persons, slots } from "../../../db/schema";
import type { Bindings } from "../../env";
import { shanghaiDate } from "../../lib/shanghai";
import { HOUR } from "../../lib/time";
import { notifyAll } from "../notifications/notifications.queries";

/** Reminder kinds: how long before the start each is due. */
export const REMINDERS = [
  { key: "reminder-24h", lead: 24 * HOUR },
  { key: "reminder-2h", lead: 2 * HOUR },
] as const;

/** "今天 14:00" or "明天 08:30" (Asia/Shanghai). */
function day(startsAt: number, at: number): string {
  return shanghaiDate(startsAt) === shanghaiDate(at) ? "今天" : "明天";
}

function when(at: number): string {
  return new Date(at + 8 * HOUR).toISOString().slice(11, 16);
}

/**
 * Sends each booking's day-before and two-hours-before reminder once: a reminder is due when the
 * slot starts within its lead time (and, for the day-before one, not already within two hours);
 * the notices' dedupe keys make a second cron run — even a simultaneous one — send nothing more.
 */
export async function sendReminders(db: Db, env: Bindings, at: number) {
  let sent = 0;
  for (const [i, reminder] of REMINDERS.entries()) {
    const shorter = REMINDERS[i + 1]?.lead ?? 0;
    const due = await db
      .select({
        id: bookings.id,
        actorAccountId: bookings.actorAccountId,
        personAccountId: persons.accountId,
        personName: persons.name,
        code: bookings.code,
        startsAt: slots.startsAt,
        title: offerings.title,
      })
      .from(bookings)
      .innerJoin(slots, eq(slots.id, bookings.slotId))
      .innerJoin(offerings, eq(offerings.id, bookings.offeringId))
      .innerJoin(persons, eq(persons.id, bookings.personId))
      .where(
        and(
          inArray(bookings.status, ["confirmed", "pending"]),
          eq(slots.status, "open"),
          gt(slots.startsAt, at + shorter),
          lte(slots.startsAt, at + reminder.lead),
        ),
      )
      .limit(1000);
    sent += await notifyAll(
      db,
      env,
      due.map((b) => ({
        to: [b.personAccountId, b.actorAccountId],
        notice: {
          kind: reminder.key,
          title: "服务提醒",
          body: `${b.personName}：${day(b.startsAt, at)} ${when(b.startsAt)}“${b.title}”，签到码 ${b.code}。`,
          params: { person: b.personName, offering: b.title, startsAt: b.startsAt, code: b.code },
          link: `/bookings/${b.id}`,
          dedupeKey: `${reminder.key}:${b.id}`,
          sms: true,
        },
      })),
      at,
    );
  }
  return sent;
}
