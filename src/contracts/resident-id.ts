/**
 * Chinese resident identity numbers (GB 11643-1999): 6-digit region, 8-digit birth date,
 * 3-digit sequence, ISO 7064 MOD 11-2 check character. The region is deliberately not checked:
 * the seed's own example (260104…) uses the nonexistent province 26, and region codes change.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

function isPastDate(y: number, m: number, d: number, now: Date): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  return real && y >= 1900 && date.getTime() <= now.getTime();
}

/** 18-character numbers need a real past birth date and the right check character; legacy 15-digit ones a real date. */
export function isValidResidentId(certNo: string, now = new Date()): boolean {
  if (/^\d{17}[\dXx]$/.test(certNo)) {
    const y = Number(certNo.slice(6, 10));
    const m = Number(certNo.slice(10, 12));
    const d = Number(certNo.slice(12, 14));
    return isPastDate(y, m, d, now) && residentIdCheckChar(certNo) === certNo[17]!.toUpperCase();
  }
  if (/^\d{15}$/.test(certNo)) {
    return isPastDate(1900 + Number(certNo.slice(6, 8)), Number(certNo.slice(8, 10)), Number(certNo.slice(10, 12)), now);
  }
  return false;
}
