/**
 * Time to ready: from spawning `aopgate serve --port 0 --data DIR` until GET /readyz answers 200,
 * for one and two workers, on a fresh data directory and on one a previous start left behind.
 *
 *   node --import tsx bench/ready.ts [--runs N] [--root DIR]      (npm run bench:ready)
 *
 * --root: another checkout (built) to time instead of this one, for a before/after comparison.
 *
 * `measureReady()` returns the figures for another bench to include.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const POLL_MS = 10;
const START_TIMEOUT_MS = 30_000;

export interface ReadyFigure {
  workers: number;
  /** fresh: an empty data directory; existing: the directory a previous start prepared. */
  dataDir: 'fresh' | 'existing';
  runs: number;
  medianMs: number;
  maxMs: number;
  samplesMs: number[];
}

/** One start: ms from spawn until /readyz answered 200; the server is then stopped with SIGTERM. */
export async function timeToReady(root: string, workers: number, dataDir: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/aopgate.js', 'serve', '--port', '0', '--data', dataDir, '--workers', String(workers)], {
    cwd: root,
    env: { ...process.env, AOPGATE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "aopgate listening" line within ${START_TIMEOUT_MS} ms:\n${out}\n${err}`)), START_TIMEOUT_MS);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        for (const line of out.split('\n')) {
          if (!line.includes('aopgate listening')) continue;
          const m = /"url":"(http:[^"]+)"/.exec(line);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code ?? signal}:\n${out}\n${err}`));
      });
    });
    const deadline = t0 + START_TIMEOUT_MS;
    for (;;) {
      try {
        const res = await fetch(`${url}/readyz`, { headers: { connection: 'close' } });
        await res.arrayBuffer();
        if (res.status === 200) return performance.now() - t0;
      } catch {
        // not accepting yet
      }
      if (performance.now() > deadline) throw new Error(`/readyz not 200 within ${START_TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * For each worker count: `runs` starts on a fresh data directory each, and `runs` starts on one
 * existing directory (prepared by one untimed start first).
 */
export async function measureReady(opts: { runs?: number; workers?: readonly number[]; root?: string } = {}): Promise<ReadyFigure[]> {
  const runs = opts.runs ?? 5;
  const root = opts.root ?? REPO_ROOT;
  const figures: ReadyFigure[] = [];
  for (const workers of opts.workers ?? [1, 2]) {
    const fresh: number[] = [];
    for (let i = 0; i < runs; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'aopgate-ready-'));
      try {
        fresh.push(await timeToReady(root, workers, dir));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const existing: number[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'aopgate-ready-'));
    try {
      await timeToReady(root, workers, dir);
      for (let i = 0; i < runs; i++) existing.push(await timeToReady(root, workers, dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const [kind, samples] of [
      ['fresh', fresh],
      ['existing', existing],
    ] as const)
      figures.push({
        workers,
        dataDir: kind,
        runs,
        medianMs: Math.round(median(samples)),
        maxMs: Math.round(Math.max(...samples)),
        samplesMs: samples.map(Math.round),
      });
  }
  return figures;
}

export function formatReady(figures: readonly ReadyFigure[]): string {
  const rows = [
    ['workers', 'data dir', 'runs', 'median ms', 'max ms', 'samples ms'],
    ...figures.map((f) => [String(f.workers), f.dataDir, String(f.runs), String(f.medianMs), String(f.maxMs), f.samplesMs.join(' ')]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, root: { type: 'string' } } });
  const figures = await measureReady({ runs: Number(values.runs), root: values.root });
  console.log(formatReady(figures));
}
