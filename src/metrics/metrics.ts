import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { rsaOperations } from '../crypto/rsa.js';
import type { GatewayHook } from '../protocol/hooks.js';
import type { MethodRegistry } from '../protocol/method.js';
import type { Services } from '../services.js';
import type { AttemptRecord } from '../store/outbox.js';
import { joinClusterMetrics } from './cluster.js';

/**
 * Prometheus metrics (prom-client): calls by protocol, method and code, their latency, RSA
 * operations (→ signatures per second), notification attempts and backlog, the database pool.
 * Method labels are limited to the methods the gateway serves, so a client cannot blow up the
 * label space with made-up names.
 *
 * With `serve --workers N` a scrape answers for the whole server (cluster.ts): each metric's
 * values from every worker are merged by its `aggregator`, a sum unless one is given below (or,
 * for the default metrics, in cluster.ts).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #calls: Counter<'protocol' | 'method' | 'code' | 'sub_code'>;
  readonly #latency: Histogram<'protocol'>;
  readonly #attempts: Counter<'outcome' | 'drill'>;
  readonly #log: Logger;

  /** The text GET /metrics answers: this process's registry, the whole server's once joinCluster() ran. */
  scrape: () => Promise<string> = () => this.registry.metrics();

  constructor(
    services: Services,
    private readonly methods: MethodRegistry,
  ) {
    this.#log = services.log;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'aopgate_' });
    this.#calls = new Counter({
      name: 'aopgate_calls_total',
      help: 'Gateway calls by protocol, method and answer code',
      labelNames: ['protocol', 'method', 'code', 'sub_code'],
      registers,
    });
    this.#latency = new Histogram({
      name: 'aopgate_call_duration_seconds',
      help: 'Time from request received to answer ready',
      labelNames: ['protocol'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    new Counter({
      name: 'aopgate_rsa_operations_total',
      help: 'RSA signatures made and verified by this process (rate() gives signatures per second)',
      labelNames: ['operation'],
      registers,
      collect() {
        this.reset();
        this.inc({ operation: 'sign' }, rsaOperations.sign);
        this.inc({ operation: 'verify' }, rsaOperations.verify);
      },
    });
    this.#attempts = new Counter({
      name: 'aopgate_notification_attempts_total',
      help: 'Notification delivery attempts by outcome and drill',
      labelNames: ['outcome', 'drill'],
      registers,
    });
    new Gauge({
      name: 'aopgate_notifications_backlog',
      help: 'Notifications waiting for delivery (PENDING)',
      registers,
      // Every worker counts the same table: summing would multiply it by the workers.
      aggregator: 'max',
      async collect() {
        this.set(await services.store.outbox.count('PENDING'));
      },
    });
    new Gauge({
      name: 'aopgate_db_pool_connections',
      help: 'Database pool connections by state (PostgreSQL only)',
      labelNames: ['state'],
      registers,
      // One pool per worker: the sum is what the server holds against PostgreSQL's
      // max_connections (and every query waiting for a connection, in whichever worker).
      aggregator: 'sum',
      collect() {
        const stats = services.store.poolStats();
        if (!stats) return;
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });
  }

  /** A worker of `serve --workers`: answers the primary's collections, and scrapes aggregate every worker. */
  joinCluster(): void {
    this.scrape = joinClusterMetrics(this.registry, this.#log);
  }

  readonly hook: GatewayHook = {
    name: 'metrics',
    afterRespond: (call, reply) => this.recordCall('v2', call.method, reply.code, reply.subCode, call.startedAt),
  };

  recordCall(protocol: 'v2' | 'v3', method: string | undefined, code: string, subCode: string | undefined, startedAt: bigint): void {
    const known = method !== undefined && this.methods.has(method) ? method : 'other';
    this.#calls.inc({ protocol, method: known, code, sub_code: subCode ?? '' });
    this.#latency.observe({ protocol }, Number(process.hrtime.bigint() - startedAt) / 1e9);
  }

  recordAttempt(a: AttemptRecord): void {
    const outcome = a.accepted ? 'accepted' : a.httpStatus === null ? 'error' : 'refused';
    this.#attempts.inc({ outcome, drill: a.drill ?? 'none' });
  }
}
