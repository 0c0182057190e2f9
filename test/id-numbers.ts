// Plain helpers shared by the workerd tests (through factories.ts) and the browser journeys.

/** A well-formed 18-character ID number (valid check character) that no other test uses. */
export function randomIdNumber(birth = "19450101"): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const seq = String(crypto.getRandomValues(new Uint16Array(1))[0] ?? 0)
    .padStart(5, "0")
    .slice(-3);
  const area = String(110000 + ((crypto.getRandomValues(new Uint16Array(1))[0] ?? 0) % 9999)).padStart(6, "0");
  const body = `${area}${birth}${seq}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * (weights[i] ?? 0);
  return `${body}${"10X98765432"[sum % 11]}`;
}
