import { forgeSignature } from '../domain/drills.js';
import { newHexId } from '../domain/ids.js';
import type { Services } from '../services.js';
import type { AttemptRecord, AttemptResult, OutboxRow } from '../store/outbox.js';
import type { AppRecord } from '../store/store.js';
import { EgressRules } from './egress.js';
import { postForm } from './post.js';
import { nextAttemptAt } from './schedule.js';

/**
 * Delivers the outbox. The table is the queue: rows are claimed with a lease, so several
 * workers (processes, instances) never deliver one row at the same time, and a crash only delays
 * a row until its lease runs out. Claimed rows of one app go one after another (their order is
 * part of the out-of-order drill); apps go side by side, at most `notifyConcurrency` at once.
 */
export class DeliveryWorker {
  readonly #owner = newHexId();
  readonly #egress: EgressRules;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(
    private readonly services: Services,
    /** Sees every attempt once recorded (the metrics). */
    private readonly observe: (attempt: AttemptRecord) => void = () => {},
  ) {
    this.#egress = new EgressRules(services.config.notifyDeny);
  }

  start(): void {
    this.#stopped = false;
    this.services.wakeDelivery = () => this.wake();
    this.services.time.onChange(() => this.wake());
    this.wake();
  }

  /** Finishes the deliveries in flight (each bounded by the timeout) and stops. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.services.wakeDelivery = () => {};
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Look for due rows now rather than at the next poll. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#drain()
      .catch((e: unknown) => this.services.log.error({ err: e }, 'notification delivery failed; retrying at the next poll'))
      .finally(() => {
        this.#running = undefined;
        if (this.#stopped) return;
        if (this.#again) {
          this.#again = false;
          this.wake();
        } else this.#timer = setTimeout(() => this.wake(), this.services.config.notifyPollMs);
      });
  }

  /** Claims and delivers until nothing is due. */
  async #drain(): Promise<void> {
    const { config } = this.services;
    const leaseMs = 3 * config.notifyTimeoutMs + 5000;
    for (;;) {
      if (this.#stopped) return;
      const rows = await this.services.store.outbox.claimDue(this.services.clock(), Date.now(), leaseMs, this.#owner, config.notifyConcurrency * 4);
      if (rows.length === 0) return;
      await this.#deliverAll(rows);
    }
  }

  async #deliverAll(rows: OutboxRow[]): Promise<void> {
    const lanes = new Map<string, OutboxRow[]>();
    for (const row of rows) lanes.set(row.appId, [...(lanes.get(row.appId) ?? []), row]);
    const queue = [...lanes.values()];
    const runLane = async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) for (const row of lane) await this.#deliver(row);
    };
    await Promise.all(Array.from({ length: Math.min(this.services.config.notifyConcurrency, queue.length) }, runLane));
  }

  /** One claimed row: its drills around one genuine attempt, then its next state, recorded together. */
  async #deliver(row: OutboxRow): Promise<void> {
    const app = await this.services.store.getApp(row.appId);
    const drills = new Set(app?.drills ?? []);
    const attempts: AttemptRecord[] = [];
    if (row.attempts === 0 && drills.has('forged-signature')) {
      attempts.push(await this.#attempt(row, { ...row.payload, sign: forgeSignature(row.payload.sign ?? '') }, 'forged-signature'));
    }
    const genuine = await this.#attempt(row, row.payload, null);
    attempts.push(genuine);
    if (genuine.accepted && drills.has('duplicate')) attempts.push(await this.#attempt(row, row.payload, 'duplicate'));
    const finished = await this.services.store.outbox.finish(row.id, this.#owner, this.#resultOf(row, genuine), attempts);
    if (!finished) this.services.log.warn({ notification_id: row.id }, 'notification changed while delivering (reset or lease lost); attempt not recorded');
    this.#log(row, app, attempts);
    for (const a of attempts) this.observe(a);
  }

  #resultOf(row: OutboxRow, genuine: AttemptRecord): AttemptResult {
    const attempts = row.attempts + 1;
    if (genuine.accepted) return { status: 'DELIVERED', attempts, nextAttemptAt: row.nextAttemptAt, deliveredAt: genuine.attemptedAt };
    if (attempts >= row.maxAttempts) return { status: 'FAILED', attempts, nextAttemptAt: row.nextAttemptAt, deliveredAt: null };
    return { status: 'PENDING', attempts, nextAttemptAt: nextAttemptAt(attempts, genuine.attemptedAt), deliveredAt: null };
  }

  async #attempt(row: OutboxRow, payload: Record<string, string>, drill: string | null): Promise<AttemptRecord> {
    const attemptedAt = this.services.clock();
    const base = { id: newHexId(), notificationId: row.id, appId: row.appId, attemptedAt, drill };
    let url: URL;
    try {
      url = new URL(row.url);
    } catch {
      return { ...base, httpStatus: null, responseHead: null, error: 'notify URL is not a URL', latencyMs: 0, accepted: false };
    }
    const destination = await this.#egress.resolve(url);
    if (!destination.ok) return { ...base, httpStatus: null, responseHead: null, error: destination.reason, latencyMs: 0, accepted: false };
    const result = await postForm(url, new URLSearchParams(payload).toString(), destination, this.services.config.notifyTimeoutMs);
    if ('error' in result) return { ...base, httpStatus: null, responseHead: null, error: result.error, latencyMs: result.latencyMs, accepted: false };
    // Alipay stops retrying only on the exact seven characters (docs/notifications.md).
    const accepted = result.status >= 200 && result.status < 300 && result.head === 'success';
    return { ...base, httpStatus: result.status, responseHead: result.head, error: null, latencyMs: result.latencyMs, accepted };
  }

  #log(row: OutboxRow, app: AppRecord | undefined, attempts: AttemptRecord[]) {
    for (const a of attempts) {
      this.services.log.info(
        {
          notification_id: row.id,
          app_id: app?.appId ?? row.appId,
          drill: a.drill,
          http_status: a.httpStatus,
          error: a.error,
          accepted: a.accepted,
          latency_ms: a.latencyMs,
        },
        'notification attempt',
      );
    }
  }
}
