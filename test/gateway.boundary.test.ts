import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { defaultRegistry, METHODS } from '../src/methods/index.js';
import type { ApiMethod } from '../src/methods/types.js';
import { seedInitializeBiz, startTestGateway } from './support/harness.js';
import { buildSignedParams, send } from './support/client.js';
import { readResponse } from './support/response.js';

test('a handler that throws becomes a signed 20000 isp.unknow-error, and the server keeps serving', async () => {
  const boom: ApiMethod = {
    name: 'aopgate.test.boom',
    kind: 'api',
    biz: z.object({}),
    errors: {},
    async handle() {
      throw new Error('bug with 收委 260104197909275964 inside');
    },
  };
  const registry = new Map(defaultRegistry());
  registry.set(boom.name, boom);
  const gw = await startTestGateway({}, { registry });
  try {
    const app = await gw.createApp();
    const res = await send(gw.url, buildSignedParams(app, boom.name, {}));
    assert.equal(res.status, 200);
    const r = readResponse(res.body, boom.name, gw.alipayPublicKey);
    assert.deepEqual([r.node.code, r.node.msg, r.node.sub_code], ['20000', 'Service Currently Unavailable', 'isp.unknow-error']);
    assert.ok(r.signatureValid);
    assert.ok(!res.body.toString().includes('260104197909275964'), 'the exception text never reaches the client');
    const after = await gw.call(app, 'zhima.customer.certification.initialize', seedInitializeBiz());
    assert.equal(after.node.code, '10000');
  } finally {
    await gw.stop();
  }
});

test('each method declares exactly the business error codes of its seed document', () => {
  const seeds = new URL('../../shared/seeds/', import.meta.url);
  for (const method of METHODS) {
    let text: string;
    try {
      text = readFileSync(new URL(`${method.name}.txt`, seeds), 'utf8');
    } catch {
      continue; // methods without a seed document (certify, query) have no table to match
    }
    const table = text.slice(text.indexOf('业务错误码'), text.indexOf('公共错误码'));
    const seedCodes = [...table.matchAll(/^([A-Z_]+)\s+(\S+)/gm)].map((m) => [m[1], m[2]]);
    assert.ok(seedCodes.length > 0, `seed table of ${method.name} parsed`);
    const declared = Object.keys(method.errors).filter((c) => seedCodes.some(([s]) => s === c));
    assert.deepEqual(declared.sort(), seedCodes.map(([c]) => c!).sort(), `${method.name}: every seed code is declared`);
    for (const [code, msg] of seedCodes) assert.equal(method.errors[code!], msg, `${method.name} ${code} sub_msg matches the seed`);
  }
});
