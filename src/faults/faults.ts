import { createHash, randomUUID } from 'node:crypto';
import { CODE_MSG, type AlipayCode, type AlipayError } from '../errors/alipay-error.js';
import { GatewayErrors as E } from '../errors/gateway-errors.js';
import type { GatewayCall } from '../protocol/call.js';
import type { GatewayHook } from '../protocol/hooks.js';
import type { Services } from '../services.js';
import type { FaultRule } from '../store/faults.js';

/** Rules are re-read at most this often, so `aopgate faults add` reaches a running server quickly. */
const RELOAD_MS = 1000;

/** mulberry32: a tiny PRNG, so a seeded test run draws the same numbers every time. */
function seededRandom(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A rule as the admin API and the CLI describe it; defaults fill the rest. */
export interface FaultSpec {
  app_id?: string | null;
  method?: string | null;
  code?: string;
  sub_code?: string;
  sub_msg?: string;
  latency_ms?: number;
  drop?: boolean;
  probability?: number;
  count?: number | null;
}

export class FaultSpecError extends Error {}

/** Validates a spec into a rule: an answer (default 20000 isp.unknow-error), a pure delay, or a dropped connection. */
export function ruleFromSpec(spec: FaultSpec, source: FaultRule['source'], now: number): FaultRule {
  const probability = spec.probability ?? 1;
  if (!(probability > 0 && probability <= 1)) throw new FaultSpecError('probability must be in (0, 1]');
  const count = spec.count ?? null;
  if (count !== null && !(Number.isInteger(count) && count > 0)) throw new FaultSpecError('count must be a positive integer');
  const latencyMs = spec.latency_ms ?? 0;
  if (!(Number.isInteger(latencyMs) && latencyMs >= 0 && latencyMs <= 600_000)) throw new FaultSpecError('latency_ms must be 0 to 600000');
  const code = spec.code ?? E.unknownError.code;
  if (!(code in CODE_MSG) || code === '10000')
    throw new FaultSpecError(
      `code must be one of ${Object.keys(CODE_MSG)
        .filter((c) => c !== '10000')
        .join(', ')}`,
    );
  const action = spec.drop ? 'drop' : spec.code === undefined && spec.sub_code === undefined && latencyMs > 0 ? 'delay' : 'answer';
  return {
    id: randomUUID(),
    appId: spec.app_id || null,
    method: spec.method || null,
    action,
    code,
    subCode: spec.sub_code ?? (code === E.unknownError.code ? E.unknownError.subCode : 'isp.fault-injected'),
    subMsg: spec.sub_msg ?? (code === E.unknownError.code ? E.unknownError.subMsg : '故障注入'),
    latencyMs,
    probability,
    remaining: count,
    source,
    createdAt: now,
  };
}

/**
 * Fault injection as a beforeDispatch hook: a verified call matching a rule (app and/or method)
 * is, with the rule's probability and while it has uses left, delayed, answered with the rule's
 * code (signed, as any answer to a known app), or its connection dropped (`call.drop`).
 */
export class FaultInjector {
  #rules: FaultRule[] = [];
  #loadedAt = -Infinity;
  readonly #random: () => number;

  constructor(private readonly services: Services) {
    this.#random = services.config.faultSeed ? seededRandom(services.config.faultSeed) : Math.random;
  }

  readonly hook: GatewayHook = { name: 'faults', beforeDispatch: (call) => this.#apply(call) };

  /** The next reload reads the table (after an admin change). */
  invalidate(): void {
    this.#loadedAt = -Infinity;
  }

  async #rulesNow(): Promise<FaultRule[]> {
    if (Date.now() - this.#loadedAt > RELOAD_MS) {
      this.#rules = await this.services.store.faults.list();
      this.#loadedAt = Date.now();
    }
    return this.#rules;
  }

  async #apply(call: GatewayCall): Promise<AlipayError | undefined> {
    const rules = await this.#rulesNow();
    if (rules.length === 0) return undefined;
    for (const rule of rules) {
      if ((rule.appId && rule.appId !== call.appId) || (rule.method && rule.method !== call.method)) continue;
      if (this.#random() >= rule.probability) continue;
      if (rule.remaining !== null && !(await this.services.store.faults.consume(rule.id))) continue;
      if (rule.remaining !== null) this.invalidate();
      if (rule.latencyMs > 0) await new Promise((r) => setTimeout(r, rule.latencyMs));
      if (rule.action === 'delay') return undefined;
      if (rule.action === 'drop') call.drop = true;
      return { code: rule.code, msg: CODE_MSG[rule.code as AlipayCode], subCode: rule.subCode, subMsg: rule.subMsg };
    }
    return undefined;
  }
}
