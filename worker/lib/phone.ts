/**
 * Masks a mainland mobile number for lists: `13812341234` → `138****1234`.
 * Anything else keeps only its last four characters.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  if (phone.length === 11) return `${phone.slice(0, 3)}****${phone.slice(7)}`;
  return `****${phone.slice(-4)}`;
}

/**
 * Free text with every phone-like number in it masked — a run of digits, spaces and dashes
 * between them too (`138 1234-5678` → `138****5678`): how a search is kept in the audit log.
 */
export function maskNumbers(text: string): string {
  return text.replace(/\d[\d\s-]{3,}\d/g, (run) => maskPhone(run.replace(/[\s-]/g, "")) ?? "");
}
