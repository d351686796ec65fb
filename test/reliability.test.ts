import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seedInitializeBiz, startTestGateway } from './support/harness.js';
import { SEED_CERT_NO, SEED_MOBILE, SEED_NAME } from './support/identity.js';
import { ADMIN_TOKEN, admin } from './support/notify-flow.js';
import { createTestDatabase } from './support/pg.js';
import { needPostgres } from './support/requirements.js';
import { riskBiz } from './support/risk.js';
import { officialSdk } from './support/sdk.js';
import { REPO_ROOT, spawnServe } from './support/serve.js';

const run = promisify(execFile);
const INIT = 'zhima.customer.certification.initialize';
const QUERY = 'zhima.customer.certification.query';
const PII = [SEED_NAME, SEED_CERT_NO, SEED_MOBILE];
/** `npm run test:reliability`: the same checks, longer (thousands of acknowledged calls, several kills). */
const LONG = process.env.AOPGATE_RELIABILITY_LONG === '1';

/** A risk request carrying the seed identity in every PII field (name, ID number, phone). */
function riskWithPii() {
  const biz = riskBiz({ bizId: `rel${Date.now()}${Math.floor(Math.random() * 1e6)}` });
  Object.assign(biz.authentication_info.principal_info, {
    user_name: SEED_NAME,
    operator_cert_no: SEED_CERT_NO,
    mobile_no: SEED_MOBILE,
    params: JSON.stringify({ contact: SEED_MOBILE }),
  });
  return biz;
}

const noPgDump = (await needPostgres()) || (existsSync('/usr/bin/pg_dump') ? false : 'pg_dump not installed (apt-get install postgresql-client)');

describe('reliability', () => {
  test('SIGKILL under load: every acknowledged session is found after a restart, and a replay is idempotent', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-kill-'));
    let server = await spawnServe(['--data', dataDir]);
    try {
      const { stdout } = await run(process.execPath, ['bin/aopgate.js', 'apps', 'create', '--data', dataDir, '--json'], { cwd: REPO_ROOT });
      const app = JSON.parse(stdout);
      const client = (url: string) => officialSdk(url, { appId: app.app_id, privateKeyPem: app.app_private_key, signType: 'RSA2' }, app.alipay_public_key);
      const sdk = client(server.url);
      const acknowledged: Array<{ biz: ReturnType<typeof seedInitializeBiz>; bizNo: string }> = [];
      let stop = false;
      const worker = async () => {
        while (!stop) {
          const biz = seedInitializeBiz();
          try {
            const r = await sdk.exec(INIT, { bizContent: biz }, { validateSign: true });
            if (r.code === '10000') acknowledged.push({ biz, bizNo: r.bizNo });
          } catch {
            return; // the connection died with the process
          }
        }
      };
      const load = Promise.all(Array.from({ length: 8 }, worker));
      while (acknowledged.length < (LONG ? 3000 : 40)) await new Promise((r) => setTimeout(r, 20));
      await server.stop('SIGKILL');
      stop = true;
      await load;
      server = await spawnServe(['--data', dataDir]);
      const after = client(server.url);
      for (const { bizNo } of acknowledged) {
        const q = await after.exec(QUERY, { bizContent: { biz_no: bizNo } }, { validateSign: true });
        assert.equal(q.code, '10000', `acknowledged ${bizNo} survives`);
      }
      const replay = await after.exec(INIT, { bizContent: acknowledged[0]!.biz }, { validateSign: true });
      assert.equal(replay.bizNo, acknowledged[0]!.bizNo, 'the same transaction_id answers the same biz_no');
    } finally {
      await server.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('no PII in the SQLite file, its WAL, the logs or any admin answer', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-pii-'));
    const server = await spawnServe(['--data', dataDir], { AOPGATE_ADMIN_TOKEN: ADMIN_TOKEN });
    try {
      const { stdout } = await run(
        process.execPath,
        ['bin/aopgate.js', 'apps', 'create', '--data', dataDir, '--notify-url', 'http://127.0.0.1:9/n', '--json'],
        { cwd: REPO_ROOT },
      );
      const app = JSON.parse(stdout);
      const sdk = officialSdk(server.url, { appId: app.app_id, privateKeyPem: app.app_private_key, signType: 'RSA2' }, app.alipay_public_key);
      const zhima = await sdk.exec(INIT, { bizContent: seedInitializeBiz() });
      const risk = await sdk.exec('alipay.security.risk.authentication.initialize', { bizContent: riskWithPii() });
      assert.deepEqual([zhima.code, risk.code], ['10000', '10000']);
      const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
      await fetch(`${server.url}/admin/authentications/${risk.tokenId}/complete`, { method: 'POST', headers: auth, body: '{"passed":true}' });
      const answers: string[] = [];
      for (const path of [
        `/admin/authentications/${risk.tokenId}`,
        `/admin/certifications/${zhima.bizNo}`,
        '/admin/sessions',
        '/admin/journal',
        '/admin/notifications',
        '/admin/apps',
      ])
        answers.push(await (await fetch(`${server.url}${path}`, { headers: auth })).text());
      const files = ['aopgate.sqlite', 'aopgate.sqlite-wal'].map((f) => join(dataDir, f)).filter(existsSync);
      assert.ok(files.length >= 1);
      const haystacks = {
        ...Object.fromEntries(files.map((f) => [f, readFileSync(f).toString('latin1') + readFileSync(f).toString('utf8')])),
        logs: server.output(),
        admin: answers.join('\n'),
      };
      for (const [where, text] of Object.entries(haystacks)) for (const secret of PII) assert.ok(!text.includes(secret), `${secret} found in ${where}`);
      assert.ok(answers.join('').includes('131****2301'), 'the admin views show the masked phone instead');
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('no PII in a pg_dump', { skip: noPgDump }, async () => {
    const db = await createTestDatabase();
    const gw = await startTestGateway({ databaseUrl: db.url, adminToken: ADMIN_TOKEN });
    try {
      const app = await gw.createApp();
      assert.equal((await gw.call(app, 'alipay.security.risk.authentication.initialize', riskWithPii())).node.code, '10000');
      assert.equal((await gw.call(app, INIT, seedInitializeBiz())).node.code, '10000');
      await admin(gw, 'GET', '/admin/journal');
      const { stdout } = await run('/usr/bin/pg_dump', [db.url], { maxBuffer: 64 * 1024 * 1024 });
      assert.ok(stdout.includes('verification_sessions'));
      for (const secret of PII) assert.ok(!stdout.includes(secret), `${secret} in the dump`);
    } finally {
      await gw.stop();
      await db.drop();
    }
  });
});
