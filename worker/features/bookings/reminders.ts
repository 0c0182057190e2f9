import { and, eq, gt, inArray, lte, not, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db";
import { bookings, offerings, outbox, persons, slots } from "../../../db/schema";
import { runBatch } from "../../lib/batch";
import { shanghaiDate, shanghaiTime } from "../../lib/shanghai";
import { HOUR } from "../../lib/time";
import { noticeInserts } from "../notifications/notifications.queries";
import { audienceColumns, audienceOf, phoneTexts } from "./bookings.queries";

/** Reminder kinds: how long before the start each is due. */
export const REMINDERS = [
  { key: "reminder-24h", lead: 24 * HOUR },
  { key: "reminder-2h", lead: 2 * HOUR },
] as const;

/**
 * "12月03日（今天）14:00" or "12月03日（明天）08:30" (Asia/Shanghai): with the date, because the
 * text is kept — in the inbox, and on the phone as an SMS that may arrive after midnight — and
 * "明天" alone would point a day late when read the next day.
 */
function when(startsAt: number, at: number): string {
  const day = shanghaiDate(startsAt) === shanghaiDate(at) ? "今天" : "明天";
  return `${shanghaiDate(startsAt).slice(5).replace("-", "月")}日（${day}）${shanghaiTime(startsAt)}`;
}

/**
 * A reminder's text: the check-in code when the booking is confirmed; a booking still waiting for
 * the service's confirmation (a home visit not yet accepted) is told so, and gets no code.
 */
function reminderBody(
  b: { personName: string; title: string; startsAt: number; code: string; status: string },
  at: number,
) {
  const tail = b.status === "pending" ? "，预约尚待服务机构确认。" : `，签到码 ${b.code}。`;
  return `${b.personName}：${when(b.startsAt, at)}“${b.title}”${tail}`;
}

/** Why a reminder waiting to be sent again was not: its booking changed since it was queued. */
export const REMINDER_OUTDATED = "outdated: the booking was cancelled or moved";

/**
 * Stops the reminder texts still waiting to be sent (a provider's failure puts them back in the
 * queue for minutes) of the bookings `where` selects (over `bookings`): for the batch that cancels
 * them or moves their slot, guarded by `where` itself, so nobody gets "签到码 …" for a service
 * that was called off, or the old time after the new one. A moved slot's reminders are sent
 * anew, keyed by the new start, by the next run of `sendReminders`. A reminder text is the
 * notice's own (`msg_` and the notice id without its `ntf_`; the notice links to the booking) or,
 * for a person told only by text, `msg_` and the reminder's key. Only queued messages are read:
 * the queue is short (`outbox_due_idx`).
 */
export function dropQueuedReminders(db: Db, where: SQL) {
  const kinds = REMINDERS.flatMap((r) => [r.key, `${r.key}:pending`]);
  return db
    .update(outbox)
    .set({ status: "failed", dueAt: null, error: REMINDER_OUTDATED })
    .where(
      and(
        eq(outbox.status, "queued"),
        // Word for word the condition of outbox_due_idx, so SQLite reads that index (the queue).
        sql`${outbox.status} IN ('queued', 'sending')`,
        inArray(outbox.template, kinds),
        sql`EXISTS (SELECT 1 FROM ${bookings} WHERE ${where} AND (
          EXISTS (SELECT 1 FROM notifications n WHERE n.id = 'ntf_' || substr(${outbox.id}, 5)
                    AND n.link = '/bookings/' || ${bookings.id})
          OR ${outbox.id} LIKE 'msg_reminder-%:' || ${bookings.id} || ':%'))`,
      ),
    );
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
    // Keyed by the slot's start too: a slot moved after its reminders went out is reminded anew.
    const key = sql`${`${reminder.key}:`} || ${bookings.id} || ':' || ${slots.startsAt}`;
    // Sent when the first recipient's copy is there (the unique (account, dedupe key) index) or,
    // for a person told only by text, their message (its id is the key).
    // (Also the key without the start, as reminders were keyed until 2026-11-29: not sent twice.)
    const alreadySent = sql`(EXISTS (SELECT 1 FROM notifications n
        WHERE n.account_id = coalesce(${audience.personAccountId.getSQL()}, ${audience.proxyAccountId.getSQL()})
          AND n.dedupe_key IN (${key}, ${`${reminder.key}:`} || ${bookings.id}))
      OR EXISTS (SELECT 1 FROM ${outbox} m WHERE m.id = 'msg_' || ${key}))`;
    for (let after = ""; ; ) {
      const due = await db
        .select({
          id: bookings.id,
          ...audience,
          personName: persons.name,
          code: bookings.code,
          status: bookings.status,
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
      const notice = (b: (typeof due)[number]) => ({
        kind: reminder.key,
        title: "服务提醒",
        body: reminderBody(b, at),
        params:
          b.status === "pending"
            ? { person: b.personName, offering: b.title, startsAt: b.startsAt, status: b.status }
            : { person: b.personName, offering: b.title, startsAt: b.startsAt, code: b.code },
        dedupeKey: `${reminder.key}:${b.id}:${b.startsAt}`,
        sms: true,
      });
      // Each booking's statements — its inbox notices (and their texts), and a text to the
      // person's own mobile when they have no account — go in the same batch, so neither can be
      // written without the other.
      const perBooking = due.map((b) => {
        const n = notice(b);
        return {
          inbox: noticeInserts(db, [{ to: audienceOf(b), notice: { ...n, link: `/bookings/${b.id}` } }], at),
          // Only a person without an account can be texted at their own number.
          text:
            b.personAccountId === null
              ? [
                  phoneTexts(
                    db,
                    sql`${bookings.id} = ${b.id}`,
                    { kind: n.kind, body: n.body, params: n.params ?? null, dedupeKey: sql`${n.dedupeKey}` },
                    at,
                    b.startsAt,
                  ),
                ]
              : [],
        };
      });
      for (let i = 0; i < perBooking.length; i += 30) {
        const chunk = perBooking.slice(i, i + 30);
        const inboxCount = chunk.reduce((n, c) => n + c.inbox.length, 0);
        const results = await runBatch(db, [...chunk.flatMap((c) => c.inbox), ...chunk.flatMap((c) => c.text)]);
        // The inbox inserts (first in the batch) answer the rows they wrote (none for a repeated key).
        for (const rows of results.slice(0, inboxCount)) sent += (rows as unknown[]).length;
      }
      const last = due.at(-1);
      if (!last || due.length < pageSize) break;
      after = last.id;
    }
  }
  return sent;
}
