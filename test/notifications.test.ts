import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RETRY_INTERVALS_MS } from '../src/delivery/schedule.js';
import { seedInitializeBiz, startTestGateway, type TestGateway } from './support/harness.js';
import { officialSdk } from './support/sdk.js';
import { REPO_ROOT, spawnServe } from './support/serve.js';
import { startNotifyReceiver } from './support/notify-receiver.js';
import { ADMIN_TOKEN, admin, advance, finishCertification, notificationsOf, until, type NotificationView } from './support/notify-flow.js';
import { verifyOutcome } from './support/outcome.js';

/** A fixed base clock: recorded attempt times then differ by exactly the schedule's intervals. */
const FIXED = Date.UTC(2026, 0, 1, 0, 0, 0);
const fixedClock = () => FIXED;

const run = promisify(execFile);

const fast = { adminToken: ADMIN_TOKEN, notifyPollMs: 20, notifyTimeoutMs: 2000 };

async function withGateway(over: Parameters<typeof startTestGateway>[0], fn: (gw: TestGateway) => Promise<void>, clock?: () => number) {
  const gw = await startTestGateway({ ...fast, ...over }, clock ? { clock } : {});
  try {
    await fn(gw);
  } finally {
    await gw.stop();
  }
}

const one = async (gw: TestGateway, appId: string, check: (n: NotificationView) => boolean, what: string) =>
  (
    await until(
      () => notificationsOf(gw, appId),
      (ns) => ns.length === 1 && check(ns[0]!),
      what,
    )
  )[0]!;

describe('notification delivery', () => {
  test('a finished session is POSTed to the app notify_url, signed V1; checkNotifySignV2 accepts it', async () => {
    const receiver = await startNotifyReceiver();
    await withGateway({}, async (gw) => {
      const app = await gw.createApp({ notifyUrl: receiver.url });
      const bizNo = await finishCertification(gw, app);
      const [got] = await receiver.waitFor(1);
      assert.match(got!.contentType ?? '', /^application\/x-www-form-urlencoded; charset=utf-8$/i);
      assert.equal(got!.form.notify_type, 'zhima_customer_certification_result');
      assert.deepEqual([got!.form.biz_no, got!.form.passed, got!.form.app_id, got!.form.sign_type], [bizNo, 'true', app.appId, 'RSA2']);
      assert.ok(gw.sdk(app).checkNotifySignV2({ ...got!.form }), 'the official SDK verifies it');
      assert.ok(verifyOutcome(new URLSearchParams(got!.form), gw.alipayPublicKey), 'V1: sign_type left out of the signed string');
      assert.ok(!Object.values(got!.form).includes(''), 'no empty fields (PHP verifies them)');
      const n = await one(gw, app.appId, (x) => x.status === 'DELIVERED', 'DELIVERED');
      assert.equal(n.notify_id, got!.form.notify_id);
      assert.equal(n.attempts.length, 1);
      assert.deepEqual([n.attempts[0]!.http_status, n.attempts[0]!.response_head, n.attempts[0]!.accepted, n.attempts[0]!.drill], [200, 'success', true, null]);
      assert.equal(receiver.received.length, 1);
    });
    await receiver.close();
  });

  test("the call's notify_url wins over the app's; no URL at all means no notification", async () => {
    const appReceiver = await startNotifyReceiver();
    const callReceiver = await startNotifyReceiver();
    await withGateway({}, async (gw) => {
      const app = await gw.createApp({ notifyUrl: appReceiver.url });
      const bizNo = await finishCertification(gw, app, { notifyUrl: callReceiver.url });
      const [got] = await callReceiver.waitFor(1);
      assert.equal(got!.form.biz_no, bizNo);
      const silent = await gw.createApp();
      await finishCertification(gw, silent);
      await one(gw, app.appId, (x) => x.status === 'DELIVERED', 'delivered to the call URL');
      assert.deepEqual(await notificationsOf(gw, silent.appId), []);
      assert.equal(appReceiver.received.length, 0);
    });
    await Promise.all([appReceiver.close(), callReceiver.close()]);
  });

  test('anything but exactly `success` is retried at 4m, 10m, 10m, 1h, 2h, 6h, 15h, then given up', async () => {
    const receiver = await startNotifyReceiver((n) => (n.seq === 0 ? { status: 500, body: 'oops' } : n.seq === 1 ? 'success\n' : 'fail'));
    await withGateway(
      {},
      async (gw) => {
        const app = await gw.createApp({ notifyUrl: receiver.url });
        await finishCertification(gw, app);
        await receiver.waitFor(1);
        for (const [i, interval] of RETRY_INTERVALS_MS.entries()) {
          await advance(gw, `${interval / 1000 - 1}s`);
          await one(gw, app.appId, (x) => x.attempt_count === i + 1, `attempt ${i + 1} recorded`);
          assert.equal(receiver.received.length, i + 1, `no attempt ${i + 2} one second early`);
          await advance(gw, '1s');
          await receiver.waitFor(i + 2);
        }
        const n = await one(gw, app.appId, (x) => x.status === 'FAILED', 'given up');
        assert.equal(n.attempt_count, 8);
        const times = n.attempts.map((a) => Date.parse(a.time));
        assert.deepEqual(
          times.slice(1).map((t, i) => t - times[i]!),
          RETRY_INTERVALS_MS,
          'each retry exactly one interval after the one before',
        );
        assert.deepEqual(
          n.attempts.slice(0, 2).map((a) => [a.http_status, a.response_head, a.accepted]),
          [
            [500, 'oops', false],
            [200, 'success\n', false],
          ],
        );
        await advance(gw, '2d');
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(receiver.received.length, 8, 'nothing after giving up');
        const ids = new Set(receiver.received.map((r) => `${r.form.notify_id}|${r.form.sign}|${r.form.notify_time}`));
        assert.equal(ids.size, 1, 'notify_id, notify_time and sign are the same on every retry');
      },
      fixedClock,
    );
    await receiver.close();
  });

  test('a restart mid-schedule loses nothing and duplicates nothing', async () => {
    const receiver = await startNotifyReceiver((n) => (n.seq < 2 ? 'fail' : 'success'));
    const first = await startTestGateway(fast, { clock: fixedClock });
    const app = await first.createApp({ notifyUrl: receiver.url });
    await finishCertification(first, app);
    await receiver.waitFor(1);
    await one(first, app.appId, (x) => x.attempt_count === 1, 'first attempt recorded');
    await advance(first, '1m');
    await first.close();
    await withGateway(
      { dataDir: first.dataDir },
      async (gw) => {
        await advance(gw, '3m'); // 1m before the restart + 3m after: the 4m retry is due
        await receiver.waitFor(2);
        await advance(gw, '10m');
        await receiver.waitFor(3);
        const n = await one(gw, app.appId, (x) => x.status === 'DELIVERED', 'delivered after the restart');
        assert.equal(n.attempt_count, 3);
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(receiver.received.length, 3, 'every attempt exactly once');
      },
      fixedClock,
    );
    await receiver.close();
  });

  test('two gateways on one database deliver each notification once', async () => {
    const receiver = await startNotifyReceiver();
    const a = await startTestGateway(fast);
    const b = await startTestGateway({ ...fast, dataDir: a.dataDir });
    try {
      const app = await a.createApp({ notifyUrl: receiver.url });
      const count = 12;
      await Promise.all(Array.from({ length: count }, (_, i) => finishCertification(i % 2 ? a : b, app)));
      await receiver.waitFor(count);
      await until(
        () => notificationsOf(a, app.appId),
        (ns) => ns.length === count && ns.every((n) => n.status === 'DELIVERED'),
        'all delivered',
      );
      await new Promise((r) => setTimeout(r, 200));
      const ids = receiver.received.map((r) => r.form.notify_id);
      assert.equal(ids.length, count);
      assert.equal(new Set(ids).size, count, 'no notification delivered twice');
    } finally {
      await b.close();
      await a.stop();
      await receiver.close();
    }
  });

  test('a URL resolving into a denied range is not contacted; the attempt says why', async () => {
    const receiver = await startNotifyReceiver();
    await withGateway({ notifyDeny: '10.0.0.0/8, 127.0.0.0/8' }, async (gw) => {
      const app = await gw.createApp({ notifyUrl: receiver.url.replace('127.0.0.1', 'localhost') });
      await finishCertification(gw, app);
      const n = await one(gw, app.appId, (x) => x.attempt_count === 1, 'one refused attempt');
      assert.equal(n.status, 'PENDING');
      assert.match(n.attempts[0]!.error ?? '', /^denied: localhost resolves to (127\.0\.0\.1|::1)/);
      assert.equal(n.attempts[0]!.http_status, null);
      assert.equal(receiver.received.length, 0);
    });
    await receiver.close();
  });

  test('a merchant that never answers costs one timeout per attempt', async () => {
    const receiver = await startNotifyReceiver(() => 'stall');
    await withGateway({ notifyTimeoutMs: 300 }, async (gw) => {
      const app = await gw.createApp({ notifyUrl: receiver.url });
      await finishCertification(gw, app);
      const n = await one(gw, app.appId, (x) => x.attempt_count === 1, 'timed out attempt');
      assert.match(n.attempts[0]!.error ?? '', /timeout after 300 ms/);
      assert.equal(n.status, 'PENDING');
    });
    await receiver.close();
  });

  test('GET /admin/notifications needs the token; resend delivers a delivered notification again', async () => {
    const receiver = await startNotifyReceiver();
    await withGateway({}, async (gw) => {
      const app = await gw.createApp({ notifyUrl: receiver.url });
      await finishCertification(gw, app);
      const n = await one(gw, app.appId, (x) => x.status === 'DELIVERED', 'delivered');
      assert.equal((await fetch(`${gw.url}/admin/notifications`)).status, 401);
      const again = await admin(gw, 'POST', `/admin/notifications/${n.notify_id}/resend`);
      assert.equal(again.status, 200);
      const [, second] = await receiver.waitFor(2);
      assert.equal(second!.form.notify_id, n.notify_id);
      await one(gw, app.appId, (x) => x.status === 'DELIVERED' && x.attempts.length === 2, 'resent');
      assert.equal((await admin(gw, 'POST', '/admin/notifications/nope/resend')).status, 404);
      assert.equal((await admin(gw, 'GET', '/admin/notifications?status=LOST')).status, 400);
    });
    await receiver.close();
  });
});

describe('merchant robustness drills', () => {
  const drillApp = async (gw: TestGateway, url: string, drills: string[]) => {
    const app = await gw.createApp({ notifyUrl: url });
    const res = await admin(gw, 'PATCH', `/admin/apps/${app.appId}`, { drills });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    return app;
  };

  test('duplicate: the same notification (notify_id and sign) arrives twice', async () => {
    const receiver = await startNotifyReceiver();
    await withGateway({}, async (gw) => {
      const app = await drillApp(gw, receiver.url, ['duplicate']);
      await finishCertification(gw, app);
      const [a, b] = await receiver.waitFor(2);
      assert.deepEqual(a!.form, b!.form);
      const n = await one(gw, app.appId, (x) => x.attempts.length === 2, 'two attempts');
      assert.deepEqual(
        n.attempts.map((x) => x.drill),
        [null, 'duplicate'],
      );
      assert.equal(n.status, 'DELIVERED');
    });
    await receiver.close();
  });

  test('forged-signature: a broken copy comes first; the record shows a merchant that accepted it', async () => {
    const careless = await startNotifyReceiver();
    await withGateway({}, async (gw) => {
      const app = await drillApp(gw, careless.url, ['forged-signature']);
      await finishCertification(gw, app);
      const [forged, genuine] = await careless.waitFor(2);
      const sdk = gw.sdk(app);
      assert.equal(sdk.checkNotifySignV2({ ...forged!.form }), false, 'the first copy does not verify');
      assert.equal(sdk.checkNotifySignV2({ ...genuine!.form }), true);
      assert.equal(forged!.form.notify_id, genuine!.form.notify_id);
      const n = await one(gw, app.appId, (x) => x.attempts.length === 2, 'two attempts');
      assert.deepEqual(
        n.attempts.map((x) => [x.drill, x.accepted_forgery]),
        [
          ['forged-signature', true],
          [null, undefined],
        ],
      );
    });
    await careless.close();

    let sdkCheck: ((form: Record<string, string>) => boolean) | undefined;
    const careful = await startNotifyReceiver((n) => (sdkCheck?.(n.form) ? 'success' : 'fail'));
    await withGateway({}, async (gw) => {
      const app = await drillApp(gw, careful.url, ['forged-signature']);
      sdkCheck = (form) => gw.sdk(app).checkNotifySignV2({ ...form });
      await finishCertification(gw, app);
      const n = await one(gw, app.appId, (x) => x.status === 'DELIVERED', 'genuine delivered');
      assert.deepEqual(
        n.attempts.map((x) => [x.drill, x.accepted]),
        [
          ['forged-signature', false],
          [null, true],
        ],
      );
      assert.equal(n.attempts[0]!.accepted_forgery, false);
    });
    await careful.close();
  });

  test('out-of-order: notifications of one minute arrive newest first', async () => {
    const receiver = await startNotifyReceiver();
    await withGateway(
      {},
      async (gw) => {
        const app = await drillApp(gw, receiver.url, ['out-of-order']);
        const first = await finishCertification(gw, app);
        await advance(gw, '5s');
        const second = await finishCertification(gw, app);
        await new Promise((r) => setTimeout(r, 150));
        assert.equal(receiver.received.length, 0, 'held until the window is over');
        await advance(gw, '3m');
        const got = await receiver.waitFor(2);
        assert.deepEqual(
          got.map((g) => g.form.biz_no),
          [second, first],
        );
      },
      fixedClock,
    );
    await receiver.close();
  });

  test('PATCH /admin/apps refuses an unknown drill', async () => {
    await withGateway({}, async (gw) => {
      const app = await gw.createApp();
      const res = await admin(gw, 'PATCH', `/admin/apps/${app.appId}`, { drills: ['chaos'] });
      assert.equal(res.status, 400);
      assert.match(String(res.json.error), /unknown drill chaos/);
    });
  });
});

describe('a crash mid-delivery', () => {
  test('SIGKILL while the merchant is being called: after a restart the row is claimed again once its lease runs out', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-crash-'));
    const env = { AOPGATE_ADMIN_TOKEN: ADMIN_TOKEN, AOPGATE_NOTIFY_TIMEOUT_MS: '1000', AOPGATE_NOTIFY_POLL_MS: '50' };
    let server = await spawnServe(['--data', dataDir], env);
    let killed: Promise<unknown> | undefined;
    // The first POST arrives while the gateway holds the row's lease: kill it there and never answer.
    const receiver = await startNotifyReceiver((n) => {
      if (n.seq > 0) return 'success';
      killed = server.stop('SIGKILL');
      return 'stall';
    });
    try {
      const created = await run(process.execPath, ['bin/aopgate.js', 'apps', 'create', '--data', dataDir, '--notify-url', receiver.url, '--json'], {
        cwd: REPO_ROOT,
      });
      const app = JSON.parse(created.stdout);
      const sdk = officialSdk(server.url, { appId: app.app_id, privateKeyPem: app.app_private_key, signType: 'RSA2' }, app.alipay_public_key);
      const init = await sdk.exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true });
      const done = await fetch(`${server.url}/admin/certifications/${init.bizNo}/complete`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        body: '{"passed":true}',
      });
      assert.equal(done.status, 200);
      await receiver.waitFor(1);
      assert.equal(await killed, null, 'killed by a signal');
      server = await spawnServe(['--data', dataDir], env);
      const [, again] = await receiver.waitFor(2, 20_000);
      assert.equal(again!.form.notify_id, receiver.received[0]!.form.notify_id, 'the same notification, not lost');
      // The merchant's "success" arrives before the gateway records it: read until the row moves (≤ 5 s).
      let n: NotificationView | undefined;
      for (let i = 0; i < 100 && n?.status !== 'DELIVERED'; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 50));
        const list = await fetch(`${server.url}/admin/notifications?app_id=${app.app_id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        [n] = ((await list.json()) as { notifications: NotificationView[] }).notifications;
      }
      assert.equal(n!.status, 'DELIVERED');
      assert.equal(n!.attempts.length, 1, 'the attempt cut short by the crash was never recorded; the redelivery was');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(receiver.received.length, 2);
    } finally {
      await server.stop();
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
