import cluster, { type Worker } from 'node:cluster';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { ensureDemoApp, printDemoSnippets, type DemoApp } from '../demo.js';
import { applySeed } from '../seed/apply.js';
import { loadSeedFile } from '../seed/load.js';
import { ensurePlatformCertificate } from '../domain/platform-ca.js';
import { buildServices, startGateway, type PeerMessage } from '../runtime.js';

interface ServeFlags {
  port?: string | undefined;
  host?: string | undefined;
  data?: string | undefined;
  demo?: boolean | undefined;
  seed?: string | undefined;
  workers?: string | undefined;
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
  const config = loadConfig({ port: values.port, host: values.host, dataDir: values.data, seed: values.seed, workers: values.workers });
  if (config.workers > 1 && cluster.isPrimary) return primary(values, config.workers);
  return single(values, cluster.isWorker);
}

/** One process serving (or one worker of several: the primary already seeded and printed). */
async function single(values: ServeFlags, asWorker: boolean): Promise<number> {
  const gateway = await startGateway({ port: values.port, host: values.host, dataDir: values.data, seed: asWorker ? '' : values.seed });
  const { services } = gateway;
  if (values.demo && !asWorker) printDemoSnippets(await ensureDemoApp(services), gateway.url, services.platform.publicKeyPem);
  if (asWorker) process.send?.({ listening: gateway.url });
  else
    services.log.info(
      { url: gateway.url, data_dir: services.config.dataDir, backend: services.config.databaseUrl ? 'postgres' : 'sqlite' },
      'aopgate listening',
    );
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
 * `--workers N`: the primary migrates, seeds, makes the keys and the CA once (so every worker
 * signs with the same certificate), then forks N workers sharing the port, replaces one that
 * dies, and on SIGTERM lets each drain before exiting 0.
 */
async function primary(values: ServeFlags, workers: number): Promise<number> {
  const services = await buildServices(loadConfig({ dataDir: values.data, seed: values.seed }));
  let demo: DemoApp | undefined;
  try {
    if (services.config.seed) {
      const report = await applySeed(services, loadSeedFile(services.config.seed));
      if (report.platformKeyReplaced) await ensurePlatformCertificate(services);
    }
    if (values.demo) demo = await ensureDemoApp(services);
  } finally {
    await services.store.close();
  }
  let stopping = false;
  let announced = false;
  const fork = () =>
    cluster.fork().on('message', function (this: Worker, m: { listening?: string } & Partial<PeerMessage>) {
      if (m.aopgate === 'changed') return relayChange(this, m as PeerMessage & { aopgate: 'changed' });
      if (!m.listening || announced) return;
      announced = true;
      if (demo) printDemoSnippets(demo, m.listening, services.platform.publicKeyPem);
      services.log.info(
        { url: m.listening, workers, data_dir: services.config.dataDir, backend: services.config.databaseUrl ? 'postgres' : 'sqlite' },
        'aopgate listening',
      );
    });
  for (let i = 0; i < workers; i++) fork();
  // A change made through one worker: every other worker re-reads it, then the first may answer.
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
      w.send({ aopgate: 'resync', change: m.change, id } satisfies PeerMessage);
    }
  };
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    services.log.error({ worker: worker.process.pid, code, signal }, 'worker died; starting another');
    fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    services.log.info({ signal, workers }, 'shutting down');
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    let alive = Object.keys(cluster.workers ?? {}).length;
    if (alive === 0) process.exit(0);
    cluster.on('exit', () => --alive === 0 && process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}
