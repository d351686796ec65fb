import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSignedParams, send } from './support/client.js';
import { seedInitializeBiz, startTestGateway, type TestGateway } from './support/harness.js';
import { startNotifyReceiver } from './support/notify-receiver.js';
import { ADMIN_TOKEN, finishCertification, until } from './support/notify-flow.js';
import { createTestDatabase } from './support/pg.js';
import { needPostgres } from './support/requirements.js';

const scrape = async (gw: TestGateway, token?: string) => {
  const res = await fetch(`${gw.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

/** The value of one sample line, e.g. `aopgate_calls_total{…} 3`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((l) => line.includes(l))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

const noPostgres = await needPostgres();

describe('GET /metrics', () => {
  test('calls by protocol, method and code; latency; RSA operations; notification attempts and backlog', async () => {
    const receiver = await startNotifyReceiver((n) => (n.seq === 0 ? 'fail' : 'success'));
    const gw = await startTestGateway({ adminToken: ADMIN_TOKEN, notifyPollMs: 20 });
    try {
      const app = await gw.createApp({ notifyUrl: receiver.url });
      const before = await scrape(gw);
      assert.equal(before.status, 200);
      assert.match(before.type ?? '', /^text\/plain; version=0\.0\.4/);
      await gw.call(app, 'zhima.customer.certification.initialize', seedInitializeBiz());
      await gw.call(app, 'zhima.customer.certification.query', { biz_no: 'nope' });
      await send(gw.url, buildSignedParams(app, 'made.up.method.name', {}));
      await finishCertification(gw, app);
      await receiver.waitFor(1);
      const m = await until(
        () => scrape(gw),
        (s) => sample(s.text, 'aopgate_notification_attempts_total', { outcome: 'refused' }) === 1,
        'the refused attempt counted',
      );
      const INIT = { protocol: 'v2', method: 'zhima.customer.certification.initialize', code: '10000' };
      assert.equal(sample(m.text, 'aopgate_calls_total', INIT), 2, 'two initialize calls (one by finishCertification)');
      assert.equal(sample(m.text, 'aopgate_calls_total', { method: 'zhima.customer.certification.query', code: '40004', sub_code: 'ILLEGAL_INVOKE' }), 1);
      assert.equal(
        sample(m.text, 'aopgate_calls_total', { method: 'other', code: '40002', sub_code: 'isv.invalid-method' }),
        1,
        'unknown methods share one label',
      );
      assert.ok(!m.text.includes('made.up.method.name'));
      assert.ok(sample(m.text, 'aopgate_call_duration_seconds_count', { protocol: 'v2' })! >= 4);
      assert.ok(sample(m.text, 'aopgate_rsa_operations_total', { operation: 'sign' })! >= 4);
      assert.ok(sample(m.text, 'aopgate_rsa_operations_total', { operation: 'verify' })! >= 4);
      assert.equal(sample(m.text, 'aopgate_notifications_backlog'), 1, 'the refused notification waits for its retry');
      assert.equal(sample(m.text, 'aopgate_db_pool_connections', { state: 'total' }), undefined, 'no pool on SQLite');
      assert.ok(sample(m.text, 'aopgate_process_resident_memory_bytes')! > 0);
    } finally {
      await gw.stop();
      await receiver.close();
    }
  });

  test('AOPGATE_METRICS_TOKEN guards it', async () => {
    const gw = await startTestGateway({ metricsToken: 'scrape-me' });
    try {
      assert.equal((await scrape(gw)).status, 401);
      assert.equal((await scrape(gw, 'wrong')).status, 401);
      assert.equal((await scrape(gw, 'scrape-me')).status, 200);
    } finally {
      await gw.stop();
    }
  });

  test('the PostgreSQL pool state', { skip: noPostgres }, async () => {
    const db = await createTestDatabase();
    const gw = await startTestGateway({ databaseUrl: db.url });
    try {
      const m = await scrape(gw);
      assert.ok(sample(m.text, 'aopgate_db_pool_connections', { state: 'total' })! >= 1);
      assert.ok(sample(m.text, 'aopgate_db_pool_connections', { state: 'idle' })! >= 0);
    } finally {
      await gw.stop();
      await db.drop();
    }
  });
});
