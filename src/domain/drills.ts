/**
 * Merchant robustness drills: per app, aopgate deliberately misbehaves the ways Alipay may, so a
 * team can prove its notification handler copes (docs/notifications.md):
 *   duplicate         the same notification (same notify_id and signature) again after `success`;
 *   out-of-order      an app's notifications of one minute delivered newest first;
 *   forged-signature  a copy with a broken signature first, which the merchant must refuse.
 */
export const DRILLS = ['duplicate', 'out-of-order', 'forged-signature'] as const;

export type Drill = (typeof DRILLS)[number];

export const isDrill = (s: string): s is Drill => (DRILLS as readonly string[]).includes(s);

/** Window within which the out-of-order drill reverses an app's notifications. */
export const OUT_OF_ORDER_WINDOW_MS = 60_000;

/**
 * When a notification created at `createdAt` is first due under the out-of-order drill: the
 * window's end plus its mirror image, so the later of two notifications of a window comes first.
 */
export function outOfOrderDue(createdAt: number): number {
  const start = Math.floor(createdAt / OUT_OF_ORDER_WINDOW_MS) * OUT_OF_ORDER_WINDOW_MS;
  const end = start + OUT_OF_ORDER_WINDOW_MS;
  return end + (end - createdAt);
}

/** The signature with one bit flipped: still Base64 of the right length, so only verification can tell. */
export function forgeSignature(sign: string): string {
  const bytes = Buffer.from(sign, 'base64');
  if (bytes.length === 0) return 'AAAA';
  bytes[bytes.length >> 1]! ^= 0x01;
  return bytes.toString('base64');
}
