import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { once } from 'node:events';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AopClient, AopError, PAGE_METHODS, openV2Response, type AopClientOptions, type MethodName } from '../src/client/index.js';
import { loadPublicKey } from '../src/client/keys.js';
import { encodeText, decodeText } from '../src/client/charset.js';
import { CONTRACTS } from '../src/contracts/index.js';
import { issueCode, issueToken } from '../src/domain/app-auth.js';
import { ensurePlatformCertificate, issueAppCertificate } from '../src/domain/platform-ca.js';
import type { TestApp } from './support/client.js';
import { vector, vectorFile } from './support/fixtures.js';
import { seedInitializeBiz, startTestGateway, useGateway, type TestGateway } from './support/harness.js';
import { SEED_CERT_NO, SEED_NAME } from './support/identity.js';
import { riskBiz } from './support/risk.js';
import { faceCertifyBiz, faceVerificationBiz } from './scenarios/face.js';

const unique = (prefix: string) => `${prefix}${Date.now()}${Math.floor(Math.random() * 1e9)}`.slice(0, 32);

const clientFor = (gw: TestGateway, app: TestApp, extra: Partial<AopClientOptions> = {}) =>
  new AopClient({
    gateway: `${gw.url}/gateway.do`,
    endpoint: gw.url,
    appId: app.appId,
    privateKey: app.privateKeyPem,
    alipayPublicKey: gw.alipayPublicKey,
    ...extra,
  });

const certifyOpenBiz = () => ({
  outer_order_no: unique('OC'),
  biz_code: 'FACE' as const,
  identity_param: { identity_type: 'CERT_INFO', cert_type: 'IDENTITY_CARD', cert_name: SEED_NAME, cert_no: SEED_CERT_NO },
  merchant_config: { return_url: 'https://merchant.example/back' },
});

async function rejectsWith(p: Promise<unknown>, check: (e: AopError) => void) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AopError, `expected an AopError, got ${String(e)}`);
    check(e);
    return true;
  });
}

/** Runs every contract method once through `client`; returns the methods covered. */
async function everyMethod(client: AopClient, gw: TestGateway, app: TestApp): Promise<Set<string>> {
  const covered = new Set<string>();
  const ok = <T>(method: MethodName, value: T) => {
    covered.add(method);
    return value;
  };
  const zhima = ok('zhima.customer.certification.initialize', await client.call('zhima.customer.certification.initialize', seedInitializeBiz()));
  assert.match(zhima.biz_no, /^ZM/);
  ok('zhima.customer.certification.certify', await client.call('zhima.customer.certification.certify', { biz_no: zhima.biz_no }));
  const zq = ok('zhima.customer.certification.query', await client.call('zhima.customer.certification.query', { biz_no: zhima.biz_no }));
  assert.equal(zq.code, '10000');

  const risk = ok(
    'alipay.security.risk.authentication.initialize',
    await client.call('alipay.security.risk.authentication.initialize', riskBiz({ bizId: unique('R') })),
  );
  ok('alipay.security.risk.authentication.query', await client.call('alipay.security.risk.authentication.query', { token_id: risk.token_id }));
  ok('alipay.security.risk.authentication.cancel', await client.call('alipay.security.risk.authentication.cancel', { token_id: risk.token_id }));

  const open = ok('alipay.user.certify.open.initialize', await client.call('alipay.user.certify.open.initialize', certifyOpenBiz()));
  ok('alipay.user.certify.open.certify', await client.call('alipay.user.certify.open.certify', { certify_id: open.certify_id }));
  ok('alipay.user.certify.open.query', await client.call('alipay.user.certify.open.query', { certify_id: open.certify_id }));

  const face = ok(
    'datadigital.fincloud.generalsaas.face.certify.initialize',
    await client.call('datadigital.fincloud.generalsaas.face.certify.initialize', faceCertifyBiz() as never),
  );
  ok(
    'datadigital.fincloud.generalsaas.face.certify.verify',
    await client.call('datadigital.fincloud.generalsaas.face.certify.verify', { certify_id: face.certify_id }),
  );
  ok(
    'datadigital.fincloud.generalsaas.face.certify.query',
    await client.call('datadigital.fincloud.generalsaas.face.certify.query', { certify_id: face.certify_id }),
  );
  const fv = ok(
    'datadigital.fincloud.generalsaas.face.verification.initialize',
    await client.call('datadigital.fincloud.generalsaas.face.verification.initialize', faceVerificationBiz() as never),
  );
  ok(
    'datadigital.fincloud.generalsaas.face.verification.query',
    await client.call('datadigital.fincloud.generalsaas.face.verification.query', { certify_id: fv.certify_id }),
  );

  const merchant = await gw.createApp();
  const code = await issueCode(gw.services, app.appId, merchant.appId, null);
  const token = ok('alipay.open.auth.token.app', await client.call('alipay.open.auth.token.app', { grant_type: 'authorization_code', code }));
  assert.equal(token.auth_app_id, merchant.appId);

  if (gw.services.platform.certSn) {
    const cert = ok(
      'alipay.open.app.alipaycert.download',
      await client.call('alipay.open.app.alipaycert.download', { alipay_cert_sn: gw.services.platform.certSn }),
    );
    assert.match(Buffer.from(cert.alipay_cert_content, 'base64').toString('utf8'), /BEGIN CERTIFICATE/);
  }
  return covered;
}

describe('AopClient v2 against the gateway', () => {
  const ctx = useGateway();

  test('PAGE_METHODS are exactly the contracts of kind page', () => {
    const pages = Object.values(CONTRACTS)
      .filter((c) => c.kind === 'page')
      .map((c) => c.method)
      .sort();
    assert.deepEqual([...PAGE_METHODS].sort(), pages);
  });

  test('every contract method, utf-8, typed answers', async () => {
    await ensurePlatformCertificate(ctx.gw.services);
    const client = clientFor(ctx.gw, ctx.app);
    const covered = await everyMethod(client, ctx.gw, ctx.app);
    assert.deepEqual([...covered].sort(), Object.keys(CONTRACTS).sort());
    assert.match(client.lastSignString ?? '', /^app_id=.*&method=alipay\.open\.app\.alipaycert\.download&sign_type=RSA2&timestamp=/);
  });

  test('gbk: request and answer in GBK, Chinese text intact', async () => {
    const signs: string[] = [];
    const client = clientFor(ctx.gw, ctx.app, { charset: 'gbk', onSign: (s) => signs.push(s) });
    const init = await client.call('zhima.customer.certification.initialize', seedInitializeBiz());
    const open = await client.call('alipay.user.certify.open.initialize', certifyOpenBiz());
    assert.ok(open.certify_id);
    assert.match(init.biz_no, /^ZM/);
    assert.ok(
      signs.some((s) => s.includes(SEED_NAME)),
      'the Chinese name was signed',
    );
    assert.ok(signs.every((s) => s.includes('charset=gbk')));
  });

  test('GBK encoder round-trips through the runtime decoder', () => {
    const text = '张三 验签出错，建议检查 ABC-123 「」';
    assert.equal(decodeText(encodeText(text, 'gbk'), 'gbk'), text);
  });

  test('business error → AopError with subCode and traceId', async () => {
    const client = clientFor(ctx.gw, ctx.app);
    await rejectsWith(client.call('alipay.security.risk.authentication.query', { token_id: 'f'.repeat(32) }), (e) => {
      assert.equal(e.code, '40004');
      assert.equal(e.subCode, 'BIZ_ERROR');
      assert.ok(e.traceId, 'trace_id header carried');
    });
    await rejectsWith(client.call('zhima.customer.certification.query', { biz_no: 'x'.repeat(33) }), (e) => assert.equal(e.subCode, 'INVALID_PARAMETER'));
  });

  test('wrong platform key → SIGNATURE_INVALID', async () => {
    const other = await ctx.gw.createApp();
    const client = clientFor(ctx.gw, ctx.app, { alipayPublicKey: createPublicKey(other.privateKeyPem).export({ type: 'spki', format: 'pem' }) as string });
    await rejectsWith(client.call('zhima.customer.certification.initialize', seedInitializeBiz()), (e) => assert.equal(e.code, 'SIGNATURE_INVALID'));
  });

  test('app_auth_token: an ISV calls for a merchant', async () => {
    const merchant = await ctx.gw.createApp();
    const token = await issueToken(ctx.gw.services, ctx.app.appId, merchant.appId, null);
    const client = clientFor(ctx.gw, ctx.app);
    const init = await client.call('zhima.customer.certification.initialize', seedInitializeBiz(), { appAuthToken: token.app_auth_token });
    assert.match(client.lastSignString ?? '', /app_auth_token=/);
    assert.match(init.biz_no, /^ZM/);
    await rejectsWith(client.call('zhima.customer.certification.initialize', seedInitializeBiz(), { appAuthToken: 'nope' }), (e) => assert.ok(e.subCode));
  });

  test('pageUrl and pageForm sign a browser request the gateway accepts', async () => {
    const client = clientFor(ctx.gw, ctx.app);
    const { biz_no } = await client.call('zhima.customer.certification.initialize', seedInitializeBiz());
    const url = await client.pageUrl('zhima.customer.certification.certify', { biz_no }, { returnUrl: 'https://merchant.example/back' });
    const page = await fetch(url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.doesNotMatch(html, /invalid-signature/);
    const form = await client.pageForm('zhima.customer.certification.certify', { biz_no });
    assert.match(form, /<form [^>]*method="post"[^>]*action="[^"]*gateway\.do\?charset=utf-8"/);
    assert.match(form, /name="sign" value="[A-Za-z0-9+/=]+"/);
    assert.match(form, /\.submit\(\)/);
  });
});

describe('AopClient AES', () => {
  const ctx = useGateway({}, { aes: true });
  test('encrypt: true on v2 (utf-8 and gbk) and v3', async () => {
    const aesKey = (await ctx.gw.services.store.getApp(ctx.app.appId))!.aesKey!;
    for (const extra of [{}, { charset: 'gbk' as const }, { protocol: 'v3' as const }]) {
      const client = clientFor(ctx.gw, ctx.app, { aesKey, ...extra });
      const init = await client.call('zhima.customer.certification.initialize', seedInitializeBiz(), { encrypt: true });
      assert.match(init.biz_no, /^ZM/);
      if (!extra.protocol) assert.match(client.lastSignString ?? '', /encrypt_type=AES/);
      await rejectsWith(client.call('alipay.security.risk.authentication.query', { token_id: 'f'.repeat(32) }, { encrypt: true }), (e) =>
        assert.equal(e.subCode, 'BIZ_ERROR'),
      );
    }
  });
});

describe('AopClient certificate mode', () => {
  const ctx = useGateway();
  test('v2 and v3 with app, platform and root certificates', async () => {
    const { services } = ctx.gw;
    await ensurePlatformCertificate(services);
    const { certPem } = await issueAppCertificate(services, (await services.store.getApp(ctx.app.appId))!);
    const platform = await services.store.getPlatformCert(services.platform.certSn!);
    const certificates = { appCert: certPem, alipayCert: platform!.certPem, alipayRootCert: services.caRoot!.certPem };
    for (const protocol of ['v2', 'v3'] as const) {
      const client = new AopClient({ gateway: `${ctx.gw.url}/gateway.do`, appId: ctx.app.appId, privateKey: ctx.app.privateKeyPem, certificates, protocol });
      const init = await client.call('zhima.customer.certification.initialize', seedInitializeBiz());
      assert.match(init.biz_no, /^ZM/);
      assert.match(client.lastSignString ?? '', protocol === 'v2' ? /alipay_root_cert_sn=.*app_cert_sn=|app_cert_sn=.*alipay_root_cert_sn=/ : /app_cert_sn=/);
    }
  });
});

describe('AopClient v3', () => {
  const ctx = useGateway();
  test('plain calls, typed answers, errors with httpStatus', async () => {
    const client = clientFor(ctx.gw, ctx.app, { protocol: 'v3' });
    const init = await client.call('zhima.customer.certification.initialize', seedInitializeBiz());
    assert.equal(init.code, '10000');
    assert.match(init.biz_no, /^ZM/);
    assert.match(client.lastSignString ?? '', /^app_id=\d+,nonce=[0-9a-f-]+,timestamp=\d+\nPOST\n\/v3\/zhima\/customer\/certification\/initialize\n\{/);
    const q = await client.call('zhima.customer.certification.query', { biz_no: init.biz_no });
    assert.equal(q.code, '10000');
    await rejectsWith(client.call('alipay.security.risk.authentication.query', { token_id: 'f'.repeat(32) }), (e) => {
      assert.equal(e.subCode, 'BIZ_ERROR');
      assert.ok(e.httpStatus && e.httpStatus >= 400);
      assert.ok(e.traceId);
    });
  });
  test('app_auth_token over v3', async () => {
    const merchant = await ctx.gw.createApp();
    const token = await issueToken(ctx.gw.services, ctx.app.appId, merchant.appId, null);
    const client = clientFor(ctx.gw, ctx.app, { protocol: 'v3' });
    const init = await client.call('zhima.customer.certification.initialize', seedInitializeBiz(), { appAuthToken: token.app_auth_token });
    assert.match(init.biz_no, /^ZM/);
    assert.ok(client.lastSignString?.endsWith(`\n${token.app_auth_token}\n`));
  });
});

/** A proxy in front of the gateway that rewrites answers: the client must refuse them. */
async function tamperingProxy(target: string, rewrite: (body: Buffer, headers: Record<string, string>) => Buffer): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const upstream = httpRequest(new URL(req.url!, target), { method: req.method, headers: req.headers }, (up) => {
        const parts: Buffer[] = [];
        up.on('data', (c: Buffer) => parts.push(c));
        up.on('end', () => {
          const headers = Object.fromEntries(Object.entries(up.headers).map(([k, v]) => [k, String(v)]));
          const body = rewrite(Buffer.concat(parts), headers);
          delete headers['content-length'];
          delete headers['transfer-encoding'];
          res.writeHead(up.statusCode ?? 502, headers).end(body);
        });
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('tampered answers', () => {
  const ctx = useGateway();
  const cases: Array<[name: string, protocol: 'v2' | 'v3', tamper: (text: string) => string]> = [
    ['v2 body changed by one field', 'v2', (t) => t.replace(/"biz_no":"ZM/, '"biz_no":"ZX')],
    ['v2 sign stripped from a success', 'v2', (t) => t.replace(/,"sign":"[^"]*"/, '')],
    ['v3 body changed', 'v3', (t) => t.replace(/"biz_no":"ZM/, '"biz_no":"ZX')],
  ];
  for (const [name, protocol, tamper] of cases) {
    test(`${name} → SIGNATURE_INVALID`, async () => {
      const proxy = await tamperingProxy(ctx.gw.url, (body) => Buffer.from(tamper(body.toString('utf8'))));
      try {
        const client = new AopClient({
          gateway: `${proxy.url}/gateway.do`,
          protocol,
          appId: ctx.app.appId,
          privateKey: ctx.app.privateKeyPem,
          alipayPublicKey: ctx.gw.alipayPublicKey,
        });
        await rejectsWith(client.call('zhima.customer.certification.initialize', seedInitializeBiz()), (e) => assert.equal(e.code, 'SIGNATURE_INVALID'));
      } finally {
        proxy.server.close();
      }
    });
  }
});

describe('real Alipay vectors', () => {
  const keyOf = (file: string) => {
    const text = vectorFile(file);
    return loadPublicKey(text);
  };
  /** Changes the one character after `"msg":"` (still valid JSON, one byte different). */
  const flip = (text: string) => {
    const at = text.indexOf('"msg":"') + '"msg":"'.length;
    return `${text.slice(0, at)}${text[at] === 'X' ? 'Y' : 'X'}${text.slice(at + 1)}`;
  };
  for (const name of ['response_alipay_open_file_upload', 'response_error_invalid_signature_2024', 'decryption_error_alipay_security_risk_content_analyze']) {
    test(`${name}: accepted as signed, rejected when one byte changes`, async () => {
      const v = vector(name);
      const body = String(v.response_body);
      const check = { method: v.method, charset: 'utf-8' as const, publicKey: keyOf(v.public_key_file), signType: 'RSA2' as const };
      const opened = await openV2Response(Buffer.from(body, 'utf8'), check);
      if (opened.ok) assert.equal(opened.value.code, '10000');
      else assert.notEqual(opened.error.code, 'SIGNATURE_INVALID', `verified: ${opened.error.message}`);
      const changed = flip(body);
      const bad = await openV2Response(Buffer.from(changed, 'utf8'), check);
      assert.equal(bad.ok, false);
      assert.equal(!bad.ok && bad.error.code, 'SIGNATURE_INVALID');
    });
  }

  // Any private key (PKCS#1 here, to show that form loads too): notifications only use the Alipay key.
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const notifyClient = (keyFile: string) => new AopClient({ appId: '2021000000000000', privateKey, alipayPublicKey: vectorFile(keyFile) });
  for (const name of ['notify_trade_status_sync_2019', 'notify_servicemarket_order_2019']) {
    test(`${name}: verifyNotification and verifyReturnUrl accept it, reject one changed byte`, () => {
      const v = vector(name);
      const params: Record<string, string> = { ...(v.fields as Record<string, string>), sign: String(v.sign), sign_type: String(v.sign_type) };
      assert.ok(params, `vector ${name} has parameters`);
      const client = notifyClient(v.public_key_file);
      assert.equal(client.verifyNotification(params), true);
      const key = Object.keys(params).find((k) => k !== 'sign' && k !== 'sign_type')!;
      assert.equal(client.verifyNotification({ ...params, [key]: `${params[key]}x` }), false);
      assert.equal(client.verifyNotification({ ...params, sign: 'A'.repeat(344) }), false);
      const url = `https://merchant.example/back?${new URLSearchParams(params).toString()}`;
      assert.equal(client.verifyReturnUrl(url), true);
      assert.equal(client.verifyReturnUrl(url.replace(/(sign=)(.)/, (_, a: string, c: string) => `${a}${c === 'A' ? 'B' : 'A'}`)), false);
    });
  }
});

describe('gateway from startTestGateway (no shared state)', () => {
  test('timeout → AopError TIMEOUT', async () => {
    const server = createServer(() => undefined);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const gw = await startTestGateway();
    try {
      const app = await gw.createApp();
      const client = new AopClient({
        gateway: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway.do`,
        appId: app.appId,
        privateKey: app.privateKeyPem,
        alipayPublicKey: gw.alipayPublicKey,
        timeoutMs: 200,
      });
      await rejectsWith(client.call('zhima.customer.certification.query', { biz_no: 'ZM1' }), (e) => assert.equal(e.code, 'TIMEOUT'));
    } finally {
      server.closeAllConnections();
      server.close();
      await gw.stop();
    }
  });
});
