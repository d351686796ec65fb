import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSign, createVerify, randomUUID } from 'node:crypto';
import { AlipayRequestError, AlipaySdk } from 'alipay-sdk';
import { seedInitializeBiz, startTestGateway, useGateway, type TestGateway } from './support/harness.js';
import type { TestApp } from './support/client.js';
import { SEED_CERT_NO, SEED_NAME } from './support/identity.js';
import { riskBiz } from './support/risk.js';
import { aesDecrypt, aesEncrypt, newAesKey } from '../src/crypto/aes.js';
import { generateRsaKeyPair } from '../src/crypto/rsa.js';
import { issueToken } from '../src/domain/app-auth.js';
import { defineContract } from '../src/contracts/contract.js';
import { defaultRegistry } from '../src/families/index.js';
import { defineMethod } from '../src/protocol/method.js';
import { z } from 'zod';

const ZHIMA_INIT = '/v3/zhima/customer/certification/initialize';
const OPEN_INIT = '/v3/alipay/user/certify/open/initialize';
const OPEN_QUERY = '/v3/alipay/user/certify/open/query';
const RISK_INIT = '/v3/alipay/security/risk/authentication/initialize';

/** The official SDK as a merchant configures it for v3: endpoint, PKCS#8 key, Alipay public key. */
function v3Sdk(gw: TestGateway, app: TestApp, extra: Partial<ConstructorParameters<typeof AlipaySdk>[0]> = {}): AlipaySdk {
  return new AlipaySdk({
    appId: app.appId,
    privateKey: app.privateKeyPem,
    alipayPublicKey: gw.alipayPublicKey,
    endpoint: gw.url,
    keyType: 'PKCS8',
    ...extra,
  });
}

const openInitBody = () => ({
  outer_order_no: `V3${Date.now()}${Math.floor(Math.random() * 1e6)}`.slice(0, 32),
  biz_code: 'FACE',
  identity_param: { identity_type: 'CERT_INFO', cert_type: 'IDENTITY_CARD', cert_name: SEED_NAME, cert_no: SEED_CERT_NO },
  merchant_config: { return_url: '' },
});

/** The SDK's failure for a non-2xx answer, with the v3 code and HTTP status it read. */
async function sdkFailure(call: Promise<unknown>): Promise<AlipayRequestError> {
  try {
    await call;
  } catch (e) {
    assert.ok(e instanceof AlipayRequestError, String(e));
    return e;
  }
  assert.fail('the SDK call should have failed');
}

interface HandRequest {
  httpMethod?: 'GET' | 'POST' | 'PUT';
  /** Path and query, signed as sent. */
  target: string;
  body?: string;
  appId: string;
  privateKeyPem: string;
  appCertSn?: string;
  timestamp?: number;
  headers?: Record<string, string>;
  /** Changes the body after signing (a man in the middle). */
  tamper?: (body: string) => string;
  /** Leaves out the Authorization header. */
  unsigned?: boolean;
}

interface HandResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** A deliberately independent v3 client (not the gateway's code): the SDK's byte rules, by hand. */
async function handSigned(gw: TestGateway, r: HandRequest): Promise<HandResponse> {
  const httpMethod = r.httpMethod ?? 'POST';
  const body = r.body ?? '';
  let authString = `app_id=${r.appId}`;
  if (r.appCertSn) authString += `,app_cert_sn=${r.appCertSn}`;
  authString += `,nonce=${randomUUID()},timestamp=${r.timestamp ?? Date.now()}`;
  const sign = createSign('RSA-SHA256').update(`${authString}\n${httpMethod}\n${r.target}\n${body}\n`, 'utf8').sign(r.privateKeyPem, 'base64');
  const headers: Record<string, string> = { 'content-type': 'application/json', ...r.headers };
  if (!r.unsigned) headers.authorization = `ALIPAY-SHA256withRSA ${authString},sign=${sign}`;
  const sent = r.tamper ? r.tamper(body) : body;
  const res = await fetch(`${gw.url}${r.target}`, { method: httpMethod, headers, body: httpMethod === 'GET' ? undefined : sent });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Verifies `timestamp\nnonce\nbody\n` against the platform public key, independently of the SDK. */
function responseSignatureValid(res: HandResponse, alipayPublicKey: string): boolean {
  const ts = res.headers.get('alipay-timestamp');
  const nonce = res.headers.get('alipay-nonce');
  const signature = res.headers.get('alipay-signature');
  if (!ts || !nonce || !signature) return false;
  return createVerify('RSA-SHA256').update(`${ts}\n${nonce}\n${res.text}\n`, 'utf8').verify(alipayPublicKey, signature, 'base64');
}

function errorBody(res: HandResponse): { code: string; message: string } {
  return JSON.parse(res.text) as { code: string; message: string };
}

describe('OpenAPI v3 with the official alipay-sdk (curl)', () => {
  const ctx = useGateway();

  test('zhima.customer.certification.initialize: POST JSON body, signed answer without code/msg', async () => {
    const res = await v3Sdk(ctx.gw, ctx.app).curl('POST', ZHIMA_INIT, { body: seedInitializeBiz() });
    assert.equal(res.responseHttpStatus, 200);
    assert.match(String(res.data.biz_no), /^ZM\d{30}$/);
    assert.equal(res.data.code, undefined, 'v3 answers carry no code/msg wrapper');
    assert.equal(res.data.msg, undefined);
    assert.match(res.traceId, /^[0-9a-f]{32}$/, 'the trace id comes from alipay-trace-id');
  });

  test('alipay.user.certify.open: initialize by POST, then query by GET with the query string', async () => {
    const sdk = v3Sdk(ctx.gw, ctx.app);
    const init = await sdk.curl('POST', OPEN_INIT, { body: openInitBody() });
    const certifyId = String(init.data.certify_id);
    assert.match(certifyId, /^[0-9a-f]{32}$/);
    const byGet = await sdk.curl('GET', OPEN_QUERY, { query: { certify_id: certifyId } });
    assert.equal(byGet.data.passed, 'F', 'not finished yet');
    const byPost = await sdk.curl('POST', OPEN_QUERY, { body: { certify_id: certifyId } });
    assert.deepEqual(byPost.data, byGet.data);
  });

  test('alipay.security.risk.authentication.initialize', async () => {
    const res = await v3Sdk(ctx.gw, ctx.app).curl('POST', RISK_INIT, { body: riskBiz({ bizId: `v3${Date.now()}` }) });
    assert.ok(String(res.data.token_id).length > 0);
    assert.equal(typeof JSON.parse(String(res.data.biz_result)), 'object');
  });

  test('the SDK verifies the answer: a wrong Alipay public key makes it throw', async () => {
    const other = (await generateRsaKeyPair()).publicKeyPem;
    const e = await sdkFailure(v3Sdk(ctx.gw, ctx.app, { alipayPublicKey: other }).curl('POST', ZHIMA_INIT, { body: seedInitializeBiz() }));
    assert.equal(e.code, 'response-signature-verify-error');
  });

  test('signed with the wrong private key → 401 invalid-signature', async () => {
    const stranger = (await generateRsaKeyPair()).privateKeyPem;
    const e = await sdkFailure(v3Sdk(ctx.gw, ctx.app, { privateKey: stranger }).curl('POST', ZHIMA_INIT, { body: seedInitializeBiz() }));
    assert.equal(e.responseHttpStatus, 401);
    assert.equal(e.code, 'invalid-signature');
    assert.match(String(e.traceId), /^[0-9a-f]{32}$/);
  });

  test('an unknown app → 400 invalid-app-id', async () => {
    const e = await sdkFailure(v3Sdk(ctx.gw, { ...ctx.app, appId: '2021999999999999' }).curl('POST', ZHIMA_INIT, { body: seedInitializeBiz() }));
    assert.equal(e.responseHttpStatus, 400);
    assert.equal(e.code, 'invalid-app-id');
  });

  test('an unknown method → 404 invalid-method', async () => {
    const e = await sdkFailure(v3Sdk(ctx.gw, ctx.app).curl('POST', '/v3/alipay/trade/query', { body: { out_trade_no: '1' } }));
    assert.equal(e.responseHttpStatus, 404);
    assert.equal(e.code, 'invalid-method');
  });

  test("a method's business error → 400 with its sub_code as the code", async () => {
    const body = { ...seedInitializeBiz(), product_code: 'w1010100000000009999' };
    const e = await sdkFailure(v3Sdk(ctx.gw, ctx.app).curl('POST', ZHIMA_INIT, { body }));
    assert.equal(e.responseHttpStatus, 400);
    assert.equal(e.code, 'ARRANGEMENT_ERROR');
    assert.match(e.message, /^合约异常/);
  });

  test("a schema error (missing required field) → 400 with the contract's parameter code", async () => {
    const { transaction_id: _dropped, ...body } = seedInitializeBiz();
    const e = await sdkFailure(v3Sdk(ctx.gw, ctx.app).curl('POST', ZHIMA_INIT, { body }));
    assert.equal(e.responseHttpStatus, 400);
    assert.equal(e.code, 'INVALID_PARAMETER');
    assert.match(e.message, /transaction_id/);
    const open = await sdkFailure(v3Sdk(ctx.gw, ctx.app).curl('POST', OPEN_INIT, { body: { ...openInitBody(), biz_code: undefined } }));
    assert.equal(open.code, 'ILLEGAL_ARGUMENT_FORMAT', 'each contract keeps its own parameter code');
  });

  test('app_auth_token: an unknown one → 401 invalid-app-auth-token; a granted one acts for the merchant', async () => {
    const e = await sdkFailure(v3Sdk(ctx.gw, ctx.app).curl('POST', ZHIMA_INIT, { body: seedInitializeBiz(), appAuthToken: '202501BBxxxx' }));
    assert.equal(e.responseHttpStatus, 401);
    assert.equal(e.code, 'invalid-app-auth-token');
    const merchant = await ctx.gw.createApp();
    const token = await issueToken(ctx.gw.services, ctx.app.appId, merchant.appId, ['alipay.user.certify.open.query']);
    const isv = v3Sdk(ctx.gw, ctx.app);
    const noApi = await sdkFailure(isv.curl('POST', ZHIMA_INIT, { body: seedInitializeBiz(), appAuthToken: token.app_auth_token }));
    assert.deepEqual([noApi.responseHttpStatus, noApi.code], [401, 'invalid-app-auth-token-no-api']);
    const wide = await issueToken(ctx.gw.services, ctx.app.appId, merchant.appId, null);
    const init = await isv.curl<{ biz_no: string }>('POST', ZHIMA_INIT, { body: seedInitializeBiz(), appAuthToken: wide.app_auth_token });
    assert.equal(init.responseHttpStatus, 200);
    const session = await ctx.gw.services.store.findSession('zhima', { externalId: init.data.biz_no });
    assert.deepEqual([session?.appId, session?.agentAppId], [merchant.appId, ctx.app.appId], "the merchant's session, opened by the ISV");
    const notDelegable = await sdkFailure(
      isv.curl('POST', '/v3/alipay/open/auth/token/app', { body: { grant_type: 'refresh_token', refresh_token: 'x' }, appAuthToken: wide.app_auth_token }),
    );
    assert.deepEqual([notDelegable.responseHttpStatus, notDelegable.code], [400, 'not-support-app-auth']);
  });

  test('GET on a method that is not a query → 400 invalid-http-method', async () => {
    const e = await sdkFailure(v3Sdk(ctx.gw, ctx.app).curl('GET', OPEN_INIT, { query: { biz_code: 'FACE' } }));
    assert.equal(e.responseHttpStatus, 400);
    assert.equal(e.code, 'invalid-http-method');
  });
});

describe('OpenAPI v3 framing, by hand (independent signer and verifier)', () => {
  const ctx = useGateway();
  const base = () => ({ appId: ctx.app.appId, privateKeyPem: ctx.app.privateKeyPem });

  test('a success answer carries alipay-timestamp/nonce/signature/trace-id, and the signature verifies', async () => {
    const res = await handSigned(ctx.gw, { ...base(), target: ZHIMA_INIT, body: JSON.stringify(seedInitializeBiz()) });
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(res.headers.get('alipay-trace-id') ?? '', /^[0-9a-f]{32}$/);
    assert.equal(res.headers.get('alipay-sn'), null, 'no certificate SN outside certificate mode');
    assert.ok(responseSignatureValid(res, ctx.gw.alipayPublicKey), 'independently verified');
    assert.ok(!responseSignatureValid({ ...res, text: res.text.replace('biz_no', 'biz_nO') }, ctx.gw.alipayPublicKey), 'and the check can fail');
  });

  test('a body changed after signing → 401 invalid-signature, and the error answer is signed too', async () => {
    const res = await handSigned(ctx.gw, {
      ...base(),
      target: ZHIMA_INIT,
      body: JSON.stringify(seedInitializeBiz()),
      tamper: (b) => b.replace('FACE', 'SMART_FACE'),
    });
    assert.equal(res.status, 401);
    assert.equal(errorBody(res).code, 'invalid-signature');
    assert.ok(responseSignatureValid(res, ctx.gw.alipayPublicKey));
  });

  test('the query string is signed: changing it after signing is refused', async () => {
    const res = await handSigned(ctx.gw, { ...base(), httpMethod: 'GET', target: `${OPEN_QUERY}?certify_id=abc` });
    assert.equal(res.status, 400, 'signed and unknown certify_id: a business error, not a signature failure');
    assert.equal(errorBody(res).code, 'OPEN_CERTIFY_BILL_NOT_EXIST');
    const authorization = await signedAuthorization(base(), 'GET', `${OPEN_QUERY}?certify_id=abc`);
    const moved = await fetch(`${ctx.gw.url}${OPEN_QUERY}?certify_id=abd`, { headers: { authorization } });
    assert.equal(moved.status, 401);
  });

  test('a stale timestamp → 400 illegal-timestamp; a malformed one → 400 invalid-timestamp', async () => {
    const skewMs = ctx.gw.services.config.timestampSkewSeconds * 1000;
    const stale = await handSigned(ctx.gw, { ...base(), target: ZHIMA_INIT, body: '{}', timestamp: Date.now() - skewMs - 60_000 });
    assert.equal(stale.status, 400);
    assert.equal(errorBody(stale).code, 'illegal-timestamp');
    assert.ok(responseSignatureValid(stale, ctx.gw.alipayPublicKey), 'the app is known: signed');
    const inWindow = await handSigned(ctx.gw, { ...base(), target: ZHIMA_INIT, body: '{}', timestamp: Date.now() - skewMs + 60_000 });
    assert.notEqual(errorBody(inWindow).code, 'illegal-timestamp');
    const authorization = `ALIPAY-SHA256withRSA app_id=${ctx.app.appId},nonce=n,timestamp=2025-01-01,sign=x`;
    const malformed = await fetch(`${ctx.gw.url}${ZHIMA_INIT}`, { method: 'POST', headers: { authorization }, body: '{}' });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { code: string }).code, 'invalid-timestamp');
  });

  test('while the gateway clock is moved, both real time and gateway time are in the window', async () => {
    const time = ctx.gw.services.time;
    const skewMs = ctx.gw.services.config.timestampSkewSeconds * 1000;
    time.advance(10 * skewMs);
    try {
      const real = await handSigned(ctx.gw, { ...base(), target: ZHIMA_INIT, body: JSON.stringify(seedInitializeBiz()) });
      assert.equal(real.status, 200, real.text);
      const gatewayTime = await handSigned(ctx.gw, { ...base(), target: ZHIMA_INIT, body: JSON.stringify(seedInitializeBiz()), timestamp: time.now() });
      assert.equal(gatewayTime.status, 200, gatewayTime.text);
      const between = await handSigned(ctx.gw, { ...base(), target: ZHIMA_INIT, body: '{}', timestamp: Date.now() + 5 * skewMs });
      assert.equal(errorBody(between).code, 'illegal-timestamp');
    } finally {
      time.reset();
    }
  });

  test('no Authorization header → 400 missing-timestamp, unsigned (no app known)', async () => {
    const res = await handSigned(ctx.gw, { ...base(), target: ZHIMA_INIT, body: '{}', unsigned: true });
    assert.equal(res.status, 400);
    assert.equal(errorBody(res).code, 'missing-timestamp');
    assert.equal(res.headers.get('alipay-signature'), null);
    assert.ok(res.headers.get('alipay-trace-id'));
  });

  test('another scheme → 400 invalid-signature-type; no sign → 401 missing-signature', async () => {
    const bearer = await fetch(`${ctx.gw.url}${ZHIMA_INIT}`, { method: 'POST', headers: { authorization: 'Bearer abc' }, body: '{}' });
    assert.equal(bearer.status, 400);
    assert.equal(((await bearer.json()) as { code: string }).code, 'invalid-signature-type');
    const authorization = `ALIPAY-SHA256withRSA app_id=${ctx.app.appId},nonce=n,timestamp=${Date.now()}`;
    const unsigned = await fetch(`${ctx.gw.url}${ZHIMA_INIT}`, { method: 'POST', headers: { authorization }, body: '{}' });
    assert.equal(unsigned.status, 401);
    assert.equal(((await unsigned.json()) as { code: string }).code, 'missing-signature');
  });

  test('a body that is not a JSON object → 400 illegal-json', async () => {
    for (const body of ['{"a":', '[1,2]']) {
      const res = await handSigned(ctx.gw, { ...base(), target: ZHIMA_INIT, body });
      assert.equal(res.status, 400, body);
      assert.equal(errorBody(res).code, 'illegal-json');
    }
  });
});

async function signedAuthorization(app: { appId: string; privateKeyPem: string }, httpMethod: string, target: string, body = ''): Promise<string> {
  const authString = `app_id=${app.appId},nonce=${randomUUID()},timestamp=${Date.now()}`;
  const sign = createSign('RSA-SHA256').update(`${authString}\n${httpMethod}\n${target}\n${body}\n`, 'utf8').sign(app.privateKeyPem, 'base64');
  return `ALIPAY-SHA256withRSA ${authString},sign=${sign}`;
}

describe('OpenAPI v3 content encryption (alipay-encrypt-type: AES)', () => {
  const ctx = useGateway();

  test('needEncrypt: the body goes encrypted and the ciphertext answer is verified, then decrypted', async () => {
    const aesKey = newAesKey();
    await ctx.gw.services.store.updateApp(ctx.app.appId, { aesKey });
    const res = await v3Sdk(ctx.gw, ctx.app, { encryptKey: aesKey }).curl('POST', ZHIMA_INIT, { body: seedInitializeBiz(), needEncrypt: true });
    assert.equal(res.responseHttpStatus, 200);
    assert.match(String(res.data.biz_no), /^ZM\d{30}$/);
  });

  test('by hand: the answer body is Base64 ciphertext, marked and signed as sent', async () => {
    const aesKey = newAesKey();
    await ctx.gw.services.store.updateApp(ctx.app.appId, { aesKey });
    const body = aesEncrypt(Buffer.from(JSON.stringify(seedInitializeBiz())), aesKey);
    const res = await handSigned(ctx.gw, {
      appId: ctx.app.appId,
      privateKeyPem: ctx.app.privateKeyPem,
      target: ZHIMA_INIT,
      body,
      headers: { 'content-type': 'text/plain', 'alipay-encrypt-type': 'AES' },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('alipay-encrypt-type'), 'AES');
    assert.ok(responseSignatureValid(res, ctx.gw.alipayPublicKey), 'the signature covers the ciphertext');
    const plain = JSON.parse(aesDecrypt(res.text, aesKey)!.toString('utf8')) as Record<string, unknown>;
    assert.match(String(plain.biz_no), /^ZM\d{30}$/);
  });

  test('ciphertext under another key → 400 decryption-error-unknown', async () => {
    await ctx.gw.services.store.updateApp(ctx.app.appId, { aesKey: newAesKey() });
    const e = await sdkFailure(v3Sdk(ctx.gw, ctx.app, { encryptKey: newAesKey() }).curl('POST', ZHIMA_INIT, { body: seedInitializeBiz(), needEncrypt: true }));
    assert.equal(e.responseHttpStatus, 400);
    assert.equal(e.code, 'decryption-error-unknown');
  });

  test('an app without an AES key → 400 decryption-error-not-valid-encrypt-key', async () => {
    await ctx.gw.services.store.updateApp(ctx.app.appId, { aesKey: null });
    const e = await sdkFailure(v3Sdk(ctx.gw, ctx.app, { encryptKey: newAesKey() }).curl('POST', ZHIMA_INIT, { body: seedInitializeBiz(), needEncrypt: true }));
    assert.equal(e.responseHttpStatus, 400);
    assert.equal(e.code, 'decryption-error-not-valid-encrypt-key');
  });
});

describe('OpenAPI v3 certificate mode (app_cert_sn → alipay-sn)', () => {
  const ctx = useGateway();

  test('app_cert_sn equal to the app certificate SN: the answer names the platform SN', async () => {
    await ctx.gw.services.store.updateApp(ctx.app.appId, { certSn: 'abc' });
    const previous = ctx.gw.services.platform.certSn;
    ctx.gw.services.platform.certSn = 'def';
    try {
      const res = await handSigned(ctx.gw, {
        appId: ctx.app.appId,
        privateKeyPem: ctx.app.privateKeyPem,
        appCertSn: 'abc',
        target: ZHIMA_INIT,
        body: JSON.stringify(seedInitializeBiz()),
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get('alipay-sn'), 'def');
      assert.ok(responseSignatureValid(res, ctx.gw.alipayPublicKey));

      const wrong = await handSigned(ctx.gw, { appId: ctx.app.appId, privateKeyPem: ctx.app.privateKeyPem, appCertSn: 'zzz', target: ZHIMA_INIT, body: '{}' });
      assert.equal(wrong.status, 400);
      assert.equal(errorBody(wrong).code, 'app-cert-not-exist');

      const none = await handSigned(ctx.gw, { appId: ctx.app.appId, privateKeyPem: ctx.app.privateKeyPem, target: ZHIMA_INIT, body: '{}' });
      assert.equal(none.status, 400);
      assert.equal(errorBody(none).code, 'missing-app-cert-sn');
    } finally {
      ctx.gw.services.platform.certSn = previous;
    }
  });
});

describe('OpenAPI v3 reaches every registered method; a bug is a signed 500', () => {
  test('every method of the registry answers on its v3 path (never 404), and a throwing handler → 500 unknow-error', async () => {
    const registry = new Map(defaultRegistry());
    const boom = defineMethod({
      contract: defineContract({ method: 'aopgate.test.boom', kind: 'api', request: z.object({}), response: z.object({}), errors: {} }),
      async handle() {
        throw new Error(`bug with ${SEED_CERT_NO} inside`);
      },
    });
    registry.set(boom.contract.method, boom);
    const gw = await startTestGateway({}, { registry });
    try {
      const app = await gw.createApp();
      const sdk = v3Sdk(gw, app);
      for (const method of defaultRegistry().keys()) {
        const path = `/v3/${method.replaceAll('.', '/')}`;
        // An empty body breaks every contract's required fields: a 400 from the method, not a 404.
        const e = await sdkFailure(sdk.curl('POST', path, { body: {} }));
        assert.equal(e.responseHttpStatus, 400, `${method}: ${e.code} ${e.message}`);
      }
      const res = await handSigned(gw, { appId: app.appId, privateKeyPem: app.privateKeyPem, target: '/v3/aopgate/test/boom', body: '{}' });
      assert.equal(res.status, 500, res.text);
      assert.deepEqual(errorBody(res), { code: 'unknow-error', message: '系统繁忙' });
      assert.ok(!res.text.includes(SEED_CERT_NO), 'the exception text never reaches the client');
      assert.ok(responseSignatureValid(res, gw.alipayPublicKey), 'the app is known: signed');
      const after = await sdk.curl('POST', ZHIMA_INIT, { body: seedInitializeBiz() });
      assert.equal(after.responseHttpStatus, 200, 'the server keeps serving');
    } finally {
      await gw.stop();
    }
  });
});
