import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { seedInitializeBiz, startTestGateway, type TestGateway } from './support/harness.js';
import { ADMIN_TOKEN, admin, advance } from './support/notify-flow.js';
import { riskBiz } from './support/risk.js';
import type { TestApp } from './support/client.js';

const uniqueBizId = () => `clk${Date.now()}${Math.floor(Math.random() * 1e9)}`;

async function withGateway(fn: (gw: TestGateway) => Promise<void>, over: Parameters<typeof startTestGateway>[0] = {}) {
  const gw = await startTestGateway({ adminToken: ADMIN_TOKEN, ...over });
  try {
    await fn(gw);
  } finally {
    await gw.stop();
  }
}

const gatewayNow = async (gw: TestGateway) => String((await admin(gw, 'GET', '/admin/clock')).json.now);

/** A call stamped with the gateway's own time (the timestamp window moves with the clock). */
const callNow = async (gw: TestGateway, app: TestApp, method: string, biz: unknown) =>
  gw.call(app, method, biz, { params: { timestamp: await gatewayNow(gw) } });

describe('controllable clock', () => {
  test('advance, set and reset answer the new time in Asia/Shanghai; bad commands get 400', async () => {
    await withGateway(async (gw) => {
      const set = await admin(gw, 'POST', '/admin/clock', { set: '2026-01-01 00:00:00' });
      assert.deepEqual([set.status, set.json.now], [200, '2026-01-01 00:00:00']);
      assert.equal(await advance(gw, '25h'), '2026-01-02 01:00:00');
      assert.equal(await advance(gw, '1d30m15s'), '2026-01-03 01:30:15');
      const reset = await admin(gw, 'POST', '/admin/clock', { reset: true });
      assert.equal(reset.json.offset_ms, 0);
      assert.ok(Math.abs(Date.parse(`${String(reset.json.now).replace(' ', 'T')}+08:00`) - Date.now()) < 5000);
      for (const bad of [{ advance: '25 hours' }, { set: '2026-13-01 00:00:00' }, { set: '2026-01-01T00:00:00Z' }, { reset: 'yes' }]) {
        const res = await admin(gw, 'POST', '/admin/clock', bad);
        assert.equal(res.status, 400, JSON.stringify(bad));
      }
      assert.equal((await fetch(`${gw.url}/admin/clock`, { method: 'POST', body: '{"reset":true}' })).status, 401);
    });
  });

  test('session expiry, QR expiry and the timestamp window move with it', async () => {
    await withGateway(async (gw) => {
      const app = await gw.createApp();
      const init = await gw.call(app, 'zhima.customer.certification.initialize', seedInitializeBiz());
      const bizNo = String(init.node.biz_no);
      const risk = await gw.call(
        app,
        'alipay.security.risk.authentication.initialize',
        riskBiz({ bizId: uniqueBizId(), verifyType: 'QRCODE', qrSeconds: 600 }),
      );
      const qr = JSON.parse(String(risk.node.biz_result)).qrcode;
      assert.equal((await fetch(qr.image_png)).status, 200);

      await advance(gw, '11m');
      assert.equal((await fetch(qr.image_png)).status, 410, 'the QR code expired with the clock');
      const open = await admin(gw, 'GET', `/admin/certifications/${bizNo}`);
      assert.equal((open.json.session as { state: string }).state, 'INIT', 'a 24 h session is still open after 11 minutes');
      const inWindow = await gw.call(app, 'zhima.customer.certification.query', { biz_no: bizNo });
      assert.equal(inWindow.node.code, '10000', 'a client stamping real time is 11 minutes behind: inside the window');

      await advance(gw, '24h');
      const expired = await admin(gw, 'GET', `/admin/certifications/${bizNo}`);
      assert.equal((expired.json.session as { state: string }).state, 'EXPIRED');

      const real = await gw.call(app, 'zhima.customer.certification.query', { biz_no: bizNo });
      assert.equal(real.node.code, '10000', 'an unmodified SDK stamping real time still gets through while the clock is moved');
      const inStep = await callNow(gw, app, 'zhima.customer.certification.query', { biz_no: bizNo });
      assert.equal(inStep.node.code, '10000', 'so does a client stamping the gateway time');
      const [day, time] = (await gatewayNow(gw)).split(' ');
      const later = new Date(Date.parse(`${day}T${time}+08:00`) + 3 * 86_400_000 + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
      const off = await gw.call(app, 'zhima.customer.certification.query', { biz_no: bizNo }, { params: { timestamp: later } });
      assert.deepEqual([off.node.code, off.node.sub_code], ['40002', 'isv.invalid-timestamp'], 'three days from both is outside the window');
    });
  });

  test('the offset survives a restart on the same data', async () => {
    const first = await startTestGateway({ adminToken: ADMIN_TOKEN });
    await admin(first, 'POST', '/admin/clock', { set: '2030-06-01 12:00:00' });
    await first.close();
    await withGateway(
      async (gw) => {
        const now = await gatewayNow(gw);
        assert.ok(now.startsWith('2030-06-01 12:0'), now);
      },
      { dataDir: first.dataDir },
    );
  });
});

describe('reset', () => {
  test('one app: its sessions and notifications go, other apps keep theirs; all: everything goes, apps stay', async () => {
    await withGateway(async (gw) => {
      const a = await gw.createApp({ notifyUrl: 'http://127.0.0.1:9/n' });
      const b = await gw.createApp();
      const bizA = String((await gw.call(a, 'zhima.customer.certification.initialize', seedInitializeBiz())).node.biz_no);
      const bizB = String((await gw.call(b, 'zhima.customer.certification.initialize', seedInitializeBiz())).node.biz_no);
      assert.equal((await admin(gw, 'POST', `/admin/certifications/${bizA}/complete`, { passed: true })).status, 200);

      const one = await admin(gw, 'POST', '/admin/reset', { app_id: a.appId });
      assert.deepEqual((one.json.reset as { sessions: number; notifications: number }).sessions, 1);
      assert.equal((one.json.reset as { notifications: number }).notifications, 1);
      assert.equal((await admin(gw, 'GET', `/admin/certifications/${bizA}`)).status, 404);
      assert.equal((await admin(gw, 'GET', `/admin/certifications/${bizB}`)).status, 200);
      const gone = await gw.call(a, 'zhima.customer.certification.query', { biz_no: bizA });
      assert.equal(gone.node.code, '40004', 'the app sees its session gone');

      const all = await admin(gw, 'POST', '/admin/reset', {});
      assert.equal((all.json.reset as { sessions: number }).sessions, 1);
      assert.equal((await admin(gw, 'GET', `/admin/certifications/${bizB}`)).status, 404);
      const again = await gw.call(b, 'zhima.customer.certification.initialize', seedInitializeBiz());
      assert.equal(again.node.code, '10000', 'apps and keys stay');

      assert.equal((await admin(gw, 'POST', '/admin/reset', { app_id: '2021999999999999' })).status, 404);
      assert.equal((await admin(gw, 'POST', '/admin/reset', { app_id: 7 })).status, 400);
      assert.equal((await fetch(`${gw.url}/admin/reset`, { method: 'POST', body: '{}' })).status, 401);
    });
  });

  test('safe while serving: calls racing resets get answers, never an error', async () => {
    await withGateway(async (gw) => {
      const app = await gw.createApp();
      const calls = Array.from({ length: 60 }, () => gw.call(app, 'zhima.customer.certification.initialize', seedInitializeBiz()));
      const resets = Array.from({ length: 6 }, (_, i) => new Promise((r) => setTimeout(r, i * 15)).then(() => admin(gw, 'POST', '/admin/reset', {})));
      const answers = await Promise.all(calls);
      for (const r of await Promise.all(resets)) assert.equal(r.status, 200);
      assert.deepEqual([...new Set(answers.map((r) => r.node.code))], ['10000']);
    });
  });
});
