import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seedInitializeBiz } from './support/harness.js';
import { officialSdk } from './support/sdk.js';
import { REPO_ROOT, spawnServe } from './support/serve.js';

const run = promisify(execFile);
const TOKEN = 'workers';

describe('aopgate serve --workers', () => {
  test('two workers share the port on one SQLite file: concurrent calls all succeed, a clock move or fault rule made through one worker holds on all when the admin call answers, SIGTERM exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-workers-'));
    const server = await spawnServe(['--data', dataDir, '--workers', '2'], { AOPGATE_ADMIN_TOKEN: TOKEN });
    try {
      const { stdout } = await run(process.execPath, ['bin/aopgate.js', 'apps', 'create', '--data', dataDir, '--json'], { cwd: REPO_ROOT });
      const app = JSON.parse(stdout);
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
    } finally {
      await server.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
