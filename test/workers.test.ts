import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSignedParams, send } from './support/client.js';
import { seedInitializeBiz } from './support/harness.js';
import { officialSdk } from './support/sdk.js';
import { REPO_ROOT, spawnServe, type ServeProcess } from './support/serve.js';

const run = promisify(execFile);
const TOKEN = 'workers';

/** The samples of one metric (`name{…} v` or `name v`), as numbers. */
const samples = (text: string, name: string): number[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
const total = (text: string, name: string) => samples(text, name).reduce((a, b) => a + b, 0);

interface CreatedApp {
  app_id: string;
  app_private_key: string;
  alipay_public_key: string;
}

/** `serve --workers 2` on a new data directory with one app made by the CLI; stopped and removed after `body`. */
async function withTwoWorkers(env: NodeJS.ProcessEnv, body: (server: ServeProcess, app: CreatedApp) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-workers-'));
  const server = await spawnServe(['--data', dataDir, '--workers', '2'], env);
  try {
    const { stdout } = await run(process.execPath, ['bin/aopgate.js', 'apps', 'create', '--data', dataDir, '--json'], { cwd: REPO_ROOT });
    await body(server, JSON.parse(stdout) as CreatedApp);
  } finally {
    await server.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('aopgate serve --workers', () => {
  test('two workers share the port on one SQLite file: concurrent calls all succeed, a clock move or fault rule made through one worker holds on all when the admin call answers, SIGTERM exits 0', () =>
    withTwoWorkers({ AOPGATE_ADMIN_TOKEN: TOKEN }, async (server, app) => {
      const sdk = officialSdk(server.url, { appId: app.app_id, privateKeyPem: app.app_private_key, signType: 'RSA2' }, app.alipay_public_key);
      const answers = await Promise.all(
        Array.from({ length: 60 }, () => sdk.exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true })),
      );
      assert.deepEqual([...new Set(answers.map((a) => a.code))], ['10000'], 'no SQLITE_BUSY reaches a client');
      const auth = { authorization: `Bearer ${TOKEN}`, connection: 'close' };
      const set = await fetch(`${server.url}/admin/clock`, { method: 'POST', headers: auth, body: '{"set":"2030-01-01 00:00:00"}' });
      assert.equal(set.status, 200);
      // No waiting: the answer comes once every worker has re-read the clock.
      const seen = new Set<string>();
      for (let i = 0; i < 10; i++)
        seen.add(String(((await (await fetch(`${server.url}/admin/clock`, { headers: auth })).json()) as { now: string }).now.slice(0, 13)));
      assert.deepEqual([...seen], ['2030-01-01 00'], 'every worker adopted the moved clock before POST /admin/clock answered');
      const fault = await fetch(`${server.url}/admin/faults`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ app_id: app.app_id, method: 'zhima.customer.certification.initialize' }),
      });
      assert.equal(fault.status, 200);
      const faulted = await Promise.all(
        Array.from({ length: 10 }, () => sdk.exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true })),
      );
      assert.deepEqual([...new Set(faulted.map((a) => a.code))], ['20000'], 'every worker applies a fault rule added through any one of them at once');
      assert.equal(await server.stop('SIGTERM'), 0);
    }));

  test('GET /metrics answers for the whole server: the calls every worker served are summed, whichever worker takes the scrape', () =>
    withTwoWorkers({ AOPGATE_METRICS_TOKEN: TOKEN }, async (server, created) => {
      const app = { appId: created.app_id, privateKeyPem: created.app_private_key, signType: 'RSA2' as const };
      // One connection per call: the primary hands connections to the workers in turn, so both serve calls.
      const CALLS = 40;
      const answers = await Promise.all(
        Array.from({ length: CALLS }, () =>
          send(server.url, buildSignedParams(app, 'zhima.customer.certification.initialize', seedInitializeBiz()), { headers: { connection: 'close' } }),
        ),
      );
      assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
      // A new connection per scrape too: each worker answers some of them.
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}`, connection: 'close' } });
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
        const text = await res.text();
        assert.equal(total(text, 'aopgate_calls_total'), CALLS, `scrape ${i} counts the calls of every worker`);
        assert.equal(total(text, 'aopgate_call_duration_seconds_count'), CALLS, `scrape ${i}: the latency histogram of every worker`);
        assert.ok(total(text, 'aopgate_rsa_operations_total') >= 2 * CALLS, 'a verify and a sign per call');
        assert.equal(samples(text, 'aopgate_nodejs_version_info').length, 1, 'one version line, not one per worker');
        assert.equal(samples(text, 'aopgate_process_start_time_seconds').length, 1, 'the start time of the latest worker, not a sum');
        assert.ok(samples(text, 'aopgate_process_start_time_seconds')[0]! < Date.now() / 1000 + 1);
        assert.equal(samples(text, 'aopgate_notifications_backlog')[0], 0);
      }
      assert.equal((await fetch(`${server.url}/metrics`, { headers: { connection: 'close' } })).status, 401, 'AOPGATE_METRICS_TOKEN still guards it');
      assert.equal(await server.stop('SIGTERM'), 0);
    }));
});
