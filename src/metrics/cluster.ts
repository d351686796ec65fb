import type { Worker } from 'node:cluster';
import { AggregatorRegistry, type Aggregator, type Registry } from 'prom-client';
import type { Logger } from 'pino';

/**
 * GET /metrics with `serve --workers N`: the worker that takes the scrape asks the primary
 * (`metrics`), the primary asks every worker that serves for its registry as prom-client JSON
 * (`metrics-collect` → `metrics-collected`), merges them with prom-client's
 * `AggregatorRegistry.aggregate` and answers the text (`metrics-aggregated`).
 *
 * Not `AggregatorRegistry.clusterMetrics()`: it asks every connected worker, also one still
 * starting (which cannot answer yet, so every scrape while a worker starts or is replaced would
 * fail after its fixed 5 s), keeps a failed request in its map for good, and needs the module-wide
 * `setRegistries` plus a listener installed as a side effect of a constructor. The primary loads
 * this module (and so prom-client) on the first scrape only.
 */

type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** The IPC messages of the above (kinds of runtime.ts's PeerMessage). */
export type MetricsMessage =
  /** worker → primary: a scrape to answer for the whole server */
  | { aopgate: 'metrics'; id: number }
  /** primary → every serving worker */
  | { aopgate: 'metrics-collect'; id: number }
  | { aopgate: 'metrics-collected'; id: number; metrics: MetricsJson }
  | { aopgate: 'metrics-collected'; id: number; error: string }
  /** primary → the worker that asked; `missing` workers did not answer in time and are left out */
  | { aopgate: 'metrics-aggregated'; id: number; text: string; missing: number }
  | { aopgate: 'metrics-aggregated'; id: number; error: string };

type Aggregated = Extract<MetricsMessage, { aopgate: 'metrics-aggregated' }>;

/** The longest a scrape waits for the primary; then the worker answers with its own metrics (and warns). */
export const SCRAPE_TIMEOUT_MS = 2000;
/** The longest the primary waits for one worker: less than the above, so a stuck worker costs its share, not the scrape. */
const COLLECT_TIMEOUT_MS = 1500;

/**
 * How the workers' values of one metric become one. prom-client sums unless a metric says
 * otherwise, which is right for the counters and histograms (calls, latency, RSA operations,
 * notification attempts, CPU seconds, GC) and for the memory, heap, handle and request gauges
 * (the server's footprint is the sum of its processes'). prom-client's own choices stand for the
 * event-loop lag (average, min, max) and `nodejs_version_info` (first: every worker runs the same
 * node). Our gauges say theirs where they are declared (metrics.ts: the backlog is one table, so
 * `max`; the pools are one per worker, so summed). Default metrics whose sum means nothing:
 */
const DEFAULT_METRIC_AGGREGATORS: Readonly<Record<string, Aggregator>> = {
  // prom-client omits it. The latest worker start instead: the summed counters are continuous
  // since then (a worker that dies takes its counts with it), so `time() - …` is their age.
  aopgate_process_start_time_seconds: 'max',
  // The descriptor limit is per process: N limits summed is no limit, and N workers' descriptors
  // summed against one limit would invent an exhaustion. Both: the worst worker.
  aopgate_process_max_fds: 'max',
  aopgate_process_open_fds: 'max',
};

/**
 * A worker's half: answers the primary's `metrics-collect` with its registry, and returns what
 * GET /metrics answers: the primary's aggregate, or this worker's own metrics (with a warning)
 * when the primary does not answer within SCRAPE_TIMEOUT_MS, so a scrape never hangs.
 */
export function joinClusterMetrics(registry: Registry, log: Logger): () => Promise<string> {
  const waiting = new Map<number, (m: Aggregated) => void>();
  let next = 0;
  // Never throws nor emits 'error' on process (which would end the worker) when the primary is gone.
  const send = (m: MetricsMessage, failed?: (e: Error) => void) => {
    if (!process.connected || !process.send) return failed?.(new Error('no IPC channel to the primary'));
    process.send(m, (e: Error | null) => e && failed?.(e));
  };
  process.on('message', (m: MetricsMessage) => {
    if (m?.aopgate === 'metrics-collect')
      void registry.getMetricsAsJSON().then(
        (metrics) => send({ aopgate: 'metrics-collected', id: m.id, metrics }),
        (e: unknown) => send({ aopgate: 'metrics-collected', id: m.id, error: e instanceof Error ? e.message : String(e) }),
      );
    if (m?.aopgate === 'metrics-aggregated') waiting.get(m.id)?.(m);
  });
  return () =>
    new Promise<string>((resolve) => {
      const id = next++;
      const done = (m: Aggregated) => {
        clearTimeout(timer);
        waiting.delete(id);
        if ('text' in m) {
          if (m.missing > 0) log.warn({ missing: m.missing }, 'metrics: workers that did not answer in time are left out of this scrape');
          return resolve(m.text);
        }
        log.warn({ error: m.error }, "metrics: no aggregate from the primary; this scrape has this worker's metrics only");
        resolve(registry.metrics());
      };
      const timer = setTimeout(() => done({ aopgate: 'metrics-aggregated', id, error: `no answer within ${SCRAPE_TIMEOUT_MS} ms` }), SCRAPE_TIMEOUT_MS);
      waiting.set(id, done);
      send({ aopgate: 'metrics', id }, (e) => done({ aopgate: 'metrics-aggregated', id, error: e.message }));
    });
}

let collections = 0;

/**
 * The primary's half, for a `metrics` request from `from`: collects the registries of `serving`
 * (the workers that listen; one still starting has nothing counted yet), aggregates those that
 * answered and sends the text back, or an error (then `from` answers with its own metrics).
 */
export async function answerScrape(from: Worker, id: number, serving: readonly Worker[]): Promise<void> {
  let answer: Aggregated;
  try {
    const collected = await Promise.all(serving.map((w) => collect(w, collections++)));
    const got = collected.filter((m): m is MetricsJson => m !== undefined);
    if (got.length === 0) throw new Error('no worker answered');
    const text = await AggregatorRegistry.aggregate(got.map(withAggregators)).metrics();
    answer = { aopgate: 'metrics-aggregated', id, text, missing: serving.length - got.length };
  } catch (e) {
    answer = { aopgate: 'metrics-aggregated', id, error: e instanceof Error ? e.message : String(e) };
  }
  if (from.isConnected()) from.send(answer satisfies MetricsMessage, () => {});
}

/** Collections waiting for a worker's answer, by id (one per worker and scrape). */
const pending = new Map<number, { worker: Worker; finish: (metrics?: MetricsJson) => void }>();
/** Workers whose answers are routed to `pending` (one listener each, however many scrapes run at once). */
const hooked = new WeakSet<Worker>();

/** One worker's registry, or undefined when it fails, leaves or does not answer in time. */
function collect(worker: Worker, id: number): Promise<MetricsJson | undefined> {
  if (!hooked.has(worker)) {
    hooked.add(worker);
    worker.on('message', (m: MetricsMessage) => {
      if (m?.aopgate === 'metrics-collected') pending.get(m.id)?.finish('metrics' in m ? m.metrics : undefined);
    });
    worker.once('disconnect', () => {
      for (const p of pending.values()) if (p.worker === worker) p.finish();
    });
  }
  return new Promise((resolve) => {
    const finish = (metrics?: MetricsJson) => {
      clearTimeout(timer);
      pending.delete(id);
      resolve(metrics);
    };
    const timer = setTimeout(() => finish(), COLLECT_TIMEOUT_MS);
    pending.set(id, { worker, finish });
    if (!worker.isConnected()) return finish();
    worker.send({ aopgate: 'metrics-collect', id } satisfies MetricsMessage, (e) => e && finish());
  });
}

const withAggregators = (metrics: MetricsJson): MetricsJson =>
  metrics.map((m) => {
    const aggregator = DEFAULT_METRIC_AGGREGATORS[m.name];
    return aggregator ? { ...m, aggregator } : m;
  });
