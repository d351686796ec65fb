import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateRsaKeyPair } from '../src/crypto/rsa.js';
import { seedInitializeBiz } from './support/harness.js';
import { officialSdk } from './support/sdk.js';
import { REPO_ROOT, spawnServe, type ServeProcess } from './support/serve.js';

const run = promisify(execFile);
const aopgate = (...args: string[]) =>
  run('npx', ['--no-install', 'aopgate', ...args], { cwd: REPO_ROOT, env: { ...process.env, AOPGATE_LOG_LEVEL: 'silent' } });

/** The CLI contract of issue 2: `npx aopgate serve|apps create` from the checkout. */
describe('aopgate CLI', () => {
  let dataDir: string;
  let server: ServeProcess;
  let url: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aopgate-cli-'));
    server = await spawnServe(['--data', dataDir]);
    url = server.url;
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('npx aopgate from the checkout with an empty npx cache leaves dist/ untouched', async () => {
    // npx installs the checkout as a file: package and runs its `prepare`; recompiling dist/ there
    // made a gateway starting at the same moment load a half-written module (a CI run failed so).
    const cache = mkdtempSync(join(tmpdir(), 'aopgate-npx-cache-'));
    try {
      const compiled = join(REPO_ROOT, 'dist/cli/index.js');
      const before = statSync(compiled).mtimeMs;
      const { stdout } = await run('npx', ['--no-install', 'aopgate', 'help'], {
        cwd: REPO_ROOT,
        env: { ...process.env, npm_config_cache: cache, npm_config_update_notifier: 'false' },
      }).catch((e: { stdout: string }) => e);
      assert.match(stdout + '', /usage:/);
      assert.equal(statSync(compiled).mtimeMs, before);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  test('serve answers /healthz', async () => {
    const res = await fetch(`${url}/healthz`);
    assert.equal(res.status, 200);
  });

  test('apps create --json while the server runs; the new app can call at once', async () => {
    const { stdout } = await aopgate('apps', 'create', '--data', dataDir, '--json');
    const created = JSON.parse(stdout.trim());
    assert.match(created.app_id, /^\d{16}$/);
    assert.match(created.app_private_key, /^-----BEGIN PRIVATE KEY-----/);
    assert.match(created.app_public_key, /^-----BEGIN PUBLIC KEY-----/);
    assert.match(created.alipay_public_key, /^-----BEGIN PUBLIC KEY-----/);
    assert.notEqual(created.app_public_key, created.alipay_public_key);
    const sdk = officialSdk(url, { appId: created.app_id, privateKeyPem: created.app_private_key, signType: 'RSA2' }, created.alipay_public_key);
    const res = await sdk.exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true });
    assert.equal(res.code, '10000');
  });

  test('apps create with --app-id, --sign-type RSA and --public-key FILE prints no private key', async () => {
    const pair = await generateRsaKeyPair();
    const file = join(dataDir, 'app.pub');
    writeFileSync(file, pair.publicKeyPem);
    const { stdout } = await aopgate('apps', 'create', '--data', dataDir, '--app-id', '2021000000004242', '--sign-type', 'RSA', '--public-key', file, '--json');
    const created = JSON.parse(stdout.trim());
    assert.equal(created.app_id, '2021000000004242');
    assert.equal(created.sign_type, 'RSA');
    assert.equal(created.app_private_key, undefined);
    const sdk = officialSdk(url, { appId: created.app_id, privateKeyPem: pair.privateKeyPem, signType: 'RSA' }, created.alipay_public_key);
    assert.equal((await sdk.exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true })).code, '10000');
  });

  test('apps create --products/--scenes narrow the contract; --notify-url is kept', async () => {
    const { stdout } = await aopgate(
      'apps',
      'create',
      '--data',
      dataDir,
      '--scenes',
      'SMART_FACE,FACE_SDK',
      '--products',
      'w1010100000000002978',
      '--notify-url',
      'https://merchant.example/notify',
      '--json',
    );
    const created = JSON.parse(stdout.trim());
    assert.deepEqual(
      [created.scenes, created.products, created.notify_url],
      [['SMART_FACE', 'FACE_SDK'], ['w1010100000000002978'], 'https://merchant.example/notify'],
    );
    const sdk = officialSdk(url, { appId: created.app_id, privateKeyPem: created.app_private_key, signType: 'RSA2' }, created.alipay_public_key);
    const face = await sdk.exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true });
    assert.equal(face.subCode, 'UNSUPPORTED_BIZ_CODE');
    const sdkFace = await sdk.exec(
      'zhima.customer.certification.initialize',
      { bizContent: { ...seedInitializeBiz(), biz_code: 'FACE_SDK' } },
      { validateSign: true },
    );
    assert.equal(sdkFace.code, '10000');
    await assert.rejects(
      aopgate('apps', 'create', '--data', dataDir, '--scenes', 'NOPE'),
      (e: { code: number; stderr: string }) => e.code === 2 && /unknown scene NOPE/.test(e.stderr),
    );
  });

  test('apps create refuses a duplicate app id and a bad sign type with exit code 2', async () => {
    await assert.rejects(
      aopgate('apps', 'create', '--data', dataDir, '--app-id', '2021000000004242'),
      (e: { code: number; stderr: string }) => e.code === 2 && /already exists/.test(e.stderr),
    );
    await assert.rejects(aopgate('apps', 'create', '--data', dataDir, '--sign-type', 'MD5'), (e: { code: number }) => e.code === 2);
  });
});
