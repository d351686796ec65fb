import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seedInitializeBiz } from './support/harness.js';
import { startNotifyReceiver } from './support/notify-receiver.js';
import { officialSdk } from './support/sdk.js';
import { REPO_ROOT, spawnServe, type ServeProcess } from './support/serve.js';

const run = promisify(execFile);
const TOKEN = 'ci-token';
const EXAMPLE = join(REPO_ROOT, 'examples/ci');
const APP_ID = '2021000000000042';

const aopgate = (dataDir: string, ...args: string[]) =>
  run(process.execPath, ['bin/aopgate.js', ...args, ...(args[0] === 'clock' ? [] : ['--data', dataDir])], {
    cwd: REPO_ROOT,
    env: { ...process.env, AOPGATE_LOG_LEVEL: 'silent', AOPGATE_ADMIN_TOKEN: TOKEN },
  });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The README's "Using aopgate in your CI": the example seed and suite, run as a merchant runs them. */
describe('aopgate in a CI suite (examples/ci)', () => {
  let dataDir: string;
  let server: ServeProcess;
  let notifyPort: number;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aopgate-ci-'));
    notifyPort = await freePort();
    // The example seed as shipped, its notify URL moved to a free port and key paths made absolute.
    const seed = JSON.parse(readFileSync(join(EXAMPLE, 'aopgate.seed.json'), 'utf8'));
    seed.platform.private_key_file = join(EXAMPLE, seed.platform.private_key_file);
    seed.apps[0].private_key_file = join(EXAMPLE, seed.apps[0].private_key_file);
    seed.apps[0].notify_url = `http://127.0.0.1:${notifyPort}/alipay/notify`;
    writeFileSync(join(dataDir, 'seed.json'), JSON.stringify(seed));
    server = await spawnServe(['--data', dataDir], { AOPGATE_SEED: join(dataDir, 'seed.json'), AOPGATE_ADMIN_TOKEN: TOKEN, AOPGATE_NOTIFY_POLL_MS: '50' });
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the example suite passes against the seeded gateway, twice in a row (reset between tests)', async () => {
    for (let round = 0; round < 2; round++) {
      const result = await run(process.execPath, ['--test', join(EXAMPLE, 'identity.test.mjs')], {
        cwd: REPO_ROOT,
        // NODE_TEST_CONTEXT would make the inner runner report to ours instead of printing TAP.
        env: { ...process.env, NODE_TEST_CONTEXT: undefined, AOPGATE_URL: server.url, AOPGATE_ADMIN_TOKEN: TOKEN, NOTIFY_PORT: String(notifyPort) },
      }).catch((e: { stdout: string }) => ({ stdout: e.stdout, failed: true }));
      assert.match(result.stdout, /# pass 2\n# fail 0/, result.stdout);
    }
  });

  test('notifications list shows what the suite received; resend; reset; apps update', async () => {
    type Listed = { notifications: Array<{ notify_id: string; status: string; attempts: Array<{ drill: string | null }> }> };
    const listed = async () => JSON.parse((await aopgate(dataDir, 'notifications', 'list', '--app-id', APP_ID, '--json')).stdout) as Listed;
    assert.deepEqual((await listed()).notifications, [], "the suite's last test began with a reset and finished no session");
    const receiver = await startNotifyReceiver(undefined, notifyPort);
    after(() => receiver.close());
    const sdk = officialSdk(
      server.url,
      { appId: APP_ID, privateKeyPem: readFileSync(join(EXAMPLE, 'keys/app_private_key.pem'), 'utf8'), signType: 'RSA2' },
      readFileSync(join(EXAMPLE, 'keys/alipay_public_key.pem'), 'utf8'),
    );
    const init = await sdk.exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true });
    assert.equal(init.code, '10000', 'the seeded keys on both sides verify');
    const done = await fetch(`${server.url}/admin/certifications/${init.bizNo}/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: '{"passed":true}',
    });
    assert.equal(done.status, 200);
    let notifications: Listed['notifications'] = [];
    for (let i = 0; i < 200 && notifications[0]?.attempts.length !== 2; i++) {
      notifications = (await listed()).notifications;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(notifications.length, 1);
    assert.equal(notifications[0]!.status, 'DELIVERED');
    assert.deepEqual(
      notifications[0]!.attempts.map((a) => a.drill),
      [null, 'duplicate'],
    );
    const resent = await aopgate(dataDir, 'notifications', 'resend', notifications[0]!.notify_id);
    assert.match(resent.stdout, /due again/);
    const updated = await aopgate(dataDir, 'apps', 'update', '--app-id', APP_ID, '--drills', '', '--json');
    assert.deepEqual(JSON.parse(updated.stdout).drills, []);
    const reset = await aopgate(dataDir, 'reset', '--app-id', APP_ID, '--json');
    assert.equal(JSON.parse(reset.stdout).reset.notifications, 1);
    const unknown = await aopgate(dataDir, 'reset', '--app-id', '1').catch((e: { code: number; stderr: string }) => e);
    assert.equal((unknown as { code: number }).code, 2);
  });

  test('aopgate clock talks to the running server', async () => {
    const shanghai = (text: string) => Date.parse(`${text.trim().replace(' ', 'T')}+08:00`);
    const setAt = Date.now();
    const set = await aopgate(dataDir, 'clock', 'set', '2026-01-01 00:00:00', '--url', server.url);
    assert.equal(set.stdout.trim(), '2026-01-01 00:00:00');
    const moved = await aopgate(dataDir, 'clock', 'advance', '25h', '--url', server.url);
    // The moved clock keeps running in real time between the two commands (two processes, often
    // across a second boundary): exactly 25 h later, plus at most the real time that passed.
    const expected = shanghai('2026-01-02 01:00:00');
    const got = shanghai(moved.stdout);
    assert.ok(got >= expected && got <= expected + (Date.now() - setAt), `advance 25h answered ${moved.stdout.trim()}`);
    const bad = await aopgate(dataDir, 'clock', 'advance', 'soon', '--url', server.url).catch((e: { code: number; stderr: string }) => e);
    assert.equal((bad as { code: number }).code, 2);
    assert.match((bad as { stderr: string }).stderr, /duration/);
    await aopgate(dataDir, 'clock', 'reset', '--url', server.url);
  });
});

describe('a malformed seed file stops the start', () => {
  test('exit code 2 and the path of the bad field, through AOPGATE_SEED and --seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aopgate-badseed-'));
    try {
      const file = join(dir, 'aopgate.seed.json');
      writeFileSync(
        file,
        JSON.stringify({ apps: [{ app_id: '2021000000000001', private_key_file: join(EXAMPLE, 'keys/app_private_key.pem'), sign_type: 'SHA1' }] }),
      );
      for (const how of [
        { env: { AOPGATE_SEED: file }, args: [] },
        { env: {}, args: ['--seed', file] },
      ]) {
        const failed = await run(process.execPath, ['bin/aopgate.js', 'serve', '--port', '0', '--data', dir, ...how.args], {
          cwd: REPO_ROOT,
          env: { ...process.env, AOPGATE_LOG_LEVEL: 'silent', ...how.env },
        }).catch((e: { code: number; stderr: string }) => e);
        assert.equal((failed as { code: number }).code, 2, `exit code (stderr: ${(failed as { stderr: string }).stderr})`);
        assert.match((failed as { stderr: string }).stderr, new RegExp(`seed file ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: apps\\[0\\]\\.sign_type: `));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
