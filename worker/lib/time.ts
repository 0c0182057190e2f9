export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Current time in UTC epoch milliseconds; the one clock the worker reads. */
export function now(): number {
  return Date.now();
}
