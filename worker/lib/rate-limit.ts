import { sql } from "drizzle-orm";
import type { Db } from "../../db";

/**
 * Counts one hit against a fixed-window limit in a single conditional upsert, so concurrent
 * requests cannot slip past it. Returns false when the limit is already reached.
 *
 * @example
 * if (!(await hit(db, `otp:ip:${ip}`, HOUR, 30, now()))) throw new ApiError("RATE_LIMITED", "…");
 */
export async function hit(db: Db, key: string, windowMs: number, limit: number, at: number): Promise<boolean> {
  const windowStart = Math.floor(at / windowMs) * windowMs;
  const rows = await db.all<{ count: number }>(sql`
    INSERT INTO rate_limits (key, window_start, count) VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 WHERE count < ${limit}
    RETURNING count`);
  return rows.length === 1;
}

/** Seconds until the fixed window containing `at` ends. */
export function secondsLeftInWindow(windowMs: number, at: number): number {
  return Math.ceil((windowMs - (at % windowMs)) / 1000);
}
