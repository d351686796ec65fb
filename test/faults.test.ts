import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildSignedParams, send } from './support/client.js';
import { seedInitializeBiz, startTestGateway, useGateway, type TestGateway } from './support/harness.js';
import { ADMIN_TOKEN, admin } from './support/notify-flow.js';
import { REPO_ROOT } from './support/serve.js';

const QUERY = 'zhima.customer.certification.query';
const INIT = 'zhima.customer.certification.initialize';
const run = promisify(execFile);

describe('fault injection', () => {
  const ctx = useGateway({ adminToken: ADMIN_TOKEN });

  test('a rule for an app and method answers its code, signed, for `count` calls; others are untouched', async () => {
    const { gw } = ctx;
    const app = await gw.createApp();
    const bystander = await gw.createApp();
    const added = await admin(gw, 'POST', '/admin/faults', { app_id: app.appId, method: QUERY, count: 2 });
    assert.equal(added.status, 200);
    assert.match(String(added.json.id), /^[0-9a-f-]{36}$/);
    for (let i = 0; i < 2; i++) {
      const r = await gw.call(app, QUERY, { biz_no: 'x' });
      assert.deepEqual([r.node.code, r.node.msg, r.node.sub_code, r.node.sub_msg], ['20000', 'Service Currently Unavailable', 'isp.unknow-error', '系统繁忙']);
      assert.ok(r.signatureValid, 'signed like any answer to a known app');
    }
    assert.equal((await gw.call(app, QUERY, { biz_no: 'x' })).node.sub_code, 'ILLEGAL_INVOKE', 'two uses, then the real answer');
    assert.equal((await gw.call(app, INIT, seedInitializeBiz())).node.code, '10000', 'other methods untouched');
    const list = await admin(gw, 'GET', '/admin/faults');
    assert.ok(!(list.json.faults as Array<{ id: string }>).some((f) => f.id === added.json.id), 'a spent rule retires');
    await admin(gw, 'POST', '/admin/faults', { app_id: app.appId, code: '40004', sub_code: 'SYSTEM_ERROR', sub_msg: '系统错误' });
    const custom = await gw.call(app, INIT, seedInitializeBiz());
    assert.deepEqual([custom.node.code, custom.node.sub_code, custom.node.sub_msg], ['40004', 'SYSTEM_ERROR', '系统错误']);
    assert.equal((await gw.call(bystander, INIT, seedInitializeBiz())).node.code, '10000', 'other apps untouched');
    for (const f of (await admin(gw, 'GET', '/admin/faults')).json.faults as Array<{ id: string }>)
      assert.equal((await admin(gw, 'DELETE', `/admin/faults/${f.id}`)).status, 200);
    assert.equal((await gw.call(app, INIT, seedInitializeBiz())).node.code, '10000', 'removed');
    assert.equal((await admin(gw, 'DELETE', '/admin/faults/nope')).status, 404);
  });

  test('latency alone delays the real answer; drop closes the connection without one', async () => {
    const { gw } = ctx;
    const app = await gw.createApp();
    await admin(gw, 'POST', '/admin/faults', { app_id: app.appId, latency_ms: 300, count: 1 });
    const delayed = await gw.call(app, QUERY, { biz_no: 'x' });
    assert.equal(delayed.node.sub_code, 'ILLEGAL_INVOKE', 'the real answer');
    const [entry] = (await admin(gw, 'GET', `/admin/journal?app_id=${app.appId}&limit=1`)).json.entries as Array<{ latency_ms: number }>;
    assert.ok(entry!.latency_ms >= 290, `journaled latency ${entry!.latency_ms} includes the injected 300 ms`);
    await admin(gw, 'POST', '/admin/faults', { app_id: app.appId, drop: true, count: 1 });
    await assert.rejects(send(gw.url, buildSignedParams(app, QUERY, { biz_no: 'x' })), /fetch failed|socket|closed/i);
    assert.equal((await gw.call(app, QUERY, { biz_no: 'x' })).node.sub_code, 'ILLEGAL_INVOKE', 'the gateway stays up');
  });

  test('bad rules are refused', async () => {
    for (const bad of [{ probability: 0 }, { probability: 1.5 }, { code: '12345' }, { count: 0 }, { latency_ms: -1 }]) {
      const r = await admin(ctx.gw, 'POST', '/admin/faults', bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
    }
  });
});

describe('seeded fault probability', () => {
  async function draws(seed: string): Promise<boolean[]> {
    const gw = await startTestGateway({ adminToken: ADMIN_TOKEN, faultSeed: seed });
    try {
      const app = await gw.createApp();
      await admin(gw, 'POST', '/admin/faults', { app_id: app.appId, method: QUERY, probability: 0.3 });
      const out: boolean[] = [];
      for (let i = 0; i < 200; i++) out.push((await gw.call(app, QUERY, { biz_no: 'x' })).node.code === '20000');
      return out;
    } finally {
      await gw.stop();
    }
  }

  test('probability 0.3 over 200 calls stays within bounds, and a seed replays the same calls', async () => {
    const first = await draws('run-42');
    const hits = first.filter(Boolean).length;
    assert.ok(hits >= 35 && hits <= 85, `${hits} of 200 (expected 60 ± 25)`);
    assert.deepEqual(await draws('run-42'), first, 'same seed, same faulted calls');
    assert.notDeepEqual(await draws('run-43'), first, 'another seed, other calls');
  });
});

describe('faults from the CLI and the seed file', () => {
  test('aopgate faults add|list|rm reach a running server', async () => {
    const gw: TestGateway = await startTestGateway({ adminToken: ADMIN_TOKEN });
    try {
      const app = await gw.createApp();
      const cli = (...args: string[]) => run(process.execPath, ['bin/aopgate.js', 'faults', ...args, '--data', gw.dataDir], { cwd: REPO_ROOT });
      const { stdout } = await cli('add', '--app-id', app.appId, '--code', '40004', '--sub-code', 'SYSTEM_ERROR', '--sub-msg', 'busy', '--json');
      const { id } = JSON.parse(stdout);
      const listed = JSON.parse((await cli('list', '--json')).stdout).faults;
      assert.deepEqual(
        listed.map((f: { id: string; source: string }) => [f.id, f.source]),
        [[id, 'cli']],
      );
      let answer = '';
      for (let i = 0; i < 40 && answer !== 'SYSTEM_ERROR'; i++) {
        answer = String((await gw.call(app, QUERY, { biz_no: 'x' })).node.sub_code);
        if (answer !== 'SYSTEM_ERROR') await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(answer, 'SYSTEM_ERROR', 'picked up by the running server');
      await cli('rm', id);
      assert.deepEqual(JSON.parse((await cli('list', '--json')).stdout).faults, []);
    } finally {
      await gw.stop();
    }
  });
});
