/**
 * Alipay's retry schedule for a notification the merchant did not answer `success`: the first
 * attempt at once, then after 4m, 10m, 10m, 1h, 2h, 6h and 15h (8 attempts in about 25 hours;
 * docs/alipay-openapi-v2.md §8). Each interval counts from the attempt before.
 */
export const RETRY_INTERVALS_MS: readonly number[] = [4, 10, 10, 60, 120, 360, 900].map((minutes) => minutes * 60_000);

export const MAX_ATTEMPTS = RETRY_INTERVALS_MS.length + 1;

/** When attempt number `attempts + 1` is due after attempt number `attempts` (1-based) at `at`. */
export function nextAttemptAt(attempts: number, at: number): number {
  const interval = RETRY_INTERVALS_MS[Math.min(attempts, RETRY_INTERVALS_MS.length) - 1] ?? RETRY_INTERVALS_MS[0]!;
  return at + interval;
}
