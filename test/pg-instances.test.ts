import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { registerApp } from '../src/apps.js';
import { openStore } from '../src/store/open.js';
import { seedInitializeBiz } from './support/harness.js';
import { startNotifyReceiver } from './support/notify-receiver.js';
import { createTestDatabase } from './support/pg.js';
import { needPostgres } from './support/requirements.js';
import { officialSdk } from './support/sdk.js';
import { REPO_ROOT, spawnServe, type ServeProcess } from './support/serve.js';

/**
 * Several aopgate instances on one PostgreSQL database: they migrate at once without tripping
 * over each other, share idempotency through the database, and deliver each notification once.
 */
const run = promisify(execFile);
const INIT = 'zhima.customer.certification.initialize';
const ADMIN_TOKEN = 'pg-instances';
const SECRET_KEY = randomBytes(32).toString('base64');

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * PostgreSQL a little way off: a TCP proxy that holds every client→server chunk `delayMs` (in
 * order). A fresh database's migration then takes seconds, as over a real network, while each
 * statement stays far inside the pool's per-statement timeout.
 */
async function startDelayProxy(target: URL, delayMs: number) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    // Equal delays fire in the order they were set: the stream stays in order.
    client.on('data', (d) => setTimeout(() => upstream.writable && upstream.write(d), delayMs));
    upstream.on('data', (d) => client.writable && client.write(d));
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Two `aopgate serve` processes started at once on one fresh database, and one app created by the CLI. */
async function withTwoInstances(
  fn: (ctx: { servers: [ServeProcess, ServeProcess]; dbUrl: string; app: Record<string, string> }) => Promise<void>,
  notifyUrl?: string,
): Promise<void> {
  const db = await createTestDatabase();
  const dirs = [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'aopgate-pg-instances-')));
  const env = {
    AOPGATE_DATABASE_URL: db.url,
    AOPGATE_SECRET_KEY: SECRET_KEY,
    AOPGATE_ADMIN_TOKEN: ADMIN_TOKEN,
    AOPGATE_NOTIFY_POLL_MS: '50',
    AOPGATE_NOTIFY_TIMEOUT_MS: '2000',
  };
  const started = await Promise.allSettled([spawnServe(['--data', dirs[0]!], env), spawnServe(['--data', dirs[1]!], env)]);
  try {
    const servers = started.map((s) => {
      if (s.status === 'rejected') throw s.reason;
      return s.value;
    }) as [ServeProcess, ServeProcess];
    const args = ['bin/aopgate.js', 'apps', 'create', '--data', dirs[2]!, '--json', ...(notifyUrl ? ['--notify-url', notifyUrl] : [])];
    const { stdout } = await run(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    await fn({ servers, dbUrl: db.url, app: JSON.parse(stdout) as Record<string, string> });
  } finally {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop('SIGKILL') : undefined)));
    await db.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

function sdkFor(server: ServeProcess, app: Record<string, string>) {
  return officialSdk(server.url, { appId: app.app_id!, privateKeyPem: app.app_private_key!, signType: 'RSA2' }, app.alipay_public_key!);
}

describe('several aopgate instances on one PostgreSQL database', { skip: await needPostgres() }, () => {
  test('six stores opened at once on a fresh database all migrate, each migration recorded once', async () => {
    // A fresh database per round: the race is between first starts. The database sits 40 ms away, so the first
    // instance's migration outlasts the per-statement timeout the others would otherwise wait on a lock with.
    for (let round = 0; round < 2; round++) {
      const db = await createTestDatabase();
      const proxy = await startDelayProxy(new URL(db.url), 40);
      const dirs = Array.from({ length: 6 }, () => mkdtempSync(join(tmpdir(), 'aopgate-pg-migrate-')));
      const opened = await Promise.allSettled(dirs.map((dataDir) => openStore({ dataDir, databaseUrl: proxy.url, secretKey: SECRET_KEY })));
      try {
        const failures = opened.flatMap((o) => (o.status === 'rejected' ? [String((o.reason as Error).cause ?? o.reason)] : []));
        assert.deepEqual(failures, [], `round ${round}: every open resolves`);
        const rows = await query<{ name: string; n: string }>(db.url, 'select name, count(*) as n from kysely_migration group by name order by name');
        assert.ok(rows.length >= 5, `round ${round}: migrations recorded: ${rows.map((r) => r.name).join(', ')}`);
        assert.equal(rows[0]!.name, '0001_initial');
        assert.deepEqual(
          rows.filter((r) => Number(r.n) !== 1),
          [],
          'each migration exactly once',
        );
        // The schema the last migration leaves behind is usable from every store.
        for (const o of opened) if (o.status === 'fulfilled') assert.equal(await o.value.outbox.count('PENDING'), 0);
      } finally {
        await Promise.all(opened.map((o) => (o.status === 'fulfilled' ? o.value.close() : undefined)));
        await proxy.close();
        await db.drop();
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
      }
    }
  });

  test('two stores claiming at once each get a full batch of different due rows, in due order', async () => {
    const db = await createTestDatabase();
    const dirs = [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'aopgate-pg-claim-')));
    const setup = await openStore({ dataDir: dirs[0]!, databaseUrl: db.url, secretKey: SECRET_KEY });
    const claimers = await Promise.all(dirs.slice(1).map((dataDir) => openStore({ dataDir, databaseUrl: db.url, secretKey: SECRET_KEY })));
    try {
      const { app } = await registerApp(setup, {}, 1_000);
      const due: string[] = [];
      for (let i = 0; i < 20; i++) {
        const id = randomBytes(16).toString('hex');
        await setup.createSession({
          id,
          family: 'zhima',
          appId: app.appId,
          externalId: `ZM${id.slice(0, 30)}`,
          merchantRef: `CLAIM${i}`,
          requestDigest: 'd',
          scene: 'FACE',
          identity: { cert_name: '收委', cert_no: '260104197909275964' },
          details: {},
          returnUrl: null,
          state: 'INIT',
          failedReason: null,
          createdAt: 1_000,
          updatedAt: 1_000,
          expiresAt: 10_000_000,
          startedAt: null,
          finishedAt: null,
          notifyUrl: null,
          agentAppId: null,
        });
        // Created in reverse of their due order: the answer must follow next_attempt_at.
        const note = { id: `N${id}`, appId: app.appId, sessionId: id, url: 'http://127.0.0.1:9/n', payload: { i: String(i) } };
        const at = 2_000 - i;
        assert.ok(await setup.transitionSession(id, ['INIT'], 'PASSED', at, {}, { ...note, status: 'PENDING', attempts: 0, nextAttemptAt: at, createdAt: at }));
        due.unshift(note.id);
      }
      const [a, b] = await Promise.all(claimers.map((store, i) => store.outbox.claimDue(5_000, Date.now(), 60_000, `instance${i}`, 10)));
      assert.deepEqual([a!.length, b!.length], [10, 10], 'neither claimer waits for, nor loses out to, rows the other holds');
      assert.equal(new Set([...a!, ...b!].map((r) => r.id)).size, 20, 'no row claimed twice');
      for (const rows of [a!, b!]) {
        assert.deepEqual(
          rows.map((r) => r.id),
          due.filter((id) => rows.some((r) => r.id === id)),
          'each batch in due order',
        );
      }
      assert.deepEqual(await claimers[0]!.outbox.claimDue(5_000, Date.now(), 60_000, 'late', 10), [], 'all twenty are leased');
    } finally {
      await Promise.all([setup, ...claimers].map((s) => s.close()));
      await db.drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  test('two gateway processes: the same initialize fired at both at once gets one biz_no and one session; other content is TRANSACTION_ERROR', async () => {
    await withTwoInstances(async ({ servers, dbUrl, app }) => {
      const sdks = servers.map((s) => sdkFor(s, app));
      const transactionIds: string[] = [];
      for (let round = 0; round < 20; round++) {
        const biz = seedInitializeBiz(`PGI${round}T${Date.now()}${randomBytes(3).toString('hex')}`);
        transactionIds.push(biz.transaction_id);
        // Four calls per instance, all in flight together.
        const answers = await Promise.all(sdks.flatMap((sdk) => Array.from({ length: 4 }, () => sdk.exec(INIT, { bizContent: biz }, { validateSign: true }))));
        assert.deepEqual([...new Set(answers.map((a) => a.code))], ['10000'], `round ${round}: ${JSON.stringify(answers.find((a) => a.code !== '10000'))}`);
        assert.equal(new Set(answers.map((a) => a.bizNo)).size, 1, `round ${round}: one biz_no for every answer`);
      }
      const sessions = await query<{ merchant_ref: string; n: string }>(
        dbUrl,
        'select merchant_ref, count(*) as n from verification_sessions where app_id = $1 group by merchant_ref',
        [app.app_id],
      );
      assert.deepEqual(sessions.map((s) => s.merchant_ref).sort(), [...transactionIds].sort(), 'one session per transaction_id');
      assert.ok(
        sessions.every((s) => Number(s.n) === 1),
        'no transaction_id has two sessions',
      );

      // First use on instance 0, a retry with other content on instance 1.
      const biz = seedInitializeBiz(`PGIC${Date.now()}`);
      assert.equal((await sdks[0]!.exec(INIT, { bizContent: biz }, { validateSign: true })).code, '10000');
      const conflict = await sdks[1]!.exec(INIT, { bizContent: { ...biz, merchant_config: '{"other":"content"}' } }, { validateSign: true });
      assert.deepEqual([conflict.code, conflict.subCode], ['40004', 'TRANSACTION_ERROR'], JSON.stringify(conflict));
    });
  });

  test('two gateway processes delivering from one outbox: every notification reaches the merchant exactly once', async () => {
    const receiver = await startNotifyReceiver();
    const N = 20;
    try {
      await withTwoInstances(async ({ servers, dbUrl, app }) => {
        const sdks = servers.map((s) => sdkFor(s, app));
        const bizNos = await Promise.all(
          Array.from({ length: N }, async (_, i) => {
            const r = await sdks[i % 2]!.exec(INIT, { bizContent: seedInitializeBiz() }, { validateSign: true });
            assert.equal(r.code, '10000', JSON.stringify(r));
            return String(r.bizNo);
          }),
        );
        // Finished on both instances at once: both workers find due rows in the one outbox.
        await Promise.all(
          bizNos.map(async (bizNo, i) => {
            const res = await fetch(`${servers[(i + 1) % 2]!.url}/admin/certifications/${bizNo}/complete`, {
              method: 'POST',
              headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
              body: '{"passed":true}',
            });
            assert.equal(res.status, 200, await res.text());
          }),
        );
        await receiver.waitFor(N, 20_000);
        const delivered = async () =>
          query<{ status: string; n: string }>(dbUrl, 'select status, count(*) as n from notifications where app_id = $1 group by status', [app.app_id]);
        const deadline = Date.now() + 10_000;
        let statuses = await delivered();
        while (!(statuses.length === 1 && statuses[0]!.status === 'DELIVERED' && Number(statuses[0]!.n) === N) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 50));
          statuses = await delivered();
        }
        assert.deepEqual(
          statuses.map((s) => [s.status, Number(s.n)]),
          [['DELIVERED', N]],
          'every outbox row DELIVERED',
        );
        // Room for a duplicate to show up (it would come from the other instance's worker).
        await new Promise((r) => setTimeout(r, 500));
        const ids = receiver.received.map((n) => n.form.notify_id);
        assert.equal(ids.length, N, `received ${ids.length} POSTs for ${N} notifications`);
        assert.equal(new Set(ids).size, N, 'no notify_id twice');
        const rows = await query<{ id: string }>(dbUrl, 'select id from notifications where app_id = $1', [app.app_id]);
        assert.deepEqual(rows.map((r) => r.id).sort(), [...ids].sort(), 'the received notify_ids are the outbox rows');
        const attempts = await query<{ n: string }>(dbUrl, 'select count(*) as n from notification_attempts where app_id = $1', [app.app_id]);
        assert.equal(Number(attempts[0]!.n), N, 'one recorded attempt per notification');
      }, receiver.url);
    } finally {
      await receiver.close();
    }
  });
});
