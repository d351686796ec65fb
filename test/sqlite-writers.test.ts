import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateRsaKeyPair } from '../src/crypto/rsa.js';
import { ensurePlatformCertificate } from '../src/domain/platform-ca.js';
import type { Services } from '../src/services.js';
import type { KyselyStore } from '../src/store/kysely-store.js';
import { openStore } from '../src/store/open.js';
import { seedInitializeBiz } from './support/harness.js';
import { createTestDatabase } from './support/pg.js';
import { needPostgres } from './support/requirements.js';
import { officialSdk } from './support/sdk.js';
import { REPO_ROOT, spawnServe } from './support/serve.js';

const run = promisify(execFile);
const secretKey = randomBytes(32).toString('base64');
const busy = (e: unknown) => /SQLITE_BUSY|database is locked/i.test(`${(e as { code?: string }).code} ${(e as Error).message}`);

/**
 * ESM + TypeScript run by another Node process from the repository root: a second process on the
 * same SQLite file, as the CLI or another instance is. `ready` once it prints "ready".
 */
function script(code: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => out.includes('ready') && resolve());
    child.once('exit', (c) => reject(new Error(`script exited ${c} before it was ready:\n${err}`)));
  });
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.once('exit', (c) => resolve({ code: c, out, err })));
  return { child, ready, done };
}

const opening = (dataDir: string) => `
  import { openStore } from './src/store/open.ts';
  const store = await openStore({ dataDir: ${JSON.stringify(dataDir)}, secretKey: ${JSON.stringify(secretKey)} });
  console.log('ready');`;

/** Another process writing through its own store beside us: autocommit writes, as fast as it can, for `ms`. */
const otherWriter = (dataDir: string, ms: number) =>
  script(`${opening(dataDir)}
    const until = Date.now() + ${ms};
    let n = 0;
    while (Date.now() < until) {
      await store.putSetting('writer:' + (n % 50), String(n));
      if (++n % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    await store.close();`);

/**
 * Another instance certifying each platform key at the same moment as the others (round i starts
 * at the shared wall-clock time startAt + i·roundMs); prints the SN it ended up with per key.
 */
const certifier = (dataDir: string, publicKeys: string[], startAt: number, roundMs: number) =>
  script(`${opening(dataDir)}
    const { ensurePlatformCertificate } = await import('./src/domain/platform-ca.ts');
    const sns = [];
    for (const [i, publicKeyPem] of ${JSON.stringify(publicKeys)}.entries()) {
      const services = { store, clock: () => Date.now(), platform: { publicKeyPem } };
      while (Date.now() < ${startAt} + i * ${roundMs});
      await ensurePlatformCertificate(services);
      sns.push(services.platform.certSn);
    }
    await store.close();
    console.log(JSON.stringify(sns));`);

/** Enough of Services for ensurePlatformCertificate. */
const caServices = (store: KyselyStore, publicKeyPem: string) => ({ store, clock: () => Date.now(), platform: { publicKeyPem } }) as unknown as Services;

const noPostgres = await needPostgres();

describe('SQLite WAL with several writer processes', () => {
  test('four stores opening a new SQLite file at once all migrate it, each migration recorded once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-migrate-'));
    const secretKey = randomBytes(32).toString('base64');
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ dataDir, secretKey })));
      const names = await stores[0]!.db
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .execute();
      const counts = new Map<string, number>();
      for (const { name } of names as Array<{ name: string }>) counts.set(name, (counts.get(name) ?? 0) + 1);
      assert.ok(counts.size >= 5, 'every migration is recorded');
      assert.deepEqual([...new Set(counts.values())], [1], 'none twice');
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('read-then-write transactions beside another writer process never fail with SQLITE_BUSY', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-writers-'));
    const store = await openStore({ dataDir, secretKey });
    const writer = otherWriter(dataDir, 1500);
    try {
      await writer.ready;
      let exited = false;
      void writer.done.then(() => (exited = true));
      const failures: unknown[] = [];
      let transactions = 0;
      while (!exited) {
        try {
          // A read, some work, then a write in one transaction: the shape that fails at once with
          // SQLITE_BUSY(_SNAPSHOT) when it starts deferred and the other process writes meanwhile.
          await store.db.transaction().execute(async (trx) => {
            const row = await trx.selectFrom('settings').select('value').where('key', '=', 'counter').executeTakeFirst();
            await new Promise((r) => setImmediate(r));
            await trx
              .insertInto('settings')
              .values({ key: 'counter', value: String(Number(row?.value ?? 0) + 1) })
              .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
              .execute();
          });
          transactions++;
          // The store's own read-then-write transaction (a key without a certificate gets this one).
          await store.putPlatformCertOnce({ sn: `sn${transactions}`, certPem: 'pem', publicKeyPem: `key${transactions}`, createdAt: Date.now() });
          // And its write-first ones.
          await store.reset('nobody');
          await store.faults.replaceSource('seed', []);
          // Not back to back: a process that always holds the write lock starves the other (its busy handler polls).
          await new Promise((r) => setTimeout(r, 1));
        } catch (e) {
          if (!busy(e)) throw e;
          failures.push(e);
        }
      }
      const result = await writer.done;
      assert.equal(result.code, 0, `the other writer failed:\n${result.err}`);
      assert.deepEqual(
        failures.map((e) => (e as Error).message),
        [],
        `${failures.length} calls failed beside ${transactions} committed increments`,
      );
      assert.ok(transactions > 20, `only ${transactions} transactions ran`);
      assert.equal(await store.getSetting('counter'), String(transactions), 'every increment counted once');
    } finally {
      writer.child.kill('SIGKILL');
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('two instances ensuring the platform certificate at once on a fresh database agree on one serial', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-ca-race-'));
    // Migrated (and the CA root made) first: the race under test is the platform certificate's.
    const store = await openStore({ dataDir, secretKey });
    const first = await generateRsaKeyPair();
    await ensurePlatformCertificate(caServices(store, first.publicKeyPem));
    const keys = await Promise.all(Array.from({ length: 8 }, () => generateRsaKeyPair().then((k) => k.publicKeyPem)));
    const startAt = Date.now() + 3000;
    const instances = [certifier(dataDir, keys, startAt, 100), certifier(dataDir, keys, startAt, 100)];
    try {
      const results = await Promise.all(instances.map((i) => i.done));
      for (const r of results) assert.equal(r.code, 0, r.err);
      const [a, b] = results.map((r) => JSON.parse(r.out.trim().split('\n').at(-1)!) as string[]);
      for (const [i, publicKeyPem] of keys.entries()) {
        const rows = await store.db.selectFrom('platform_certs').select('sn').where('public_key', '=', publicKeyPem).execute();
        assert.deepEqual(
          rows.map((r) => r.sn),
          [a![i]],
          `key ${i}: one certificate, the one both instances use`,
        );
        assert.equal(b![i], a![i], `key ${i}: both instances answer with one alipay_cert_sn`);
      }
    } finally {
      for (const i of instances) i.child.kill('SIGKILL');
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('serve --workers 2: 200 concurrent initialize calls while the CLI creates apps and resets another: all 10000, every command exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-writers-e2e-'));
    const server = await spawnServe(['--data', dataDir, '--workers', '2']);
    try {
      const cli = (...args: string[]) => run(process.execPath, ['bin/aopgate.js', ...args, '--data', dataDir], { cwd: REPO_ROOT });
      const app = JSON.parse((await cli('apps', 'create', '--json')).stdout);
      const other = JSON.parse((await cli('apps', 'create', '--json')).stdout);
      const sdk = officialSdk(server.url, { appId: app.app_id, privateKeyPem: app.app_private_key, signType: 'RSA2' }, app.alipay_public_key);
      const calls = Promise.all(
        Array.from({ length: 200 }, () => sdk.exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true })),
      );
      const commands = Promise.allSettled([...Array.from({ length: 5 }, () => cli('apps', 'create', '--json')), cli('reset', '--app-id', other.app_id)]);
      const answers = await calls;
      const codes = answers.map((a) => [a.code, a.subCode].filter(Boolean).join(' '));
      assert.deepEqual([...new Set(codes)], ['10000'], 'no SQLITE_BUSY reaches a client');
      const failed = (await commands).filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
      assert.deepEqual(failed, [], 'every CLI command exits 0');
    } finally {
      await server.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('platform certificate on PostgreSQL', { skip: noPostgres }, () => {
  test('two instances ensuring it at once agree on one serial', async () => {
    const pgDb = await createTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-ca-race-pg-'));
    const a = await openStore({ dataDir, secretKey, databaseUrl: pgDb.url });
    const b = await openStore({ dataDir, secretKey, databaseUrl: pgDb.url });
    try {
      await ensurePlatformCertificate(caServices(a, (await generateRsaKeyPair()).publicKeyPem));
      for (let i = 0; i < 5; i++) {
        const key = (await generateRsaKeyPair()).publicKeyPem;
        const [x, y] = [caServices(a, key), caServices(b, key)];
        await Promise.all([ensurePlatformCertificate(x), ensurePlatformCertificate(y)]);
        const rows = await a.db.selectFrom('platform_certs').select('sn').where('public_key', '=', key).execute();
        assert.deepEqual(
          rows.map((r) => r.sn),
          [x.platform.certSn],
          `round ${i}: one certificate`,
        );
        assert.equal(y.platform.certSn, x.platform.certSn, `round ${i}: one alipay_cert_sn`);
      }
    } finally {
      await a.close();
      await b.close();
      await pgDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
