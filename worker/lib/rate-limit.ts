import { sql } from "drizzle-orm";
import type { Db } from "../../db";
import { SHANGHAI_OFFSET_MS } from "./shanghai";

/**
 * Counts one hit against a fixed-window limit in a single conditional upsert, so concurrent
 * requests cannot slip past it. Returns false when the limit is already reached.
 *
 * @example
 * if (!(await hit(db, `otp:ip:${ip}`, HOUR, 30, now()))) throw new ApiError("RATE_LIMITED", "…");
 */
export async function hit(db: Db, key: string, windowMs: number, limit: number, at: number): Promise<boolean> {
  const windowStart = windowStartOf(windowMs, at);
  const rows = await db.all<{ count: number }>(sql`
    INSERT INTO rate_limits (key, window_start, count) VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 WHERE count < ${limit}
    RETURNING count`);
  return rows.length === 1;
}

/** Seconds until the fixed window containing `at` ends. */
export function secondsLeftInWindow(windowMs: number, at: number): number {
  return Math.ceil((windowStartOf(windowMs, at) + windowMs - at) / 1000);
}

/**
 * Where the fixed window containing `at` starts, counted on Beijing time: a day's window is a
 * Beijing day ("10 a day" restarts at local midnight, not at 08:00); hours and minutes line up
 * the same either way.
 */
function windowStartOf(windowMs: number, at: number): number {
  return Math.floor((at + SHANGHAI_OFFSET_MS) / windowMs) * windowMs - SHANGHAI_OFFSET_MS;
}
