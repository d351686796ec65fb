import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { DemoApp } from '../demo.js';
import type { PeerMessage } from '../runtime.js';

interface ServeFlags {
  port?: string | undefined;
  host?: string | undefined;
  data?: string | undefined;
  demo?: boolean | undefined;
  seed?: string | undefined;
  workers?: string | undefined;
}

/** Set on the first worker of `--workers N`: it prepares the database (migrate, seed, keys, CA, demo app). */
const PREPARER_ENV = 'AOPGATE_SERVE_PREPARER';

/**
 * What a worker tells the primary once it listens; the preparing worker adds what the primary
 * prints (the demo snippets need the platform public key).
 */
interface ListeningMessage {
  listening: string;
  prepared?: { demo: DemoApp | undefined; publicKeyPem: string };
}

export async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      demo: { type: 'boolean' },
      seed: { type: 'string' },
      workers: { type: 'string' },
    },
  });
  // `--workers N`: the worker that prepares the database is forked before this process loads even
  // the config schema. The first sight mirrors loadConfig's reading of `workers` (flag, then
  // AOPGATE_WORKERS, then one per core); the worker keeps quiet about an invalid configuration,
  // which this process reports (and then ends the worker).
  const preparer = cluster.isPrimary && preforks(values.workers) ? cluster.fork({ [PREPARER_ENV]: '1' }) : undefined;
  const { loadConfig } = await import('../config.js');
  let config: Config;
  try {
    config = loadConfig({ port: values.port, host: values.host, dataDir: values.data, seed: values.seed, workers: values.workers });
  } catch (e) {
    preparer?.process.kill('SIGKILL');
    if (!cluster.isWorker) throw e;
    cluster.worker?.disconnect();
    return 2;
  }
  if (config.workers > 1 && cluster.isPrimary) return primary(values, config, preparer);
  preparer?.process.kill('SIGKILL'); // not reached: the first sight and loadConfig agree
  if (!cluster.isWorker) return single(values, 'alone');
  try {
    return await single(values, process.env[PREPARER_ENV] === '1' ? 'preparer' : 'worker');
  } catch (e) {
    // A worker that cannot start leaves the cluster and exits with the code main() gives the
    // error (process.disconnect() would exit 0 at once); the primary sees it.
    cluster.worker?.disconnect();
    throw e;
  }
}

/** Whether `serve` will run workers, as loadConfig will decide it from the same flag and environment. */
function preforks(flag: string | undefined): boolean {
  const env = process.env.AOPGATE_WORKERS;
  const n = Number(flag ?? (env !== undefined && env !== '' ? env : availableParallelism()));
  return Number.isInteger(n) && n >= 2 && n <= 64;
}

/**
 * One process serving, or one worker of several: the first (`preparer`) migrates, seeds, makes
 * the keys, the CA and the demo app like a single process does, and the primary forks the
 * others (`worker`) only once it listens, so they find everything made.
 */
async function single(values: ServeFlags, role: 'alone' | 'preparer' | 'worker'): Promise<number> {
  const { startGateway } = await import('../runtime.js');
  const gateway = await startGateway({ port: values.port, host: values.host, dataDir: values.data, seed: role === 'worker' ? '' : values.seed });
  const { services } = gateway;
  const demoJs = values.demo && role !== 'worker' ? await import('../demo.js') : undefined;
  const demo = demoJs && (await demoJs.ensureDemoApp(services));
  if (role === 'alone') {
    if (demoJs && demo) demoJs.printDemoSnippets(demo, gateway.url, services.platform.publicKeyPem);
    services.log.info(
      { url: gateway.url, data_dir: services.config.dataDir, backend: services.config.databaseUrl ? 'postgres' : 'sqlite' },
      'aopgate listening',
    );
  } else {
    const prepared = role === 'preparer' ? { demo, publicKeyPem: services.platform.publicKeyPem } : undefined;
    process.send?.({ listening: gateway.url, ...(prepared && { prepared }) } satisfies ListeningMessage);
  }
  const stop = async (signal: string) => {
    services.log.info({ signal }, 'shutting down');
    await gateway.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {}); // serve until signalled
}

/**
 * `--workers N`: forks one worker that prepares the database (migrate, seed, keys and CA, so every
 * worker signs with the same certificate) and serves, and once it listens the other N−1 sharing
 * the port. The primary itself loads no more than its logger: it prints the demo snippets and the
 * 'aopgate listening' line, relays admin changes between workers, aggregates their metrics for
 * GET /metrics (prom-client loaded on the first scrape), replaces one that dies, and on
 * SIGTERM lets each drain before exiting 0. A first worker that fails to prepare ends the start
 * with its exit code (it printed why, as `serve` alone does).
 */
async function primary(values: ServeFlags, config: Config, preparer: Worker | undefined): Promise<number> {
  const { workers } = config;
  let prepared = false;
  let stopping = false;
  let announced = false;
  let failed: (code: number) => void = () => {};
  const outcome = new Promise<number>((resolve) => (failed = resolve));
  const listening = new WeakSet<Worker>();
  const fork = () => adopt(cluster.fork({ [PREPARER_ENV]: '' }));
  const adopt = (worker: Worker) =>
    worker.on('message', function (this: Worker, m: Partial<ListeningMessage> & Partial<PeerMessage>) {
      if (m.aopgate === 'changed') return relayChange(this, m as PeerMessage & { aopgate: 'changed' });
      if (m.aopgate === 'metrics') return relayScrape(this, (m as PeerMessage & { aopgate: 'metrics' }).id);
      if (!m.listening) return;
      listening.add(this);
      if (m.prepared && !prepared) {
        prepared = true;
        for (let i = 1; i < workers && !stopping; i++) fork();
      }
      if (announced) return;
      announced = true;
      const url = m.listening;
      const { demo, publicKeyPem } = m.prepared ?? {};
      void Promise.all([logger, demo && import('../demo.js')]).then(([log, demoJs]) => {
        if (demo && demoJs && publicKeyPem) demoJs.printDemoSnippets(demo, url, publicKeyPem);
        log.info({ url, workers, data_dir: config.dataDir, backend: config.databaseUrl ? 'postgres' : 'sqlite' }, 'aopgate listening');
      });
    });
  const first = preparer ?? cluster.fork({ [PREPARER_ENV]: '1' });
  adopt(first);
  // Loaded while the first worker starts; the same logger (and redaction) a single process has.
  const logger = Promise.all([import('../log.js'), import('../families/index.js')]).then(([{ createLogger }, { PII_FIELDS }]) =>
    createLogger(config.logLevel, PII_FIELDS),
  );
  // A change made through one worker: every other worker re-reads it, then the first may answer.
  // One still starting re-reads it once it listens (it may have read the old state before).
  let relays = 0;
  const relayChange = (from: Worker, m: PeerMessage & { aopgate: 'changed' }) => {
    const others = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w !== from && w.isConnected());
    let pending = others.length;
    const id = relays++;
    const finish = () => from.isConnected() && from.send({ aopgate: 'announced', id: m.id } satisfies PeerMessage);
    if (pending === 0) return finish();
    for (const w of others) {
      const onAck = (ack: Partial<PeerMessage>) => {
        if (ack.aopgate !== 'resynced' || ack.id !== id) return;
        w.off('message', onAck);
        if (--pending === 0) finish();
      };
      w.on('message', onAck);
      const resync = () => w.isConnected() && w.send({ aopgate: 'resync', change: m.change, id } satisfies PeerMessage);
      if (listening.has(w)) resync();
      else
        w.on('message', function started(s: Partial<ListeningMessage>) {
          if (!s.listening) return;
          w.off('message', started);
          resync();
        });
    }
  };
  // GET /metrics taken by a worker: every serving worker's metrics, aggregated here. prom-client
  // (metrics/cluster.js) loads on the first scrape; should it fail to load, the worker that asked
  // answers with its own metrics.
  let metricsJs: Promise<typeof import('../metrics/cluster.js')> | undefined;
  const relayScrape = (from: Worker, id: number) => {
    const serving = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected() && listening.has(w));
    metricsJs ??= import('../metrics/cluster.js');
    void metricsJs.then(
      ({ answerScrape }) => answerScrape(from, id, serving),
      (e: unknown) => from.isConnected() && from.send({ aopgate: 'metrics-aggregated', id, error: String(e) } satisfies PeerMessage, () => {}),
    );
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!prepared) {
      // The first worker could not prepare (a bad seed file, no database): nothing to serve.
      stopping = true;
      return failed(code ?? 1);
    }
    void logger.then((log) => {
      log.error({ worker: worker.process.pid, code, signal }, 'worker died; starting another');
      if (!stopping) fork();
    });
  });
  // The preparer forked before this function ran may already be gone (and its 'exit' missed).
  if (first.isDead() && !prepared) {
    stopping = true;
    failed(first.process.exitCode ?? 1);
  }
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    void logger.then((log) => {
      log.info({ signal, workers }, 'shutting down');
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
      let alive = Object.keys(cluster.workers ?? {}).length;
      if (alive === 0) process.exit(0);
      cluster.on('exit', () => --alive === 0 && process.exit(0));
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return outcome;
}
