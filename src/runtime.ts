import type { FastifyInstance } from 'fastify';
import { cachedPrivateKey, generateRsaKeyPair } from './crypto/rsa.js';
import { loadConfig, type Config } from './config.js';
import { systemClock, type Clock } from './domain/clock.js';
import { restoreClock, syncClock } from './domain/clock-control.js';
import { ensurePlatformCertificate } from './domain/platform-ca.js';
import { DeliveryWorker } from './delivery/worker.js';
import { createServer } from './http/server.js';
import { createLogger } from './log.js';
import { ADAPTERS, defaultRegistry, PII_FIELDS, PII_KINDS } from './families/index.js';
import { FaultInjector } from './faults/faults.js';
import { Journal } from './journal/journal.js';
import { Metrics } from './metrics/metrics.js';
import type { GatewayHook } from './protocol/hooks.js';
import { protocolModes } from './protocol/modes/index.js';
import type { MethodRegistry } from './protocol/method.js';
import type { Services } from './services.js';
import { applySeed } from './seed/apply.js';
import { loadSeedFile } from './seed/load.js';
import { openStore } from './store/open.js';
import type { Logger } from 'pino';

export interface BuildOptions {
  clock?: Clock;
  log?: Logger;
}

/** Opens the store, makes sure the platform key pair exists, and assembles the services. */
export async function buildServices(config: Config, opts: BuildOptions = {}): Promise<Services> {
  const store = await openStore(config);
  const keys = await store.ensurePlatformKeys(generateRsaKeyPair);
  const time = await restoreClock(store, opts.clock ?? systemClock);
  const services: Services = {
    config,
    store,
    box: store.box,
    clock: time.now,
    time,
    wakeDelivery: () => {},
    platform: { privateKey: cachedPrivateKey(keys.privateKeyPem), publicKeyPem: keys.publicKeyPem },
    log: opts.log ?? createLogger(config.logLevel, PII_FIELDS),
    publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}`,
  };
  await ensurePlatformCertificate(services);
  return services;
}

const PROBE_MS = 500;

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
  const services = await buildServices(config, opts);
  if (config.seed) await seedOrClose(services, config.seed);
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
    const report = await applySeed(services, loadSeedFile(file));
    if (report.platformKeyReplaced || !services.platform.certSn) await ensurePlatformCertificate(services);
    services.log.info({ seed: file, ...report }, 'seed applied');
  } catch (e) {
    await services.store.close();
    throw e;
  }
}
