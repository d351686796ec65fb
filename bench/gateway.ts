/**
 * The pinned benchmark (issue #13): the server on core 0, this load generator on core 1, and the
 * crypto floor — 1 / (t_sign + t_verify), what one call must cost at least — measured on core 0 in
 * the same run. Per scenario and backend: calls/s at full load, their share of the floor, server
 * CPU µs per call (from /proc, so it holds on a noisy machine), p50/p99 at a fixed 1,000 calls/s,
 * and RSS. Results are printed and written to bench/results/.
 *
 *   npm run bench:pinned                    # 10 s per measurement
 *   BENCH_DURATION=5 npm run bench:pinned
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from './support.js';
import pg from 'pg';
import { buildSignedParams, formEncode, type TestApp } from '../test/support/client.js';
import { seedInitializeBiz } from '../test/support/harness.js';
import { riskBiz } from '../test/support/risk.js';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const root = new URL('..', import.meta.url).pathname;
const TASKSET = existsSync('/usr/bin/taskset') ? '/usr/bin/taskset' : undefined;
const SERVER_CORE = '0';
const CLIENT_CORE = '1';
const CLK_TCK = 100;

/** Re-runs this script on the client core, once. */
function pinSelf(): boolean {
  if (!TASKSET || process.env.BENCH_PINNED) return false;
  const r = spawn(TASKSET, ['-c', CLIENT_CORE, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  r.on('exit', (code) => process.exit(code ?? 1));
  return true;
}

const onServerCore = (args: string[]) => (TASKSET ? [TASKSET, ['-c', SERVER_CORE, ...args]] : [args[0]!, args.slice(1)]) as [string, string[]];

/** t_sign and t_verify of RSA-2048/SHA-256 on the server core, in a child pinned there. */
function cryptoFloor(): { signUs: number; verifyUs: number; floor: number } {
  const script = `
    const { generateKeyPairSync, sign, verify } = require('node:crypto');
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const data = Buffer.from('x'.repeat(600));
    const time = (fn) => { let n = 0; const end = Date.now() + 2000; const t0 = process.hrtime.bigint(); while (Date.now() < end) { fn(); n++; } return Number(process.hrtime.bigint() - t0) / 1e3 / n; };
    const sig = sign('sha256', data, privateKey);
    const s = time(() => sign('sha256', data, privateKey));
    const v = time(() => verify('sha256', data, publicKey, sig));
    console.log(JSON.stringify({ s, v }));`;
  const [cmd, args] = onServerCore([process.execPath, '-e', script]);
  const { s, v } = JSON.parse(execFileSync(cmd, args).toString()) as { s: number; v: number };
  return { signUs: s, verifyUs: v, floor: 1e6 / (s + v) };
}

interface Server {
  url: string;
  pid: number;
  child: ChildProcess;
}

async function startServer(dataDir: string, databaseUrl?: string): Promise<Server> {
  const port = await freePort();
  const [cmd, args] = onServerCore([process.execPath, join(root, 'bin/aopgate.js'), 'serve', '--port', String(port), '--data', dataDir]);
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, AOPGATE_LOG_LEVEL: 'info', ...(databaseUrl ? { AOPGATE_DATABASE_URL: databaseUrl } : {}) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { url, pid: child.pid!, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready');
}

/** utime + stime of a process (and its threads: the libuv pool signs), in µs. */
function cpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

function createApps(dataDir: string, databaseUrl: string | undefined, n: number): TestApp[] {
  return Array.from({ length: n }, () => {
    const out = execFileSync(process.execPath, ['bin/aopgate.js', 'apps', 'create', '--data', dataDir, '--json'], {
      cwd: root,
      env: { ...process.env, AOPGATE_LOG_LEVEL: 'silent', ...(databaseUrl ? { AOPGATE_DATABASE_URL: databaseUrl } : {}) },
    });
    const a = JSON.parse(out.toString());
    return { appId: a.app_id, privateKeyPem: a.app_private_key, signType: 'RSA2' as const };
  });
}

interface Scenario {
  name: string;
  bodies: string[];
}

async function load(url: string, bodies: string[], start: number, rate?: number) {
  let i = start;
  let bad = 0;
  const result = await autocannon({
    url: `${url}/gateway.do?charset=utf-8`,
    connections,
    duration: rate ? Math.max(3, Math.round(duration / 2)) : duration,
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        setupRequest: (req: autocannon.Request) => ({ ...req, body: bodies[i++ % bodies.length] }),
        onResponse: (_s: number, body: string) => void (body.includes('"code":"10000"') || bad++),
      },
    ],
  });
  return { result, bad, next: i };
}

async function scenarios(url: string, apps: TestApp[]): Promise<Scenario[]> {
  const per = duration * 1500;
  const sign = (app: TestApp, method: string, biz: unknown) => formEncode(buildSignedParams(app, method, biz));
  const pick = (k: number) => apps[k % apps.length]!;
  const stamp = Date.now();
  const zhimaFresh = Array.from({ length: per * 2 }, (_, k) => sign(pick(k), 'zhima.customer.certification.initialize', seedInitializeBiz(`PIN${stamp}_${k}`)));
  const zhimaReplay = apps.map((a, k) => sign(a, 'zhima.customer.certification.initialize', seedInitializeBiz(`PINR${stamp}_${k}`)));
  const bizNos = await Promise.all(
    apps.map(async (a, k) => {
      const res = await fetch(`${url}/gateway.do`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: zhimaReplay[k] });
      return { app: a, bizNo: /"biz_no":"(\w+)"/.exec(await res.text())![1]! };
    }),
  );
  const query = bizNos.map(({ app, bizNo }) => sign(app, 'zhima.customer.certification.query', { biz_no: bizNo }));
  const riskFresh = Array.from({ length: per * 2 }, (_, k) =>
    sign(pick(k), 'alipay.security.risk.authentication.initialize', riskBiz({ bizId: `PIN${stamp}_${k}` })),
  );
  const riskReplay = apps.map((a, k) => sign(a, 'alipay.security.risk.authentication.initialize', riskBiz({ bizId: `PINR${stamp}_${k}` })));
  return [
    { name: 'zhima initialize, fresh', bodies: zhimaFresh },
    { name: 'zhima initialize, replayed', bodies: zhimaReplay },
    { name: 'zhima query', bodies: query },
    { name: 'risk initialize, fresh', bodies: riskFresh },
    { name: 'risk initialize, replayed', bodies: riskReplay },
  ];
}

async function postgresUrl(): Promise<string | undefined> {
  const admin = process.env.AOPGATE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    const name = `aopgate_bench_${Date.now()}`;
    await client.query(`create database ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return url.toString();
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

async function backend(name: 'sqlite' | 'postgres', floor: number) {
  const databaseUrl = name === 'postgres' ? await postgresUrl() : undefined;
  if (name === 'postgres' && !databaseUrl) return [];
  const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-pinned-'));
  const apps = createApps(dataDir, databaseUrl, 8);
  const server = await startServer(dataDir, databaseUrl);
  const rows = [];
  try {
    for (const s of await scenarios(server.url, apps)) {
      const cpu0 = cpuUs(server.pid);
      const full = await load(server.url, s.bodies, 0);
      const calls = full.result.requests.total;
      const usPerCall = (cpuUs(server.pid) - cpu0) / calls;
      const fixed = await load(server.url, s.bodies, full.next, 1000);
      const rps = full.result.requests.average;
      rows.push({
        backend: name,
        scenario: s.name,
        calls_per_s: Math.round(rps),
        share_of_floor: Number((rps / floor).toFixed(3)),
        server_cpu_us_per_call: Math.round(usPerCall),
        p50_ms_at_1000: fixed.result.latency.p50,
        p99_ms_at_1000: fixed.result.latency.p99,
        rss_mb: Math.round(rssMb(server.pid)),
        not_10000: full.bad + fixed.bad,
        errors: full.result.errors + fixed.result.errors,
      });
    }
  } finally {
    server.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

async function main() {
  if (pinSelf()) return;
  const crypto = cryptoFloor();
  console.log(
    `crypto floor on core ${SERVER_CORE}: sign ${crypto.signUs.toFixed(0)} µs + verify ${crypto.verifyUs.toFixed(0)} µs → ${crypto.floor.toFixed(0)} calls/s${TASKSET ? '' : ' (taskset missing: not pinned)'}`,
  );
  const rows = [...(await backend('sqlite', crypto.floor)), ...(await backend('postgres', crypto.floor))];
  console.table(rows);
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const file = join(root, 'bench/results', `${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}-${commit}.json`);
  writeFileSync(file, `${JSON.stringify({ commit, duration_s: duration, connections, pinned: Boolean(TASKSET), crypto, rows }, null, 2)}\n`);
  console.log(`written ${file}`);
}

await main();
