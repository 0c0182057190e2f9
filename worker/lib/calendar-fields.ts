import { z } from "zod";

/**
 * The date and time fields of schedules (slot series, events and their patterns), validated the
 * same everywhere. Pure: the browser's forms import them too.
 */

/** A time of day, "08:30" (00:00–23:59). */
export const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM (00:00–23:59)");

/**
 * A calendar date (YYYY-MM-DD, Asia/Shanghai) within the times a slot may have (2020-09-14 to
 * 2099): past year 9999 date arithmetic stops moving forward, and no slot lies outside it.
 */
export const CalendarDate = z.iso
  .date()
  .refine((d) => d >= "2020-09-14" && d <= "2099-12-31", "Give a date from 2020-09-14 to 2099-12-31");
