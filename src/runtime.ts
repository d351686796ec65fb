import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import { cachedPrivateKey, generateRsaKeyPair, type RsaKeyPair } from './crypto/rsa.js';
import { loadConfig, type Config } from './config.js';
import { systemClock, type Clock } from './domain/clock.js';
import { restoreClock, syncClock } from './domain/clock-control.js';
import { ensurePlatformCertificate } from './domain/platform-ca.js';
import { createLogger } from './log.js';
import type { GatewayHook } from './protocol/hooks.js';
import type { MetricsMessage } from './metrics/cluster.js';
import type { MethodRegistry } from './protocol/method.js';
import type { PeerChange, Services } from './services.js';
import { openStore } from './store/open.js';
import type { Logger } from 'pino';

export interface BuildOptions {
  clock?: Clock;
  log?: Logger;
}

/** Opens the store, makes sure the platform key pair exists, and assembles the services. */
export async function buildServices(config: Config, opts: BuildOptions = {}): Promise<Services> {
  const store = await openStore(config);
  // A first start needs two key pairs, the platform's and the CA root's: generated at once, on
  // two of libuv's threads, they take the time of one (150–300 ms each on this machine).
  let rootKey: Promise<RsaKeyPair> | undefined;
  const keys = await store.ensurePlatformKeys(() => {
    rootKey = generateRsaKeyPair();
    rootKey.catch(() => {}); // awaited by ensurePlatformCertificate when the root is made
    return generateRsaKeyPair();
  });
  const time = await restoreClock(store, opts.clock ?? systemClock);
  const services: Services = {
    config,
    store,
    box: store.box,
    clock: time.now,
    time,
    wakeDelivery: () => {},
    announce: async () => {},
    platform: { privateKey: cachedPrivateKey(keys.privateKeyPem), publicKeyPem: keys.publicKeyPem },
    // The families (their contracts) load meanwhile startGateway loads the HTTP side, not before the store opens.
    log: opts.log ?? createLogger(config.logLevel, (await import('./families/index.js')).PII_FIELDS),
    publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
  };
  await ensurePlatformCertificate(services, rootKey);
  return services;
}

const PROBE_MS = 500;

/**
 * Messages between a worker and the primary (cli/serve.ts relays `changed` to every other worker as
 * `resync`; a worker asks for the whole server's metrics with `metrics`, metrics/cluster.ts).
 */
export type PeerMessage =
  | { aopgate: 'changed'; change: PeerChange; id: number }
  | { aopgate: 'resync'; change: PeerChange; id: number }
  | { aopgate: 'resynced'; id: number }
  | { aopgate: 'announced'; id: number }
  | MetricsMessage;

/** Longest wait for the other workers to re-read a change; after it the 500 ms probe still converges. */
const ANNOUNCE_TIMEOUT_MS = 2000;

/**
 * A worker of `serve --workers`: a change made through this worker (POST /admin/clock, a fault
 * rule) is announced, and the admin answer waits until every other worker has re-read it, so the
 * next call a CI suite makes sees it whichever worker takes it.
 */
function joinPeers(services: Services, resync: Record<PeerChange, () => Promise<void>>): void {
  const waiting = new Map<number, () => void>();
  let next = 0;
  process.on('message', (m: PeerMessage) => {
    if (m?.aopgate === 'resync') void resync[m.change]().finally(() => process.send?.({ aopgate: 'resynced', id: m.id } satisfies PeerMessage));
    if (m?.aopgate === 'announced') waiting.get(m.id)?.();
  });
  services.announce = (change) =>
    new Promise<void>((resolve) => {
      const id = next++;
      const done = () => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve();
      };
      const timer = setTimeout(done, ANNOUNCE_TIMEOUT_MS);
      waiting.set(id, done);
      process.send?.({ aopgate: 'changed', change, id } satisfies PeerMessage);
    });
}

export interface RunningGateway {
  url: string;
  services: Services;
  server: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the HTTP server; tests use port 0 and a temporary data directory. */
export async function startGateway(
  overrides: Partial<Record<keyof Config, unknown>> = {},
  opts: BuildOptions & { registry?: MethodRegistry; hooks?: readonly GatewayHook[] } = {},
): Promise<RunningGateway> {
  const config = loadConfig(overrides);
  // The HTTP side (Fastify, the contracts, prom-client …) loads on the main thread while the
  // store opens and a first start generates its keys off it.
  const loading = Promise.all([import('./http/stack.js'), import('./delivery/worker.js')]);
  loading.catch(() => {}); // awaited below; a failure there is reported there
  const services = await buildServices(config, opts);
  if (config.seed) await seedOrClose(services, config.seed);
  let modules: Awaited<typeof loading>;
  try {
    modules = await loading;
  } catch (e) {
    await services.store.close();
    throw e;
  }
  const [{ ADAPTERS, createServer, defaultRegistry, FaultInjector, Journal, Metrics, PII_KINDS, protocolModes }, { DeliveryWorker }] = modules;
  const registry = opts.registry ?? defaultRegistry();
  const journal = new Journal(services, PII_KINDS);
  const faults = new FaultInjector(services);
  const metrics = new Metrics(services, registry);
  const server = createServer(services, {
    registry,
    families: ADAPTERS,
    // Faults come first among the optional hooks so the journal records what the client really got.
    hooks: [...protocolModes(services), faults.hook, ...(opts.hooks ?? []), journal.hook, metrics.hook],
    journal,
    faults,
    metrics,
  });
  await server.listen({ port: config.port, host: config.host });
  const delivery = new DeliveryWorker(services, (attempt) => metrics.recordAttempt(attempt));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  if (!config.publicUrl) services.publicUrl = url.replace('//0.0.0.0:', '//127.0.0.1:');
  delivery.start();
  if (cluster.isWorker) {
    joinPeers(services, { clock: () => syncClock(services.store, services.time), faults: async () => faults.invalidate() });
    metrics.joinCluster(); // GET /metrics answers for every worker
  }
  // The health probe: notices an outage between calls and ends one without a restart.
  const probe = setInterval(
    () =>
      void services.store
        .probe()
        .then((up) => (up ? syncClock(services.store, services.time) : undefined))
        .catch(() => {}),
    PROBE_MS,
  );
  probe.unref();
  return {
    url,
    services,
    server,
    async close() {
      // Stop accepting, let calls in flight finish; whatever is still open after the grace
      // (a stalled upload, a slow client) is cut, so shutdown is bounded.
      const grace = setTimeout(() => server.server.closeAllConnections(), config.shutdownGraceMs);
      await server.close();
      clearTimeout(grace);
      clearInterval(probe);
      await delivery.stop();
      await journal.flush();
      await services.store.close();
    },
  };
}

/** Applies the seed file; a bad one stops the start (with the path of the bad field) and closes the store. */
async function seedOrClose(services: Services, file: string): Promise<void> {
  try {
    const [{ applySeed }, { loadSeedFile }] = await Promise.all([import('./seed/apply.js'), import('./seed/load.js')]);
    const report = await applySeed(services, loadSeedFile(file));
    if (report.platformKeyReplaced || !services.platform.certSn) await ensurePlatformCertificate(services);
    services.log.info({ seed: file, ...report }, 'seed applied');
  } catch (e) {
    await services.store.close();
    throw e;
  }
}
