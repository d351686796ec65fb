import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateRsaKeyPair, pemBody, type RsaKeyPair } from '../src/crypto/rsa.js';
import { applySeed } from '../src/seed/apply.js';
import { loadSeedFile, SeedError } from '../src/seed/load.js';
import { seedJsonSchema } from '../src/seed/schema.js';
import type { AppRecord } from '../src/store/store.js';
import { startTestGateway, type TestGateway } from './support/harness.js';

const SEED_NAME = join('ci', 'aopgate.seed.json');

/** A scratch directory per describe block; seed files live in its `ci/` sub-folder so relative key paths are tested. */
function useScratchDir(): { dir: string } {
  const ctx = { dir: '' };
  before(() => {
    ctx.dir = mkdtempSync(join(tmpdir(), 'aopgate-seed-'));
  });
  after(() => rmSync(ctx.dir, { recursive: true, force: true }));
  return ctx;
}

function writeText(path: string, text: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const writeSeed = (dir: string, seed: unknown) => writeText(join(dir, SEED_NAME), JSON.stringify(seed, null, 2));

const storedApp = async (gw: TestGateway, appId: string): Promise<AppRecord> => {
  const app = await gw.services.store.getApp(appId);
  assert.ok(app, `app ${appId} is stored`);
  return app;
};

const storedPlatformKeys = (gw: TestGateway) =>
  gw.services.store.ensurePlatformKeys(() => {
    throw new Error('platform keys should exist');
  });

describe('seed file: applying apps', () => {
  const scratch = useScratchDir();
  let gw: TestGateway;
  let first: RsaKeyPair;
  let second: RsaKeyPair;
  before(async () => {
    gw = await startTestGateway();
    [first, second] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  });
  after(() => gw.stop());

  const seedOf = (notifyUrl: string) => ({
    $schema: '../schema/aopgate.seed.schema.json',
    apps: [
      { app_id: '2021000000000101', public_key_file: 'keys/first.pub' },
      {
        app_id: '2021000000000102',
        name: 'Checkout CI',
        sign_type: 'RSA',
        private_key: second.privateKeyPem,
        products: ['P1', 'P2'],
        scenes: ['CERT_PHOTO', 'FACE'],
        notify_url: notifyUrl,
        drills: ['forged-signature', 'duplicate'],
        aes_key: 'aYA0GP8JEW+D7/UFaskCWA==',
        status: 'disabled',
      },
    ],
  });

  it('creates both apps with exactly the declared fields, then leaves them alone, then updates what changed', async () => {
    // A bare Base64 body in a file next to the seed: the path resolves against the seed's directory, not the cwd.
    writeText(join(scratch.dir, 'ci', 'keys', 'first.pub'), pemBody(first.publicKeyPem));
    const path = writeSeed(scratch.dir, seedOf('https://merchant.example/notify'));
    const startedAt = gw.services.clock();
    const report = await applySeed(gw.services, loadSeedFile(path));
    const finishedAt = gw.services.clock();
    assert.deepEqual(report, { created: ['2021000000000101', '2021000000000102'], updated: [], unchanged: [], platformKeyReplaced: false });

    const a = await storedApp(gw, '2021000000000101');
    const b = await storedApp(gw, '2021000000000102');
    assert.ok(a.createdAt >= startedAt && a.createdAt <= finishedAt);
    assert.deepEqual(a, {
      appId: '2021000000000101',
      name: 'App 2021000000000101',
      signType: 'RSA2',
      publicKeyPem: first.publicKeyPem,
      status: 'active',
      products: ['w1010100000000002978'],
      scenes: ['FACE', 'SMART_FACE', 'CERT_PHOTO', 'CERT_PHOTO_FACE'],
      notifyUrl: null,
      createdAt: a.createdAt,
      drills: [],
      aesKey: null,
      certPem: null,
      certSn: null,
    });
    assert.deepEqual(b, {
      appId: '2021000000000102',
      name: 'Checkout CI',
      signType: 'RSA',
      publicKeyPem: second.publicKeyPem,
      status: 'disabled',
      products: ['P1', 'P2'],
      scenes: ['CERT_PHOTO', 'FACE'],
      notifyUrl: 'https://merchant.example/notify',
      createdAt: b.createdAt,
      drills: ['forged-signature', 'duplicate'],
      aesKey: 'aYA0GP8JEW+D7/UFaskCWA==',
      certPem: null,
      certSn: null,
    });

    const again = await applySeed(gw.services, loadSeedFile(path));
    assert.deepEqual(again, { created: [], updated: [], unchanged: ['2021000000000101', '2021000000000102'], platformKeyReplaced: false });
    assert.deepEqual(await storedApp(gw, '2021000000000101'), a);
    assert.deepEqual(await storedApp(gw, '2021000000000102'), b);

    writeSeed(scratch.dir, seedOf('http://merchant.example/v2/notify'));
    const changed = await applySeed(gw.services, loadSeedFile(path));
    assert.deepEqual(changed, { created: [], updated: ['2021000000000102'], unchanged: ['2021000000000101'], platformKeyReplaced: false });
    assert.deepEqual(await storedApp(gw, '2021000000000102'), { ...b, notifyUrl: 'http://merchant.example/v2/notify' });
  });

  it('resets fields changed outside the seed and fields the seed stops declaring to their defaults', async () => {
    const appId = '2021000000000103';
    const path = writeSeed(scratch.dir, {
      apps: [{ app_id: appId, public_key: first.publicKeyPem, notify_url: 'https://m.example/n', drills: ['duplicate'] }],
    });
    await applySeed(gw.services, loadSeedFile(path));
    const declared = await storedApp(gw, appId);
    await gw.services.store.updateApp(appId, { name: 'renamed by hand', status: 'disabled' });

    assert.deepEqual((await applySeed(gw.services, loadSeedFile(path))).updated, [appId]);
    assert.deepEqual(await storedApp(gw, appId), declared);

    writeSeed(scratch.dir, { apps: [{ app_id: appId, public_key: first.publicKeyPem }] });
    assert.deepEqual((await applySeed(gw.services, loadSeedFile(path))).updated, [appId]);
    assert.deepEqual(await storedApp(gw, appId), { ...declared, notifyUrl: null, drills: [] });
  });
});

describe('seed file: the platform key', () => {
  const scratch = useScratchDir();

  it('replaces the platform key in memory and in the store, and a restarted gateway keeps it', async () => {
    const dataDir = join(scratch.dir, 'data');
    mkdirSync(dataDir);
    const platform = await generateRsaKeyPair();
    writeText(join(scratch.dir, 'ci', 'platform.pem'), platform.privateKeyPem);
    const path = writeSeed(scratch.dir, { platform: { private_key_file: 'platform.pem' } });
    const seed = loadSeedFile(path);

    const gw = await startTestGateway({ dataDir });
    try {
      assert.notEqual(gw.services.platform.publicKeyPem, platform.publicKeyPem);
      assert.deepEqual(await applySeed(gw.services, seed), { created: [], updated: [], unchanged: [], platformKeyReplaced: true });
      assert.equal(gw.services.platform.publicKeyPem, platform.publicKeyPem);
      assert.deepEqual(await storedPlatformKeys(gw), platform);
      // The signer itself changed, not only the advertised public key.
      const data = Buffer.from('biz_content={}');
      assert.ok(verify('sha256', data, platform.publicKeyPem, sign('sha256', data, gw.services.platform.privateKey)));
      assert.equal((await applySeed(gw.services, seed)).platformKeyReplaced, false);
    } finally {
      await gw.stop();
    }

    const restarted = await startTestGateway({ dataDir });
    try {
      assert.equal(restarted.services.platform.publicKeyPem, platform.publicKeyPem);
      assert.deepEqual(await storedPlatformKeys(restarted), platform);
    } finally {
      await restarted.stop();
    }
  });
});

describe('seed file: malformed files', () => {
  const scratch = useScratchDir();
  let gw: TestGateway;
  let rsa: RsaKeyPair;
  let ec: { publicKeyPem: string; privateKeyPem: string };
  before(async () => {
    gw = await startTestGateway();
    rsa = await generateRsaKeyPair();
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    ec = {
      publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  });
  after(() => gw.stop());

  const app = (appId: string, extra: Record<string, unknown> = {}) => ({ app_id: appId, public_key: rsa.publicKeyPem, ...extra });

  /** Loads (and applies) the seed; the SeedError must name the file, then the field, then say what is wrong. */
  async function assertRejected(path: string, field: string, detail: string | RegExp) {
    const err = await (async () => applySeed(gw.services, loadSeedFile(path)))().then(
      () => assert.fail('the seed was accepted'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof SeedError, `a SeedError, got ${String(err)}`);
    const prefix = field === '' ? `seed file ${path}: ` : `seed file ${path}: ${field}: `;
    assert.ok(err.message.startsWith(prefix), `"${err.message}" starts with "${prefix}"`);
    if (typeof detail === 'string') assert.ok(err.message.includes(detail), `"${err.message}" mentions "${detail}"`);
    else assert.match(err.message, detail);
  }

  const rejects = (seed: unknown, field: string, detail: string | RegExp) => assertRejected(writeSeed(scratch.dir, seed), field, detail);

  it('a file that is not JSON', async () => {
    await assertRejected(writeText(join(scratch.dir, SEED_NAME), '{ "apps": [ }'), '', /^seed file \S+: not valid JSON: /);
  });

  it('a file that does not exist', async () => {
    await assertRejected(join(scratch.dir, 'missing', 'aopgate.seed.json'), '', 'cannot read: ENOENT');
  });

  it('an unknown key', async () => {
    await rejects({ apps: [app('1', { colour: 'blue' })] }, 'apps[0].colour', 'unknown key');
  });

  it('a bad sign_type', async () => {
    await rejects({ apps: [app('1'), app('2', { sign_type: 'RSA256' })] }, 'apps[1].sign_type', 'Invalid option: expected one of "RSA2"|"RSA"');
  });

  it('two key sources in one app', async () => {
    await rejects({ apps: [app('1', { private_key: rsa.privateKeyPem })] }, 'apps[0]', 'found public_key and private_key');
  });

  it('an AES key of the wrong length', async () => {
    await rejects({ apps: [app('1', { aes_key: 'c2hvcnQ=' })] }, 'apps[0].aes_key', 'must be Base64 of 16, 24 or 32 bytes');
  });

  it('a duplicate app_id', async () => {
    await rejects({ apps: [app('7'), app('8'), app('7')] }, 'apps[2].app_id', 'duplicate app id 7 (first at apps[0])');
  });

  it('a bad drill name', async () => {
    await rejects({ apps: [app('1', { drills: ['duplicate', 'late'] })] }, 'apps[0].drills[1]', 'Invalid option');
  });

  it('an unknown scene, before anything is written', async () => {
    await rejects({ apps: [app('2021000000000901'), app('2', { scenes: ['FACE', 'TELEPATHY'] })] }, 'apps[1].scenes[1]', 'unknown scene TELEPATHY');
    assert.equal(await gw.services.store.getApp('2021000000000901'), undefined);
  });

  it('an unreadable key file', async () => {
    await rejects({ apps: [app('1'), { app_id: '2', public_key_file: 'keys/app.pub' }] }, 'apps[1].public_key_file', 'cannot read keys/app.pub (ENOENT)');
  });

  it('keys that are not RSA keys', async () => {
    writeText(join(scratch.dir, 'ci', 'keys', 'ec.pem'), ec.privateKeyPem);
    await rejects({ apps: [{ app_id: '1', public_key: ec.publicKeyPem }] }, 'apps[0].public_key', 'not an RSA public key (it is ec)');
    await rejects({ apps: [{ app_id: '1', private_key_file: 'keys/ec.pem' }] }, 'apps[0].private_key_file', 'not an RSA private key (it is ec)');
    await rejects({ platform: { private_key: ec.privateKeyPem } }, 'platform.private_key', 'not an RSA private key (it is ec)');
  });

  it('a key that is no key at all', async () => {
    await rejects({ apps: [{ app_id: '1', public_key: 'not a key' }] }, 'apps[0].public_key', 'not a valid public key');
  });
});

describe('seed file: JSON Schema', () => {
  it('the shipped schema/aopgate.seed.schema.json is the one the Zod schema generates (node --import tsx scripts/seed-schema.mjs)', () => {
    const shipped: unknown = JSON.parse(readFileSync(new URL('../schema/aopgate.seed.schema.json', import.meta.url), 'utf8'));
    assert.deepEqual(shipped, seedJsonSchema());
  });
});

describe('seed file: faults', () => {
  const scratch = useScratchDir();
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(async () => {
    await gw.stop();
  });

  it("replaces its own rules at each apply and leaves the API's alone", async () => {
    const admin = await gw.services.store.faults.list();
    assert.deepEqual(admin, []);
    await gw.services.store.faults.add({
      id: 'by-api',
      appId: null,
      method: null,
      action: 'answer',
      code: '20000',
      subCode: 'isp.unknow-error',
      subMsg: '系统繁忙',
      latencyMs: 0,
      probability: 1,
      remaining: 1,
      source: 'admin',
      createdAt: 1,
    });
    const path = writeSeed(scratch.dir, {
      faults: [
        { method: 'zhima.customer.certification.query', probability: 0.5 },
        { drop: true, count: 3 },
      ],
    });
    await applySeed(gw.services, loadSeedFile(path));
    await applySeed(gw.services, loadSeedFile(path));
    const rules = await gw.services.store.faults.list();
    assert.deepEqual(rules.map((r) => [r.source, r.action, r.method, r.probability, r.remaining]).sort(), [
      ['admin', 'answer', null, 1, 1],
      ['seed', 'answer', 'zhima.customer.certification.query', 0.5, null],
      ['seed', 'drop', null, 1, 3],
    ]);
  });

  it('a bad fault is refused with its path', async () => {
    const path = writeSeed(scratch.dir, { faults: [{ probability: 2 }] });
    assert.throws(
      () => loadSeedFile(path),
      (e: Error) => e instanceof SeedError && e.message.includes('faults[0].probability'),
    );
  });
});
