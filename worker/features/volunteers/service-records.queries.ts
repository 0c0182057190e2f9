import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db";
import { slots, volunteerServiceRecords } from "../../../db/schema";
import { AUTO_CLOSE_AFTER_MS } from "./service-records.schema";

/** One statement closing check-ins left open for `AUTO_CLOSE_AFTER_MS`: at the shift's end (at most 12 hours on), flagged. */
export function autoCloseStatement(db: Db, at: number) {
  const end = sql`min(${volunteerServiceRecords.startedAt} + ${AUTO_CLOSE_AFTER_MS},
    max(${volunteerServiceRecords.startedAt}, coalesce((SELECT ${slots.endsAt} FROM ${slots} WHERE ${slots.id} = ${volunteerServiceRecords.slotId}), ${volunteerServiceRecords.startedAt} + ${AUTO_CLOSE_AFTER_MS})))`;
  return db
    .update(volunteerServiceRecords)
    .set({
      status: "pending",
      autoClosed: true,
      flagged: true,
      endedAt: end,
      minutes: sql`(${end} - ${volunteerServiceRecords.startedAt}) / 60000`,
      updatedAt: at,
    })
    .where(
      and(
        eq(volunteerServiceRecords.status, "open"),
        sql`${volunteerServiceRecords.startedAt} <= ${at - AUTO_CLOSE_AFTER_MS}`,
      ),
    );
}
