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

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `25h`, `90s`, `1d12h`, `-2h` → milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^(-)?((?:\d{1,9}[smhd])+)$/.exec(text.trim());
  if (!m) return undefined;
  let total = 0;
  for (const part of m[2]!.matchAll(/(\d+)([smhd])/g)) total += Number(part[1]) * UNIT_MS[part[2]!]!;
  return m[1] ? -total : total;
}

/**
 * The gateway's notion of now: a base clock (the system's, or a test's) plus an offset an
 * operator moves through /admin/clock. Everything time-dependent reads `now`, so session and QR
 * expiry, the timestamp window and the notification schedule move together.
 */
export class GatewayClock {
  #offsetMs: number;
  readonly #listeners: Array<() => void> = [];

  constructor(
    private readonly base: Clock = systemClock,
    offsetMs = 0,
  ) {
    this.#offsetMs = offsetMs;
  }

  readonly now: Clock = () => this.base() + this.#offsetMs;

  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Moves the clock to `ms`, forward or back; listeners (the delivery worker) hear of it. */
  setNow(ms: number): void {
    this.#offsetMs = ms - this.base();
    for (const listener of this.#listeners) listener();
  }

  advance(ms: number): void {
    this.setNow(this.now() + ms);
  }

  reset(): void {
    this.setNow(this.base());
  }

  /**
   * Whether a client's timestamp is within `toleranceMs` of now. While an operator has moved the
   * clock, real time counts too: an unmodified SDK in a CI suite keeps working (docs/ci.md).
   */
  isNear(ms: number, toleranceMs: number): boolean {
    return Math.abs(ms - this.now()) <= toleranceMs || Math.abs(ms - this.base()) <= toleranceMs;
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }
}
