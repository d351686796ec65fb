import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { seedInitializeBiz, startTestGateway } from './support/harness.js';
import { shanghaiNow } from './support/client.js';

test('one log line per call with method, app_id, code, sub_code, latency; no identity data', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const gw = await startTestGateway({}, { log: pino({ level: 'info' }, sink) });
  const app = await gw.createApp();
  try {
    const ok = await gw.call(app, 'zhima.customer.certification.initialize', seedInitializeBiz());
    const bad = await gw.call(app, 'zhima.customer.certification.initialize', seedInitializeBiz(), { tamper: { timestamp: shanghaiNow(-60_000) } });
    assert.equal(ok.node.code, '10000');
    assert.equal(bad.node.sub_code, 'isv.invalid-signature');
  } finally {
    await gw.stop();
  }
  const calls = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'gateway call');
  assert.equal(calls.length, 2);
  assert.deepEqual(
    calls.map((c) => [c.method, c.app_id, c.code, c.sub_code ?? null, typeof c.latency_ms, typeof c.trace_id]),
    [
      ['zhima.customer.certification.initialize', app.appId, '10000', null, 'number', 'string'],
      ['zhima.customer.certification.initialize', app.appId, '40002', 'isv.invalid-signature', 'number', 'string'],
    ],
  );
  const all = lines.join('\n');
  for (const secret of ['收委', '260104197909275964', 'biz_content', 'PRIVATE KEY']) assert.ok(!all.includes(secret), `log must not contain ${secret}`);
});
