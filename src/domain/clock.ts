/** Wall-clock in epoch milliseconds; injected so tests can move time without sleeping. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** `yyyy-MM-dd HH:mm:ss` read as Asia/Shanghai (UTC+8, no DST since 1991), or undefined when malformed. */
export function parseShanghaiTimestamp(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  const exact = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  return exact ? utc - SHANGHAI_OFFSET_MS : undefined;
}

/** Epoch ms → `yyyy-MM-dd HH:mm:ss` in Asia/Shanghai, the format of every Alipay timestamp. */
export function formatShanghaiTimestamp(ms: number): string {
  const iso = new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
