/** Asia/Shanghai is UTC+8 all year (no daylight saving). */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The local date (YYYY-MM-DD) in Shanghai at `at` (UTC epoch ms). */
export function shanghaiDate(at: number): string {
  return new Date(at + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The local time of day (HH:MM) in Shanghai at `at` (UTC epoch ms). */
export function shanghaiTime(at: number): string {
  return new Date(at + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}

/** UTC epoch ms of a Shanghai local date and time ("2026-12-01", "08:30"). */
export function fromShanghai(date: string, time: string): number {
  return Date.parse(`${date}T${time}:00+08:00`);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a YYYY-MM-DD date. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Whole years between a birth date and a Shanghai local date. */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number);
  const [y, m, d] = onDate.split("-").map(Number);
  let age = (y ?? 0) - (by ?? 0);
  if ((m ?? 0) < (bm ?? 0) || ((m ?? 0) === (bm ?? 0) && (d ?? 0) < (bd ?? 0))) age--;
  return age;
}

/** "12月03日 08:30" (Asia/Shanghai): how notices and text messages say when a service is. */
export function formatWhen(at: number): string {
  return `${shanghaiDate(at).slice(5).replace("-", "月")}日 ${shanghaiTime(at)}`;
}
