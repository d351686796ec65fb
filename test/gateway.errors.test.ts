import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSignedParams, send, shanghaiNow } from './support/client.js';
import { readResponse } from './support/response.js';
import { seedInitializeBiz, startTestGateway, useGateway } from './support/harness.js';
import { generateRsaKeyPair } from '../src/crypto/rsa.js';

const METHOD = 'zhima.customer.certification.initialize';

/**
 * Every public error row reachable from outside, over HTTP: exact code/msg/sub_code, HTTP 200,
 * and a signature that verifies whenever the app is known (docs/alipay-openapi-v2.md §2.4, §3).
 */
describe('gateway public errors', () => {
  const ctx = useGateway();

  async function expectError(
    params: Record<string, string>,
    expected: { code: string; msg: string; sub_code: string; sub_msg?: string | RegExp },
    opts: { signed: boolean; method?: string | undefined; signType?: 'RSA2' | 'RSA'; charset?: string } = { signed: true },
  ) {
    const res = await send(ctx.gw.url, params, { charset: opts.charset ?? 'utf-8' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /charset=utf-8/);
    assert.match(res.headers.get('trace_id') ?? '', /^[0-9a-f]{32}$/);
    const method = 'method' in opts ? opts.method : METHOD;
    const r = readResponse(res.body, method, ctx.gw.alipayPublicKey, opts.signType ?? 'RSA2');
    assert.equal(r.node.code, expected.code, JSON.stringify(r.node));
    assert.equal(r.node.msg, expected.msg);
    assert.equal(r.node.sub_code, expected.sub_code);
    if (typeof expected.sub_msg === 'string') assert.equal(r.node.sub_msg, expected.sub_msg);
    else if (expected.sub_msg) assert.match(String(r.node.sub_msg), expected.sub_msg);
    if (opts.signed) assert.ok(r.signatureValid, 'error node must be signed with the platform key');
    else assert.equal(r.sign, undefined, 'unknown app: no signature');
    return r;
  }

  const signed = (overrides: Record<string, string | undefined> = {}, tamper?: Record<string, string>) =>
    buildSignedParams(ctx.app, METHOD, seedInitializeBiz(), { params: overrides, ...(tamper ? { tamper } : {}) });

  test('missing method → error_response 40001 isv.missing-method', async () => {
    const p = signed({ method: undefined });
    await expectError(
      p,
      { code: '40001', msg: 'Missing Required Arguments', sub_code: 'isv.missing-method', sub_msg: '缺少方法名参数' },
      { signed: true, method: undefined },
    );
  });

  test('missing app_id → 40001 isv.missing-app-id, unsigned', async () => {
    await expectError(signed({ app_id: undefined }), { code: '40001', msg: 'Missing Required Arguments', sub_code: 'isv.missing-app-id' }, { signed: false });
  });

  test('unknown app_id → 40002 isv.invalid-app-id in the method node, unsigned', async () => {
    const r = await expectError(
      signed({ app_id: '2021999999999999' }),
      { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-app-id', sub_msg: '无效的AppID参数' },
      { signed: false },
    );
    assert.ok('zhima_customer_certification_initialize_response' in r.root);
  });

  test('unknown app_id is reported before a missing signature', async () => {
    await expectError(
      { app_id: '2021999999999998', method: METHOD, charset: 'utf-8' },
      { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-app-id' },
      { signed: false },
    );
  });

  test('missing sign → 40001 isv.missing-signature, signed', async () => {
    const p = signed();
    delete p.sign;
    await expectError(p, { code: '40001', msg: 'Missing Required Arguments', sub_code: 'isv.missing-signature', sub_msg: '缺少签名参数' });
  });

  test('missing sign_type → 40001 isv.missing-signature-type', async () => {
    await expectError(signed({ sign_type: undefined }), { code: '40001', msg: 'Missing Required Arguments', sub_code: 'isv.missing-signature-type' });
  });

  test('unsupported sign_type → 40002 isv.invalid-signature-type', async () => {
    await expectError(signed({ sign_type: 'MD5' }), { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature-type' });
  });

  test('missing timestamp → 40001 isv.missing-timestamp', async () => {
    await expectError(signed({ timestamp: undefined }), { code: '40001', msg: 'Missing Required Arguments', sub_code: 'isv.missing-timestamp' });
  });

  test('malformed timestamp → 40002 isv.invalid-timestamp', async () => {
    for (const ts of ['2024-13-01 10:00:00', '2024/01/01 10:00:00', '1700000000', '2024-02-30 10:00:00']) {
      await expectError(signed({ timestamp: ts }), { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-timestamp', sub_msg: '非法的时间戳参数' });
    }
  });

  test('expired timestamp (older than the allowed skew) → 40002 isv.invalid-timestamp', async () => {
    await expectError(signed({ timestamp: shanghaiNow(-2 * 86_400_000) }), { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-timestamp' });
  });

  test('a UTC-host timestamp (8 h behind Shanghai) is accepted by default', async () => {
    const res = await send(ctx.gw.url, signed({ timestamp: shanghaiNow(-8 * 3600_000) }));
    assert.equal(readResponse(res.body, METHOD, ctx.gw.alipayPublicKey).node.code, '10000');
  });

  test('missing version → 40001 isv.missing-version', async () => {
    await expectError(signed({ version: undefined }), { code: '40001', msg: 'Missing Required Arguments', sub_code: 'isv.missing-version' });
  });

  test('version other than 1.0 → 40002 isv.invalid-parameter', async () => {
    await expectError(signed({ version: '2.0' }), { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-parameter' });
  });

  test('format other than JSON → 40002 isv.invalid-format; absent format is JSON', async () => {
    await expectError(signed({ format: 'xml' }), { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-format' });
    const res = await send(ctx.gw.url, signed({ format: undefined }));
    assert.equal(readResponse(res.body, METHOD, ctx.gw.alipayPublicKey).node.code, '10000');
  });

  test('unsupported charset → 40002 isv.invalid-charset, signed, answered in utf-8', async () => {
    await expectError(
      signed({ charset: 'latin1' }),
      { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-charset', sub_msg: '字符集错误' },
      { signed: true, method: METHOD, charset: 'latin1' },
    );
  });

  test('tampered parameter → 40002 isv.invalid-signature quoting the gateway string-to-sign', async () => {
    const p = signed({}, { timestamp: shanghaiNow(-1000) });
    const r = await expectError(p, {
      code: '40002',
      msg: 'Invalid Arguments',
      sub_code: 'isv.invalid-signature',
      sub_msg: /^验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：app_id=/,
    });
    const quoted = String(r.node.sub_msg);
    assert.ok(quoted.includes(`&timestamp=${p.timestamp}&`), 'quotes the received parameters');
    assert.ok(!quoted.includes('收委') && !quoted.includes('260104197909275964'), 'identity data never in an error message');
    assert.match(quoted, /biz_content=<hidden: \d+ chars, sha256 [0-9a-f]{16}…>/);
  });

  test('tampered biz_content → isv.invalid-signature', async () => {
    const p = signed();
    p.biz_content = p.biz_content!.replace('FACE', 'SMART_FACE');
    await expectError(p, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature' });
  });

  test('signed with a different private key → isv.invalid-signature', async () => {
    const other = await generateRsaKeyPair();
    const p = buildSignedParams({ ...ctx.app, privateKeyPem: other.privateKeyPem }, METHOD, seedInitializeBiz());
    await expectError(p, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature' });
  });

  test('garbage sign value → isv.invalid-signature, not a crash', async () => {
    for (const sign of ['!!!', 'AAAA', 'x'.repeat(2000)]) {
      await expectError({ ...signed(), sign }, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature' });
    }
  });

  test('sign_type the ctx.app has no key for → 40003 isv.missing-signature-config', async () => {
    const p = buildSignedParams({ ...ctx.app, signType: 'RSA' }, METHOD, seedInitializeBiz());
    await expectError(p, { code: '40003', msg: 'Insufficient Conditions', sub_code: 'isv.missing-signature-config' });
  });

  test('app without a configured public key → 40003 isv.missing-signature-config', async () => {
    const keyless = await ctx.gw.createApp();
    await ctx.gw.services.store.createApp({ ...(await ctx.gw.services.store.getApp(keyless.appId))!, appId: '2021000000000777', publicKeyPem: null });
    const p = buildSignedParams({ ...keyless, appId: '2021000000000777' }, METHOD, seedInitializeBiz());
    await expectError(p, { code: '40003', msg: 'Insufficient Conditions', sub_code: 'isv.missing-signature-config' });
  });

  test('disabled ctx.app → 40002 isv.invalid-app-id, signed', async () => {
    const base = (await ctx.gw.services.store.getApp(ctx.app.appId))!;
    await ctx.gw.services.store.createApp({ ...base, appId: '2021000000000888', status: 'disabled' });
    const p = buildSignedParams({ ...ctx.app, appId: '2021000000000888' }, METHOD, seedInitializeBiz());
    await expectError(p, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-app-id' });
  });

  test('unknown method → 40002 isv.invalid-method in that method node, signed', async () => {
    const p = buildSignedParams(ctx.app, 'alipay.trade.no.such', {});
    const res = await send(ctx.gw.url, p);
    const r = readResponse(res.body, 'alipay.trade.no.such', ctx.gw.alipayPublicKey);
    assert.deepEqual([r.node.code, r.node.sub_code, r.node.sub_msg], ['40002', 'isv.invalid-method', '不存在的方法名']);
    assert.ok(r.signatureValid);
  });

  test('encrypt_type other than AES → isv.invalid-encrypt-type; AES without a key → decryption-error-not-valid-encrypt-key', async () => {
    await expectError(signed({ encrypt_type: 'DES' }), { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-encrypt-type' });
    await expectError(signed({ encrypt_type: 'AES' }), { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.decryption-error-not-valid-encrypt-key' });
  });

  test('app_auth_token / auth_token that aopgate never issued → 20001', async () => {
    await expectError(signed({ app_auth_token: '201806BB1234' }), {
      code: '20001',
      msg: 'Insufficient Token Permissions',
      sub_code: 'aop.invalid-app-auth-token',
    });
    await expectError(signed({ auth_token: 'authusrB1234' }), { code: '20001', msg: 'Insufficient Token Permissions', sub_code: 'aop.invalid-auth-token' });
  });

  test('biz_content that is not a JSON object → 40002 isv.invalid-parameter', async () => {
    for (const biz of ['{not json', '[1,2]', '"str"']) {
      const p = buildSignedParams(ctx.app, METHOD, biz);
      await expectError(p, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-parameter' });
    }
  });

  test('body over the limit → 40002 isv.invalid-parameter, still signed from the query string', async () => {
    const small = await startTestGateway({ bodyLimitBytes: 2048 });
    try {
      const a = await small.createApp();
      const p = buildSignedParams(a, METHOD, { ...seedInitializeBiz(), ext_biz_param: JSON.stringify({ pad: 'x'.repeat(4000) }) });
      const { biz_content, ...queryParams } = p;
      const query = new URLSearchParams(queryParams).toString();
      const res = await fetch(`${small.url}/gateway.do?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `biz_content=${encodeURIComponent(biz_content!)}`,
      });
      assert.equal(res.status, 200);
      const r = readResponse(Buffer.from(await res.arrayBuffer()), METHOD, small.alipayPublicKey);
      assert.deepEqual([r.node.code, r.node.sub_code], ['40002', 'isv.invalid-parameter']);
      assert.ok(r.signatureValid);
    } finally {
      await small.stop();
    }
  });

  test('an RSA (SHA1withRSA) ctx.app calls successfully and gets SHA1-signed responses', async () => {
    const rsaApp = await ctx.gw.createApp({ signType: 'RSA' });
    const r = await ctx.gw.call(rsaApp, METHOD, seedInitializeBiz());
    assert.equal(r.node.code, '10000');
    assert.ok(r.signatureValid, 'verifies as SHA1withRSA');
    const asSha256 = readResponse(Buffer.from(JSON.stringify(r.root)), METHOD, ctx.gw.alipayPublicKey, 'RSA2');
    assert.equal(asSha256.signatureValid, false);
  });

  test('a client that signed its explicit empty parameters (Node/Python style) is accepted', async () => {
    const params: Record<string, string> = {
      app_id: ctx.app.appId,
      method: METHOD,
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: shanghaiNow(),
      version: '1.0',
      notify_url: '',
      biz_content: JSON.stringify(seedInitializeBiz()),
    };
    const content = Object.keys(params)
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
    const { createSign } = await import('node:crypto');
    params.sign = createSign('RSA-SHA256').update(content).sign(ctx.app.privateKeyPem, 'base64');
    const res = await send(ctx.gw.url, params);
    assert.equal(readResponse(res.body, METHOD, ctx.gw.alipayPublicKey).node.code, '10000');
  });
});
