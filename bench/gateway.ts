/**
 * The gateway benchmark (issue #13): the server on core 0, this load generator on core 1, and the
 * crypto floor — 1 / (t_sign + t_verify), what one call must cost at least — measured on core 0 in
 * the same run. Per scenario and backend: calls/s at full load, their share of the floor, server
 * CPU µs per call (from /proc, so it holds on a noisy machine), p50/p99 at a fixed 1,000 calls/s,
 * and RSS. Also measured: a bare node:http server that only verifies and signs (bare-server.ts),
 * the reference for what the runtime itself costs; and `serve --workers 2` against one worker at
 * the same fixed rate, server CPU per call summed over all processes; and, unpinned, the time from
 * spawning `serve` to a 200 from /readyz (bench/ready.ts). Each scenario is warmed up (unmeasured)
 * first. Results are printed and written to bench/results/.
 *
 *   npm run bench                     # 10 s per measurement
 *   BENCH_DURATION=5 npm run bench
 *   BENCH_ONLY=fresh npm run bench    # only the rows whose "backend scenario" contains it
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { formatReady, measureReady } from './ready.js';
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
/** `BENCH_ONLY=fresh` runs the scenarios whose "backend scenario" name contains it. */
const only = process.env.BENCH_ONLY;
/** `BENCH_PROFILE=dir` writes the server's V8 CPU profile there (node --cpu-prof). */
const profileDir = process.env.BENCH_PROFILE;

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

const onAllCores = (args: string[]) => (TASKSET ? [TASKSET, ['-c', `0-${cpus().length - 1}`, ...args]] : [args[0]!, args.slice(1)]) as [string, string[]];
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

interface ServerOptions {
  databaseUrl?: string | undefined;
  /** Extra `serve` arguments (`--workers 2`). */
  args?: string[];
  /** false: the server may use every core (the --workers comparison). */
  pinned?: boolean;
  /** Runs this script instead of aopgate (the bare reference server: port, then these arguments). */
  script?: string[];
}

async function startServer(dataDir: string, opts: ServerOptions = {}): Promise<Server> {
  const port = await freePort();
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  // `BENCH_SERVER_WRAP="perf record -g -o /tmp/perf.data --"` runs the server under a profiler.
  const wrap = process.env.BENCH_SERVER_WRAP?.split(' ').filter(Boolean) ?? [];
  const perfMap = wrap.length > 0 ? ['--perf-basic-prof'] : [];
  const program = opts.script
    ? ['--import', 'tsx', opts.script[0]!, String(port), ...opts.script.slice(1)]
    : [join(root, 'bin/aopgate.js'), 'serve', '--port', String(port), '--data', dataDir, ...(opts.args ?? [])];
  const line = [...wrap, process.execPath, ...profile, ...perfMap, ...program];
  // Unpinned means every core: a plain spawn would inherit this generator's pinning to core 1.
  const [cmd, args] = opts.pinned === false ? onAllCores(line) : onServerCore(line);
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, AOPGATE_LOG_LEVEL: 'info', ...(opts.databaseUrl ? { AOPGATE_DATABASE_URL: opts.databaseUrl } : {}) },
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

async function stopServer(server: Server): Promise<void> {
  // Waited for: a CPU profile is written on exit.
  await new Promise((r) => {
    server.child.once('exit', r);
    server.child.kill('SIGTERM');
  });
}

/** A process and its descendants (the taskset/perf wrapper's child, --workers' workers). */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    // gone
  }
  return [pid, ...children.flatMap(processTree)];
}

const treeCpuUs = (pid: number) => processTree(pid).reduce((sum, p) => sum + cpuUs(p), 0);

/** utime + stime of a process (and its threads: the libuv pool signs), in µs. */
function cpuUs(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0; // ended between the listing and the read
  }
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

/** CPU µs per thread name (main thread, libuv pool, V8 helpers…), for BENCH_THREADS=1. */
function threadCpuUs(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = tid === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      for (const [kind, field] of [
        ['user', 11],
        ['sys', 12],
      ] as const) {
        const key = `${name} ${kind}`;
        byName.set(key, (byName.get(key) ?? 0) + (Number(fields[field]) * 1e6) / CLK_TCK);
      }
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return byName;
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

type BenchApp = TestApp & { publicKeyPem: string };

function createApps(dataDir: string, databaseUrl: string | undefined, n: number): BenchApp[] {
  return Array.from({ length: n }, () => {
    const out = execFileSync(process.execPath, ['bin/aopgate.js', 'apps', 'create', '--data', dataDir, '--json'], {
      cwd: root,
      env: { ...process.env, AOPGATE_LOG_LEVEL: 'silent', ...(databaseUrl ? { AOPGATE_DATABASE_URL: databaseUrl } : {}) },
    });
    const a = JSON.parse(out.toString());
    return { appId: a.app_id, privateKeyPem: a.app_private_key, publicKeyPem: a.app_public_key, signType: 'RSA2' as const };
  });
}

async function load(url: string, bodies: string[], start: number, rate?: number, seconds?: number) {
  let i = start;
  let bad = 0;
  const result = await autocannon({
    url: `${url}/gateway.do?charset=utf-8`,
    connections,
    duration: seconds ?? (rate ? Math.max(3, Math.round(duration / 2)) : duration),
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

const signBody = (app: TestApp, method: string, biz: unknown) => formEncode(buildSignedParams(app, method, biz));

/** Pre-signed initialize calls, each with its own transaction_id, spread over the apps. */
function freshBodies(apps: BenchApp[], tag: string, method = 'zhima.customer.certification.initialize'): string[] {
  const stamp = Date.now();
  return Array.from({ length: duration * 2500 + 5000 }, (_, k) =>
    signBody(apps[k % apps.length]!, method, method.startsWith('zhima') ? seedInitializeBiz(`${tag}${stamp}_${k}`) : riskBiz({ bizId: `${tag}${stamp}_${k}` })),
  );
}

/** The scenarios, their bodies built only when the scenario runs (signing them takes a while). */
function scenarios(url: string, apps: BenchApp[]): Array<{ name: string; bodies: () => Promise<string[]> }> {
  const stamp = Date.now();
  const replay = (method: string) =>
    apps.map((a, k) => signBody(a, method, method.startsWith('zhima') ? seedInitializeBiz(`R${stamp}_${k}`) : riskBiz({ bizId: `R${stamp}_${k}` })));
  const query = async () => {
    const bizNos = await Promise.all(
      replay('zhima.customer.certification.initialize').map(async (body, k) => {
        const res = await fetch(`${url}/gateway.do`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
        return { app: apps[k]!, bizNo: /"biz_no":"(\w+)"/.exec(await res.text())![1]! };
      }),
    );
    return bizNos.map(({ app, bizNo }) => signBody(app, 'zhima.customer.certification.query', { biz_no: bizNo }));
  };
  return [
    { name: 'zhima initialize, fresh', bodies: async () => freshBodies(apps, 'Z') },
    { name: 'zhima initialize, replayed', bodies: async () => replay('zhima.customer.certification.initialize') },
    { name: 'zhima query', bodies: query },
    { name: 'risk initialize, fresh', bodies: async () => freshBodies(apps, 'K', 'alipay.security.risk.authentication.initialize') },
    { name: 'risk initialize, replayed', bodies: async () => replay('alipay.security.risk.authentication.initialize') },
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

/** Largest RSS among the server's processes (per process, as the target is stated). */
const maxRssMb = (pid: number) => Math.max(...processTree(pid).map((p) => (existsSync(`/proc/${p}/status`) ? rssMb(p) : 0)));

type Row = Record<string, string | number>;

/** Unmeasured load first: the JIT compiles the hot path and the caches fill. */
const warmup = (url: string, bodies: string[]) =>
  load(url, bodies, bodies.length - 1 - Math.min(bodies.length - 1, 5000), undefined, Math.min(3, Math.max(1, Math.round(duration / 4))));

/** Full load (calls/s, CPU per call), then a fixed 1,000 calls/s (latency). */
async function measure(server: Server, label: { backend: string; scenario: string }, bodies: string[], floor: number): Promise<Row> {
  await warmup(server.url, bodies);
  const cpu0 = treeCpuUs(server.pid);
  const threads0 = threadCpuUs(server.pid);
  const full = await load(server.url, bodies, 0);
  const calls = full.result.requests.total;
  const usPerCall = (treeCpuUs(server.pid) - cpu0) / calls;
  if (process.env.BENCH_THREADS) {
    const perThread = [...threadCpuUs(server.pid)].map(([t, us]) => [t, Math.round((us - (threads0.get(t) ?? 0)) / calls)]);
    console.log(`${label.backend} ${label.scenario}: server CPU µs/call by thread`, Object.fromEntries(perThread.filter(([, us]) => Number(us) > 0)));
  }
  const fixed = await load(server.url, bodies, full.next, 1000);
  if (process.env.BENCH_THREADS) console.log(`${label.backend} ${label.scenario}: memory MB ${JSON.stringify(await memoryOf(server.url))}`);
  const rps = full.result.requests.average;
  return {
    ...label,
    calls_per_s: Math.round(rps),
    share_of_floor: Number((rps / floor).toFixed(3)),
    server_cpu_us_per_call: Math.round(usPerCall),
    p50_ms_at_1000: fixed.result.latency.p50,
    p99_ms_at_1000: fixed.result.latency.p99,
    rss_mb: Math.round(maxRssMb(server.pid)),
    not_10000: full.bad + fixed.bad,
    errors: full.result.errors + fixed.result.errors,
  };
}

/** What the resident memory is made of, from the server's own /metrics (MB). */
async function memoryOf(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const mb = (name: string) => Math.round(Number(new RegExp(`^aopgate_${name.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 1e5) / 10;
  return {
    rss: mb('process_resident_memory_bytes'),
    heap_total: mb('nodejs_heap_size_total_bytes'),
    heap_used: mb('nodejs_heap_size_used_bytes'),
    new_space: mb('nodejs_heap_space_size_used_bytes{space="new"}'),
    old_space: mb('nodejs_heap_space_size_used_bytes{space="old"}'),
    external: mb('nodejs_external_memory_bytes'),
  };
}

const wanted = (backendName: string, scenario: string) => !only || `${backendName} ${scenario}`.includes(only);

async function backend(name: 'sqlite' | 'postgres', floor: number): Promise<Row[]> {
  const databaseUrl = name === 'postgres' ? await postgresUrl() : undefined;
  if (name === 'postgres' && !databaseUrl) return [];
  const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-bench-'));
  const apps = createApps(dataDir, databaseUrl, 8);
  const rows: Row[] = [];
  try {
    const server = await startServer(dataDir, { databaseUrl });
    try {
      for (const s of scenarios(server.url, apps)) {
        if (wanted(name, s.name)) rows.push(await measure(server, { backend: name, scenario: s.name }, await s.bodies(), floor));
      }
    } finally {
      await stopServer(server);
    }
    if (name === 'sqlite' && wanted('bare', 'node:http')) rows.unshift(await bare(dataDir, apps, floor));
    if (name === 'sqlite' && wanted(name, 'workers')) rows.push(...(await workers(dataDir, apps)));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

/** The reference: bare-server.ts on the same core with the same fresh bodies. */
async function bare(dataDir: string, apps: BenchApp[], floor: number): Promise<Row> {
  const keys = join(dataDir, 'bare-apps.json');
  writeFileSync(keys, JSON.stringify(Object.fromEntries(apps.map((a) => [a.appId, a.publicKeyPem]))));
  const server = await startServer(dataDir, { script: [join(root, 'bench/bare-server.ts'), keys] });
  try {
    const bodies = freshBodies(apps, 'BARE');
    return await measure(server, { backend: 'none', scenario: 'bare node:http: parse, verify, sign' }, bodies, floor);
  } finally {
    await stopServer(server);
  }
}

/**
 * `--workers 2` against `--workers 1`, neither pinned, at the same fixed rate (the generator keeps
 * core 1 busy too, so full load would measure contention, not the server): CPU per call summed over
 * every process of the server.
 */
async function workers(dataDir: string, apps: BenchApp[]): Promise<Row[]> {
  const rate = Number(process.env.BENCH_WORKERS_RATE ?? 250);
  const rows: Row[] = [];
  for (const n of [1, 2]) {
    const server = await startServer(dataDir, { args: ['--workers', String(n)], pinned: false });
    try {
      const bodies = freshBodies(apps, `W${n}`);
      // Warmed at full load for 3 s and measured for ≥ 8 s: each worker sees only its share of the
      // calls, and a short run weighs its start (the second worker forks after the first listens).
      const warm = await load(server.url, bodies, bodies.length - 1 - Math.min(bodies.length - 1, 5000), undefined, 3);
      const cpu0 = treeCpuUs(server.pid);
      const perProcess0 = new Map(processTree(server.pid).map((p) => [p, cpuUs(p)]));
      const run = await load(server.url, bodies, warm.next, rate, Math.max(8, duration));
      if (process.env.BENCH_THREADS) {
        const perProcess = processTree(server.pid).map((p) => `${p}: ${Math.round((cpuUs(p) - (perProcess0.get(p) ?? 0)) / run.result.requests.total)}`);
        console.log(`--workers ${n}: server CPU µs/call by process (wrapper, primary, workers) ${perProcess.join(', ')}`);
      }
      rows.push({
        backend: 'sqlite',
        scenario: `zhima initialize, fresh, --workers ${n} at ${rate}/s`,
        calls_per_s: Math.round(run.result.requests.average),
        server_cpu_us_per_call: Math.round((treeCpuUs(server.pid) - cpu0) / run.result.requests.total),
        p50_ms_at_1000: run.result.latency.p50,
        p99_ms_at_1000: run.result.latency.p99,
        rss_mb: Math.round(maxRssMb(server.pid)),
        not_10000: run.bad,
        errors: run.result.errors,
      });
    } finally {
      await stopServer(server);
    }
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
  // Time to ready, on every core (this process and the servers it starts leave their pinning).
  if (TASKSET) execFileSync(TASKSET, ['-a', '-c', '-p', `0-${cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
  const ready = only ? [] : await measureReady();
  if (ready.length > 0) console.log(`time to ready (spawn → /readyz 200):\n${formatReady(ready)}`);
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const file = join(root, 'bench/results', `${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}-${commit}.json`);
  writeFileSync(file, `${JSON.stringify({ commit, duration_s: duration, connections, pinned: Boolean(TASKSET), crypto, rows, ready }, null, 2)}\n`);
  console.log(`written ${file}`);
}

await main();
