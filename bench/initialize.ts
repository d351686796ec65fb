/**
 * Benchmark: signed zhima.customer.certification.initialize calls against the real gateway
 * (a child process, as `aopgate serve` runs it), driven by autocannon over loopback, next to this
 * machine's raw RSA-2048 signing rate measured in the same run. Every call costs the gateway one
 * RSA verify (request) and one RSA sign (response), so raw signs/s bounds what it can do.
 *
 *   npm run bench                    # 10 s per scenario
 *   BENCH_DURATION=20 npm run bench
 */
import { spawn, execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { freePort } from './support.js';
import { buildSignedParams, formEncode } from '../test/support/client.js';
import { seedInitializeBiz } from '../test/support/harness.js';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const root = new URL('..', import.meta.url).pathname;

function rawSignRate(seconds: number): { sync: number; pooled: Promise<number> } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const data = Buffer.from('x'.repeat(200));
  let n = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    sign('sha256', data, privateKey);
    n++;
  }
  const sync = n / seconds;
  const signAsync = promisify(sign);
  const pooled = (async () => {
    let m = 0;
    const stop = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (Date.now() < stop) {
          await signAsync('sha256', data, privateKey);
          m++;
        }
      }),
    );
    return m / seconds;
  })();
  return { sync, pooled };
}

/** `aopgate serve` as deployed: its own process, info-level logs (one line per call) to stdout. */
async function startServer(dataDir: string): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/aopgate.js', 'serve', '--port', String(port), '--data', dataDir], {
    cwd: root,
    env: { ...process.env, AOPGATE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, stop: () => child.kill('SIGTERM') };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('server did not become ready');
}

interface Scenario {
  name: string;
  bodies: string[];
}

async function run(url: string, s: Scenario) {
  let i = 0;
  let non10000 = 0;
  let sampled = 0;
  const result = await autocannon({
    url: `${url}/gateway.do?charset=utf-8`,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        setupRequest: (req: autocannon.Request) => ({ ...req, body: s.bodies[i++ % s.bodies.length] }),
        onResponse: (_status: number, body: string) => {
          sampled++;
          if (!body.includes('"code":"10000"')) non10000++;
        },
      },
    ],
  });
  return { result, non10000, sampled };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-bench-'));
  try {
    const created = JSON.parse(
      execFileSync(process.execPath, ['bin/aopgate.js', 'apps', 'create', '--data', dataDir, '--json'], {
        cwd: root,
        env: { ...process.env, AOPGATE_LOG_LEVEL: 'silent' },
      }).toString(),
    );
    const app = { appId: created.app_id, privateKeyPem: created.app_private_key, signType: 'RSA2' as const };
    // Enough distinct bodies that the "new transaction_id" scenario does not wrap into replays at ~2000 req/s.
    const fresh = Math.max(1000, Number(process.env.BENCH_FRESH ?? duration * 2500));
    console.log(`pre-signing ${fresh} distinct requests…`);
    const bodies = Array.from({ length: fresh }, (_, k) =>
      formEncode(buildSignedParams(app, 'zhima.customer.certification.initialize', seedInitializeBiz(`BENCH${Date.now()}_${k}`))),
    );
    const replay = [bodies[0]!];

    console.log(`measuring raw RSA-2048 sign rate (${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores)…`);
    const raw = rawSignRate(3);
    const pooled = await raw.pooled;

    const server = await startServer(dataDir);
    try {
      const scenarios: Scenario[] = [
        { name: 'initialize, new transaction_id each call (verify + insert + sign)', bodies },
        { name: 'initialize, replayed transaction_id (verify + lookup + sign)', bodies: replay },
      ];
      const rows = [];
      for (const s of scenarios) {
        const { result, non10000, sampled } = await run(server.url, s);
        rows.push({ s, result, non10000, sampled });
      }
      console.log(`\naopgate bench — ${duration} s per scenario, ${connections} connections, loopback, server in its own process`);
      console.log(`raw crypto.sign RSA-2048/SHA-256: ${raw.sync.toFixed(0)}/s on one thread, ${pooled.toFixed(0)}/s via the libuv pool (async form)`);
      for (const { s, result, non10000, sampled } of rows) {
        const rps = result.requests.average;
        console.log(`\n${s.name}`);
        console.log(
          `  req/s ${rps.toFixed(0)}   latency p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms   errors ${result.errors}  non-2xx ${result.non2xx}`,
        );
        console.log(`  responses checked ${sampled}, not code 10000: ${non10000}`);
        console.log(`  gateway req/s ÷ raw single-thread signs/s = ${(rps / raw.sync).toFixed(2)}   ÷ pooled signs/s = ${(rps / pooled).toFixed(2)}`);
        if (s.bodies.length > 1 && result.requests.total > s.bodies.length)
          console.log(`  (note: ${result.requests.total} requests > ${s.bodies.length} pre-signed bodies; the rest were replays)`);
      }
    } finally {
      server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
