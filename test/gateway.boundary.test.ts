import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { defineContract } from '../src/contracts/contract.js';
import { alipayError, err } from '../src/errors/alipay-error.js';
import { defaultRegistry } from '../src/families/index.js';
import { defineMethod, type ApiMethod } from '../src/protocol/method.js';
import { seedInitializeBiz, startTestGateway } from './support/harness.js';
import { SEED_CERT_NO, SEED_NAME } from './support/identity.js';

const contract = (method: string) => defineContract({ method, kind: 'api', request: z.object({}), response: z.object({}), errors: { KNOWN: '已声明' } });

async function withExtraMethod(method: ApiMethod, check: (node: Record<string, unknown>, signed: boolean, body: string) => void) {
  const registry = new Map(defaultRegistry());
  registry.set(method.contract.method, method);
  const gw = await startTestGateway({}, { registry });
  try {
    const app = await gw.createApp();
    const r = await gw.call(app, method.contract.method, {});
    assert.equal(r.status, 200);
    check(r.node, r.signatureValid, JSON.stringify(r.root));
    const after = await gw.call(app, 'zhima.customer.certification.initialize', seedInitializeBiz());
    assert.equal(after.node.code, '10000', 'the server keeps serving');
  } finally {
    await gw.stop();
  }
}

test('a handler that throws becomes a signed 20000 isp.unknow-error, and the server keeps serving', async () => {
  const boom = defineMethod({
    contract: contract('aopgate.test.boom'),
    async handle() {
      throw new Error(`bug with ${SEED_NAME} ${SEED_CERT_NO} inside`);
    },
  });
  await withExtraMethod(boom, (node, signed, body) => {
    assert.deepEqual([node.code, node.msg, node.sub_code], ['20000', 'Service Currently Unavailable', 'isp.unknow-error']);
    assert.ok(signed);
    assert.ok(!body.includes(SEED_CERT_NO), 'the exception text never reaches the client');
  });
});

test('a business sub_code outside the contract is a bug: answered 20000, never sent as is', async () => {
  const liar = defineMethod({
    contract: contract('aopgate.test.undeclared'),
    async handle() {
      return err(alipayError('40004', 'NOT_IN_THE_TABLE', '未声明'));
    },
  });
  await withExtraMethod(liar, (node, signed) => {
    assert.equal(node.sub_code, 'isp.unknow-error');
    assert.ok(signed);
  });
});

test('a declared business sub_code is answered as the handler returned it', async () => {
  const honest = defineMethod({
    contract: contract('aopgate.test.declared'),
    async handle() {
      return err(alipayError('40004', 'KNOWN', '已声明'));
    },
  });
  await withExtraMethod(honest, (node) => assert.deepEqual([node.code, node.sub_code, node.sub_msg], ['40004', 'KNOWN', '已声明']));
});
