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
