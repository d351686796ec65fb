import { formatShanghaiTimestamp, GatewayClock, parseDuration, parseShanghaiTimestamp, type Clock } from './clock.js';
import type { Store } from '../store/store.js';

/** Where the offset lives, so a restarted gateway keeps the time its tests moved it to. */
const OFFSET_KEY = 'clock_offset_ms';

/**
 * This process's writes of each clock's offset: how many finished, how many are in flight. A
 * syncClock read that overlapped one of them may hold the old value and is dropped, so it never
 * undoes the move just made.
 */
const writes = new WeakMap<GatewayClock, { done: number; inFlight: number }>();
const writesOf = (clock: GatewayClock) => writes.get(clock) ?? writes.set(clock, { done: 0, inFlight: 0 }).get(clock)!;

/** The clock with the offset stored by an earlier run. */
export async function restoreClock(store: Store, base?: Clock): Promise<GatewayClock> {
  const stored = Number(await store.getSetting(OFFSET_KEY));
  return new GatewayClock(base, Number.isFinite(stored) ? stored : 0);
}

/** One clock command, as POST /admin/clock and `aopgate clock` take it. */
export type ClockCommand = { advance: string } | { set: string } | { reset: true };

export class ClockCommandError extends Error {}

/** Applies a command and stores the new offset; answers the new time as Alipay writes timestamps. */
export async function moveClock(store: Store, clock: GatewayClock, command: unknown): Promise<string> {
  const c = (typeof command === 'object' && command !== null ? command : {}) as Record<string, unknown>;
  if (typeof c.advance === 'string') {
    const ms = parseDuration(c.advance);
    if (ms === undefined) throw new ClockCommandError('advance must be a duration such as 90s, 25h or 1d12h (units s, m, h, d)');
    clock.advance(ms);
  } else if (typeof c.set === 'string') {
    const at = parseShanghaiTimestamp(c.set);
    if (at === undefined) throw new ClockCommandError('set must be "yyyy-MM-dd HH:mm:ss" (Asia/Shanghai)');
    clock.setNow(at);
  } else if (c.reset === true) {
    clock.reset();
  } else if (Object.keys(c).length > 0) {
    throw new ClockCommandError('expected {"advance":"25h"}, {"set":"yyyy-MM-dd HH:mm:ss"} or {"reset":true}');
  }
  const w = writesOf(clock);
  w.inFlight++;
  try {
    await store.putSetting(OFFSET_KEY, String(clock.offsetMs));
  } finally {
    w.inFlight--;
    w.done++;
  }
  return formatShanghaiTimestamp(clock.now());
}

/**
 * Adopts the offset another process stored (several workers or instances share one database):
 * each moves its clock within one probe interval of a POST /admin/clock served by another.
 */
export async function syncClock(store: Store, clock: GatewayClock): Promise<void> {
  const w = writesOf(clock);
  const doneBefore = w.done;
  if (w.inFlight > 0) return;
  const stored = Number(await store.getSetting(OFFSET_KEY));
  if (w.inFlight > 0 || w.done !== doneBefore || !Number.isFinite(stored) || stored === clock.offsetMs) return;
  clock.setNow(clock.now() - clock.offsetMs + stored);
}
