import { and, eq, gt, inArray, lte, not, sql } from "drizzle-orm";
import type { Db } from "../../../db";
import { bookings, offerings, persons, slots } from "../../../db/schema";
import { shanghaiDate, shanghaiTime } from "../../lib/shanghai";
import { HOUR } from "../../lib/time";
import { notifyAll } from "../notifications/notifications.queries";
import { audienceColumns, audienceOf } from "./bookings.queries";

/** Reminder kinds: how long before the start each is due. */
export const REMINDERS = [
  { key: "reminder-24h", lead: 24 * HOUR },
  { key: "reminder-2h", lead: 2 * HOUR },
] as const;

/** "今天 14:00" or "明天 08:30" (Asia/Shanghai). */
function day(startsAt: number, at: number): string {
  return shanghaiDate(startsAt) === shanghaiDate(at) ? "今天" : "明天";
}

/** Reminders read per query; a run goes on until every due one has been sent. */
export const REMINDER_PAGE = 500;

/**
 * Sends each booking's day-before and two-hours-before reminder once: a reminder is due when the
 * slot starts within its lead time (and, for the day-before one, not already within two hours).
 * A run reads only bookings whose reminder has not reached their first recipient yet, page by page
 * in id order, so a busy morning (thousands due at once) is sent in full, and a later run does not
 * read again what an earlier one sent; the notices' dedupe keys make a second run — even a
 * simultaneous one — send nothing more. Recipients: the person's own account and the proxy who
 * booked for them while they still act for them (`audienceColumns`).
 */
export async function sendReminders(db: Db, at: number, pageSize = REMINDER_PAGE) {
  let sent = 0;
  for (const [i, reminder] of REMINDERS.entries()) {
    const shorter = REMINDERS[i + 1]?.lead ?? 0;
    const audience = audienceColumns();
    // The first recipient's copy of this reminder, if it was sent (the unique (account, dedupe key) index).
    const alreadySent = sql`EXISTS (SELECT 1 FROM notifications n
      WHERE n.account_id = coalesce(${audience.personAccountId.getSQL()}, ${audience.proxyAccountId.getSQL()})
        AND n.dedupe_key = ${`${reminder.key}:`} || ${bookings.id})`;
    for (let after = ""; ; ) {
      const due = await db
        .select({
          id: bookings.id,
          ...audience,
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
            // `+id`: read the due slots by start time, not the whole table in id order.
            gt(sql`+${bookings.id}`, after),
            not(alreadySent),
          ),
        )
        .orderBy(sql`+${bookings.id}`)
        .limit(pageSize);
      sent += await notifyAll(
        db,
        due.map((b) => ({
          to: audienceOf(b),
          notice: {
            kind: reminder.key,
            title: "服务提醒",
            body: `${b.personName}：${day(b.startsAt, at)} ${shanghaiTime(b.startsAt)}“${b.title}”，签到码 ${b.code}。`,
            params: { person: b.personName, offering: b.title, startsAt: b.startsAt, code: b.code },
            link: `/bookings/${b.id}`,
            dedupeKey: `${reminder.key}:${b.id}`,
            sms: true,
          },
        })),
        at,
      );
      const last = due.at(-1);
      if (!last || due.length < pageSize) break;
      after = last.id;
    }
  }
  return sent;
}
