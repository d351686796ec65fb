import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { generateRsaKeyPair } from '../src/crypto/rsa.js';
import { openStore } from '../src/store/open.js';
import type { KyselyStore } from '../src/store/kysely-store.js';
import type { AppRecord, SessionRecord } from '../src/store/store.js';
import { createTestDatabase } from './support/pg.js';
import { needPostgres } from './support/requirements.js';
import { seedInitializeBiz, startTestGateway } from './support/harness.js';

const secretKey = randomBytes(32).toString('base64');

function app(appId: string): AppRecord {
  return {
    appId,
    name: 'contract',
    signType: 'RSA2',
    publicKeyPem: null,
    status: 'active',
    products: ['w1010100000000002978'],
    scenes: ['FACE'],
    notifyUrl: null,
    createdAt: 1_700_000_000_000,
    drills: [],
    aesKey: null,
    certPem: null,
    certSn: null,
  };
}

function session(appId: string, ref: string, over: Partial<SessionRecord> = {}): SessionRecord {
  const id = randomBytes(16).toString('hex');
  return {
    id,
    family: 'zhima',
    appId,
    externalId: `ZM${id.slice(0, 30)}`,
    merchantRef: ref,
    requestDigest: 'd1',
    scene: 'FACE',
    identity: { cert_name: '收委', cert_no: '260104197909275964' },
    details: { product_code: 'w1010100000000002978' },
    returnUrl: null,
    state: 'INIT',
    failedReason: null,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    expiresAt: 1_700_086_400_000,
    startedAt: null,
    finishedAt: null,
    notifyUrl: null,
    agentAppId: null,
    ...over,
  };
}

/** One behavioural suite, run against every backend (hono's contract-test habit). */
function storeContract(name: string, open: () => Promise<KyselyStore>, cleanup: () => Promise<void>) {
  describe(`store contract: ${name}`, () => {
    let store: KyselyStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

    test('migrations are idempotent: opening again works', async () => {
      const again = await open();
      await again.close();
    });

    test('platform keys: first writer wins under concurrency', async () => {
      const candidates = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]);
      const results = await Promise.all(candidates.map((c) => store.ensurePlatformKeys(async () => c)));
      assert.equal(new Set(results.map((r) => r.publicKeyPem)).size, 1);
      assert.equal((await store.ensurePlatformKeys(async () => candidates[0]!)).publicKeyPem, results[0]!.publicKeyPem);
    });

    test('apps: create, duplicate, get, list round-trip', async () => {
      const a = app('2021000000000101');
      assert.equal((await store.createApp(a)).created, true);
      const dup = await store.createApp({ ...a, name: 'other' });
      assert.equal(dup.created, false);
      assert.deepEqual(await store.getApp(a.appId), a);
      assert.equal(await store.getApp('nope'), undefined);
      assert.ok((await store.listApps()).some((x) => x.appId === a.appId));
    });

    test('apps kept in memory follow a change made by another process (an update, a delete, raw SQL)', async () => {
      const other = await open();
      try {
        const id = `20210000${Date.now().toString().slice(-8)}`;
        await store.createApp(app(id));
        assert.equal((await store.getApp(id))?.status, 'active');
        await other.updateApp(id, { status: 'disabled', scenes: ['FACE', 'CERT_PHOTO'] });
        const changed = await store.getApp(id);
        assert.equal(changed?.status, 'disabled');
        assert.deepEqual(changed?.scenes, ['FACE', 'CERT_PHOTO']);
        await sql`update apps set name = 'renamed outside' where app_id = ${id}`.execute(other.db);
        assert.equal((await store.getApp(id))?.name, 'renamed outside');
        await sql`delete from apps where app_id = ${id}`.execute(other.db);
        assert.equal(await store.getApp(id), undefined);
      } finally {
        await other.close();
      }
    });

    test('sessions: concurrent inserts with one merchant ref → exactly one row; lookups scoped by app', async () => {
      await store.createApp(app('2021000000000102'));
      await store.createApp(app('2021000000000103'));
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.createSession(session('2021000000000102', 'TX1'))));
      assert.equal(outcomes.filter((o) => o.created).length, 1);
      const winner = outcomes.find((o) => o.created)!;
      const ids = new Set(outcomes.map((o) => (o.created ? o.record.id : o.existing.id)));
      assert.equal(ids.size, 1);
      const stored = await store.findSession('zhima', { appId: '2021000000000102', merchantRef: 'TX1' });
      assert.deepEqual(stored, winner.created ? winner.record : undefined);
      assert.equal(await store.findSession('zhima', { appId: '2021000000000103', externalId: stored!.externalId }), undefined);
      assert.equal((await store.createSession(session('2021000000000103', 'TX1'))).created, true, 'same ref, other app');
    });

    test('inserts made together: one that cannot be stored fails alone; every other one is stored', async () => {
      await store.createApp(app('2021000000000104'));
      const good = Array.from({ length: 6 }, (_, i) => session('2021000000000104', `TOGETHER${i}`));
      // No such app: the foreign key refuses this row (on SQLite, inside the batch it shares with the others).
      const orphan = session('2021000000009999', 'TOGETHER-ORPHAN');
      const outcomes = await Promise.allSettled([...good.slice(0, 3), orphan, ...good.slice(3)].map((s) => store.createSession(s)));
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'],
      );
      for (const s of good) assert.equal((await store.getSession(s.id))?.merchantRef, s.merchantRef);
      assert.equal(await store.getSession(orphan.id), undefined);
    });

    test('transitions are conditional: one winner among concurrent completions; timestamps kept', async () => {
      const s = session('2021000000000102', 'TX2');
      await store.createSession(s);
      const started = await store.transitionSession(s.id, ['INIT'], 'PROCESSING', 1_700_000_001_000, { returnUrl: 'https://m.example/r' });
      assert.deepEqual([started?.state, started?.startedAt, started?.returnUrl], ['PROCESSING', 1_700_000_001_000, 'https://m.example/r']);
      const racers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.transitionSession(s.id, ['INIT', 'PROCESSING'], i % 2 ? 'PASSED' : 'FAILED', 1_700_000_002_000 + i, { failedReason: i % 2 ? null : 'x' }),
        ),
      );
      assert.equal(racers.filter(Boolean).length, 1);
      const final = await store.getSession(s.id);
      assert.equal(final?.state, racers.find(Boolean)!.state);
      assert.equal(final?.finishedAt, racers.find(Boolean)!.finishedAt);
      assert.equal(final?.startedAt, 1_700_000_001_000, 'started_at is not moved by later transitions');
    });

    test('a transition and its notification commit together', async () => {
      const s = session('2021000000000102', 'TX3');
      await store.createSession(s);
      const note = {
        id: randomBytes(16).toString('hex'),
        appId: s.appId,
        sessionId: s.id,
        url: 'http://127.0.0.1:9/n',
        payload: { a: '1' },
        status: 'PENDING' as const,
        attempts: 0,
        nextAttemptAt: 1,
        createdAt: 1,
      };
      assert.ok(await store.transitionSession(s.id, ['INIT'], 'PASSED', 5, {}, note));
      assert.deepEqual(await store.listNotifications(s.id), [note]);
      assert.equal(await store.transitionSession(s.id, ['INIT'], 'FAILED', 6, {}, { ...note, id: 'other' }), undefined);
      assert.equal((await store.listNotifications(s.id)).length, 1, 'a refused transition writes no notification');
    });

    test('outbox: one claimer per row; only the lease holder records; an expired lease is claimed again', async () => {
      const s = session('2021000000000103', 'OUTBOX1');
      await store.createSession(s);
      const id = randomBytes(16).toString('hex');
      const note = {
        id,
        appId: s.appId,
        sessionId: s.id,
        url: 'http://127.0.0.1:9/n',
        payload: { a: '1' },
        status: 'PENDING' as const,
        attempts: 0,
        nextAttemptAt: 100,
        createdAt: 100,
      };
      assert.ok(await store.transitionSession(s.id, ['INIT'], 'PASSED', 100, {}, note));
      const mine = (rows: { id: string }[]) => rows.filter((r) => r.id === id);
      assert.deepEqual(mine(await store.outbox.claimDue(99, 1000, 500, 'early', 10)), [], 'not due before next_attempt_at');
      const claims = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((w) => store.outbox.claimDue(100, 1000, 500, w, 10)));
      const winners = claims.filter((c) => mine(c).length === 1);
      assert.equal(winners.length, 1, 'exactly one worker holds the row');
      const result = { status: 'PENDING' as const, attempts: 1, nextAttemptAt: 340_100, deliveredAt: null };
      const attempt = {
        id: 'a1',
        notificationId: id,
        appId: s.appId,
        attemptedAt: 100,
        drill: null,
        httpStatus: 500,
        responseHead: 'no',
        error: null,
        latencyMs: 3,
        accepted: false,
      };
      const holder = ['w1', 'w2', 'w3', 'w4'][claims.indexOf(winners[0]!)]!;
      assert.equal(await store.outbox.finish(id, 'not-the-holder', result, [attempt]), false);
      assert.deepEqual(await store.outbox.attemptsOf([id]), [], 'nothing recorded by a non-holder');
      assert.deepEqual(mine(await store.outbox.claimDue(100, 1200, 500, 'w5', 10)), [], 'still leased at real time 1200');
      const again = mine(await store.outbox.claimDue(100, 1600, 500, 'w5', 10));
      assert.deepEqual(
        again.map((r) => r.id),
        [id],
        'a lease that ran out (a crashed worker) is claimed again',
      );
      assert.equal(await store.outbox.finish(id, holder, result, [attempt]), false, 'the old holder lost it');
      assert.equal(await store.outbox.finish(id, 'w5', result, [attempt]), true);
      assert.deepEqual(await store.outbox.attemptsOf([id]), [attempt]);
      const row = await store.outbox.get(id);
      assert.deepEqual([row?.status, row?.attempts, row?.nextAttemptAt, row?.maxAttempts], ['PENDING', 1, 340_100, 8]);
      assert.equal((await store.outbox.list({ appId: s.appId, status: 'PENDING', limit: 10 }))[0]?.id, id);
    });

    test('reset of one app removes its sessions, notifications and attempts only', async () => {
      const mine = session('2021000000000103', 'RESET1');
      const theirs = session('2021000000000102', 'RESET2');
      await store.createSession(mine);
      await store.createSession(theirs);
      const before = await store.getSession(theirs.id);
      const counts = await store.reset('2021000000000103');
      assert.ok(counts.sessions >= 1 && counts.notifications >= 1 && counts.attempts >= 1, JSON.stringify(counts));
      assert.equal(await store.getSession(mine.id), undefined);
      assert.deepEqual(await store.getSession(theirs.id), before);
      assert.ok(await store.getApp('2021000000000103'), 'the app stays');
    });

    test('identity data is sealed at rest', async () => {
      const s = session('2021000000000102', 'TX4');
      await store.createSession(s);
      const rows = await sql<Record<string, unknown>>`select * from verification_sessions where id = ${s.id}`.execute(store.db);
      const raw = JSON.stringify(rows.rows);
      assert.ok(!raw.includes('收委') && !raw.includes('260104197909275964'));
      assert.equal((await store.getSession(s.id))?.identity.cert_name, '收委');
      const keys = await sql<Record<string, unknown>>`select * from settings`.execute(store.db);
      assert.ok(!JSON.stringify(keys.rows).includes('PRIVATE KEY'), 'the platform private key is sealed too');
    });
  });
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'aopgate-contract-'));
storeContract(
  'SQLite',
  () => openStore({ dataDir: sqliteDir, secretKey }),
  async () => rmSync(sqliteDir, { recursive: true, force: true }),
);

const noPostgres = await needPostgres();
if (noPostgres) {
  describe('store contract: PostgreSQL', { skip: noPostgres }, () => {});
} else {
  const pgDb = await createTestDatabase();
  const pgDir = mkdtempSync(join(tmpdir(), 'aopgate-contract-pg-'));
  storeContract(
    'PostgreSQL',
    () => openStore({ dataDir: pgDir, databaseUrl: pgDb.url, secretKey }),
    async () => {
      await pgDb.drop();
      rmSync(pgDir, { recursive: true, force: true });
    },
  );
}

describe('the gateway on PostgreSQL', { skip: noPostgres }, () => {
  test('a signed initialize over HTTP persists in PostgreSQL', async () => {
    const db = await createTestDatabase();
    const gw = await startTestGateway({ databaseUrl: db.url });
    try {
      const a = await gw.createApp();
      const r = await gw.call(a, 'zhima.customer.certification.initialize', seedInitializeBiz());
      assert.equal(r.node.code, '10000');
      assert.ok(r.signatureValid);
      const q = await gw.call(a, 'zhima.customer.certification.query', { biz_no: r.node.biz_no });
      assert.equal(q.node.passed, 'false');
    } finally {
      await gw.stop();
      await db.drop();
    }
  });
});
