/**
 * Masks a mainland mobile number for lists: `13812341234` → `138****1234`.
 * Anything else keeps only its last four characters.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  if (phone.length === 11) return `${phone.slice(0, 3)}****${phone.slice(7)}`;
  return `****${phone.slice(-4)}`;
}
