const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * A random, prefixed, URL-safe id (80 bits of entropy).
 *
 * @example
 * newId("acc") // "acc_5k2m9x…"
 */
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let s = "";
  for (const b of bytes) s += ALPHABET[b & 31];
  return `${prefix}_${s}`;
}

/**
 * Like `newId`, but ids made later sort later: 9 characters of the time in milliseconds, then 55
 * random bits. For tables that grow by many rows a day (bookings, notifications): a random id
 * lands each insert on a random page of the primary-key index, a time-ordered one on its last
 * page, so every insert dirties (and D1 writes back) fewer pages. It tells when the row was made,
 * which those rows show anyway.
 */
export function newSortableId(prefix: string, at = Date.now()): string {
  let time = "";
  let t = Math.floor(at);
  for (let i = 0; i < 9; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(11));
  let s = "";
  for (const b of bytes) s += ALPHABET[b & 31];
  return `${prefix}_${time}${s}`;
}
