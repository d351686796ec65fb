import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seedInitializeBiz, startTestGateway } from './support/harness.js';

test('smoke: signed initialize returns a biz_no', async () => {
  const gw = await startTestGateway();
  try {
    const app = await gw.createApp();
    const r = await gw.call(app, 'zhima.customer.certification.initialize', seedInitializeBiz());
    assert.equal(r.node.code, '10000', JSON.stringify(r.node));
    assert.equal(String(r.node.biz_no).length, 32);
    assert.ok(r.signatureValid);
  } finally {
    await gw.stop();
  }
});
