import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AlipaySdk } from 'alipay-sdk';
import { generateRsaKeyPair, toPkcs1PrivatePem } from '../src/crypto/rsa.js';
import { seedInitializeBiz, useGateway } from './support/harness.js';
import type { TestApp } from './support/client.js';

/** The official Node SDK (alipay-sdk 4.14, devDependency) pointed at aopgate, unchanged. */
describe('official alipay-sdk (Node)', () => {
  const ctx = useGateway();

  const sdkFor = (a: TestApp, alipayPublicKey = ctx.gw.alipayPublicKey) => ctx.gw.sdk(a, { alipayPublicKey });

  test('initialize with validateSign: true gets a 32-character biz_no', async () => {
    const res = await sdkFor(ctx.app).exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true });
    assert.equal(res.code, '10000');
    assert.equal(res.msg, 'Success');
    assert.match(String(res.bizNo), /^[A-Z0-9]{32}$/);
    assert.match(String(res.traceId), /^[0-9a-f]{32}$/, 'trace_id header reaches the SDK');
  });

  test('PKCS#1 private key (the PHP/Python format) works the same', async () => {
    const sdk = new AlipaySdk({
      appId: ctx.app.appId,
      privateKey: toPkcs1PrivatePem(ctx.app.privateKeyPem),
      alipayPublicKey: ctx.gw.alipayPublicKey,
      gateway: `${ctx.gw.url}/gateway.do`,
    });
    const res = await sdk.exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true });
    assert.equal(res.code, '10000');
  });

  test('nested-object identity_param (as some clients send it) is accepted', async () => {
    const biz = {
      ...seedInitializeBiz(),
      identity_param: { identity_type: 'CERT_INFO', cert_type: 'IDENTITY_CARD', cert_name: '收委', cert_no: '260104197909275964' },
    };
    const res = await sdkFor(ctx.app).exec('zhima.customer.certification.initialize', { bizContent: biz }, { validateSign: true });
    assert.equal(res.code, '10000');
  });

  test('business errors come back signed and pass validateSign', async () => {
    const res = await sdkFor(ctx.app).exec(
      'zhima.customer.certification.initialize',
      { bizContent: { ...seedInitializeBiz(), biz_code: 'NOPE' } },
      { validateSign: true },
    );
    assert.equal(res.code, '40004');
    assert.equal(res.msg, 'Business Failed');
    assert.equal(res.subCode, 'UNSUPPORTED_BIZ_CODE');
  });

  test('a wrong private key → isv.invalid-signature (signed, so validateSign still passes)', async () => {
    const other = await generateRsaKeyPair();
    const res = await sdkFor({ ...ctx.app, privateKeyPem: other.privateKeyPem }).exec(
      'zhima.customer.certification.initialize',
      { bizContent: seedInitializeBiz() },
      { validateSign: true },
    );
    assert.equal(res.subCode, 'isv.invalid-signature');
  });

  test('validateSign rejects a response when the SDK holds the wrong Alipay public key', async () => {
    const other = await generateRsaKeyPair();
    await assert.rejects(
      sdkFor(ctx.app, other.publicKeyPem).exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true }),
      /验签失败/,
    );
  });

  test('an RSA (SHA1) ctx.app works through the SDK with signType RSA', async () => {
    const rsaApp = await ctx.gw.createApp({ signType: 'RSA' });
    const res = await sdkFor(rsaApp).exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true });
    assert.equal(res.code, '10000');
  });
});
