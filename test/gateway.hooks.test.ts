import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alipayError, ok } from '../src/errors/alipay-error.js';
import type { GatewayCall } from '../src/protocol/call.js';
import type { GatewayHook } from '../src/protocol/hooks.js';
import type { GatewayReply } from '../src/protocol/respond.js';
import { buildSignedParams, send } from './support/client.js';
import { seedInitializeBiz, startTestGateway } from './support/harness.js';
import { readResponse } from './support/response.js';

const INIT = 'zhima.customer.certification.initialize';

/**
 * Each named hook point joins the pipeline as one module, without the core knowing it: what the
 * journal (afterRespond), fault injection (beforeDispatch), content encryption (openContent +
 * sealContent) and certificate mode (envelopeFields) will be built on.
 */
test('hook points: openContent, beforeDispatch, sealContent, envelopeFields, afterRespond', async () => {
  const seen: Array<[GatewayCall, GatewayReply]> = [];
  const hooks: GatewayHook[] = [
    {
      name: 'rot13-content',
      // A toy encrypt_type: the biz_content arrives reversed.
      openContent: (_call, type, text) => (type === 'REVERSED' ? ok([...text].reverse().join('')) : undefined),
      sealContent: (call, text) => (call.params.get('encrypt_type') === 'REVERSED' ? JSON.stringify([...text].reverse().join('')) : text),
    },
    { name: 'cert-sn', envelopeFields: () => [['alipay_cert_sn', 'abc123']] },
    {
      name: 'fault',
      beforeDispatch: (call) => (call.params.get('biz_content')?.includes('FAULT') ? alipayError('20000', 'isp.unknow-error', '系统繁忙') : undefined),
    },
    { name: 'journal', afterRespond: (call, reply) => void seen.push([call, reply]) },
  ];
  const gw = await startTestGateway({}, { hooks });
  try {
    const app = await gw.createApp();
    const plain = await gw.call(app, INIT, seedInitializeBiz());
    assert.equal(plain.node.code, '10000');
    assert.equal(plain.root.alipay_cert_sn, 'abc123', 'envelopeFields: framed between the node and sign');
    assert.ok(plain.signatureValid, 'the node is still what is signed');
    const body = JSON.stringify(plain.root);
    assert.ok(body.indexOf('"alipay_cert_sn"') > body.indexOf('_response"') && body.indexOf('"alipay_cert_sn"') < body.indexOf('"sign"'));

    const reversed = [...JSON.stringify(seedInitializeBiz())].reverse().join('');
    const res = await send(gw.url, buildSignedParams(app, INIT, reversed, { params: { encrypt_type: 'REVERSED' } }));
    const text = res.body.toString('utf8');
    const sealed = JSON.parse(text).zhima_customer_certification_initialize_response as string;
    assert.equal(typeof sealed, 'string', 'sealContent: the node is a quoted string');
    assert.equal(JSON.parse([...sealed].reverse().join('')).code, '10000', 'openContent: the handler read the plaintext');

    const faulted = await gw.call(app, INIT, { ...seedInitializeBiz(), linked_merchant_id: 'FAULT' });
    assert.deepEqual([faulted.node.code, faulted.node.sub_code], ['20000', 'isp.unknow-error'], 'beforeDispatch answers instead');

    const other = await send(gw.url, buildSignedParams(app, INIT, seedInitializeBiz(), { params: { encrypt_type: 'DES' } }));
    assert.equal(readResponse(other.body, INIT, gw.alipayPublicKey).node.sub_code, 'isv.invalid-encrypt-type', 'no hook claims it: refused');

    assert.equal(seen.length, 4, 'afterRespond sees every call');
    assert.deepEqual(
      seen.map(([call, reply]) => [call.method, call.signatureValid, reply.code]),
      [
        [INIT, true, '10000'],
        [INIT, true, '10000'],
        [INIT, true, '20000'],
        [INIT, true, '40002'],
      ],
    );
    assert.ok(seen[0]![0].signContent?.startsWith('app_id='), 'the gateway string-to-sign is there for diagnostics');
  } finally {
    await gw.stop();
  }
});
