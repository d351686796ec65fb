import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSign } from 'node:crypto';
import iconv from 'iconv-lite';
import { AlipaySdk } from 'alipay-sdk';
import { generateRsaKeyPair } from '../src/crypto/rsa.js';
import { formEncode, shanghaiNow, signContent, type TestApp } from './support/client.js';
import { rawDb } from './support/db.js';
import { seedInitializeBiz, startTestGateway, useGateway, type TestGateway } from './support/harness.js';
import { SEED_CERT_NO, SEED_NAME } from './support/identity.js';
import { ADMIN_TOKEN, admin, advance } from './support/notify-flow.js';

const INIT = 'zhima.customer.certification.initialize';
const QUERY = 'zhima.customer.certification.query';

interface Entry {
  time: string;
  trace_id: string;
  app_id: string;
  method: string;
  code: string;
  sub_code: string | null;
  latency_ms: number;
  string_to_sign?: string;
  diagnosis?: { cause: string; message: string };
  request: Record<string, string>;
  response: Record<string, unknown>;
}

const journal = async (gw: TestGateway, query: string): Promise<Entry[]> => {
  const res = await admin(gw, 'GET', `/admin/journal?${query}`);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return res.json.entries as Entry[];
};

/** A request signed the way a client with one specific mistake signs it. */
function signedWith(
  app: TestApp,
  opts: {
    key?: string;
    hash?: 'sha1' | 'sha256';
    signBytesAs?: string;
    drop?: string[];
    extra?: Record<string, string>;
    urlEncode?: boolean;
    keepEmpty?: boolean;
  } = {},
) {
  const params: Record<string, string> = {
    app_id: app.appId,
    method: INIT,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: shanghaiNow(),
    version: '1.0',
    biz_content: JSON.stringify(seedInitializeBiz()),
    ...(opts.keepEmpty ? { auth_token: '' } : {}),
  };
  const signed = Object.fromEntries(
    Object.entries(params)
      .filter(([k]) => !opts.drop?.includes(k))
      .map(([k, v]) => [k, opts.urlEncode ? encodeURIComponent(v) : v]),
  );
  const content = opts.keepEmpty
    ? Object.keys(signed)
        .sort()
        .map((k) => `${k}=${signed[k]}`)
        .join('&')
    : signContent(signed);
  const sign = createSign(opts.hash === 'sha1' ? 'RSA-SHA1' : 'RSA-SHA256')
    .update(iconv.encode(content, opts.signBytesAs ?? 'utf-8'))
    .sign(opts.key ?? app.privateKeyPem, 'base64');
  return { ...params, ...opts.extra, sign };
}

const post = (gw: TestGateway, params: Record<string, string>) =>
  fetch(`${gw.url}/gateway.do`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' }, body: formEncode(params) });

describe('request journal', () => {
  const ctx = useGateway({ adminToken: ADMIN_TOKEN });

  test('every call, newest first, filtered by app, method, code and sub_code; identity never stored unmasked', async () => {
    const { gw } = ctx;
    const app = await gw.createApp();
    const init = await gw.call(app, INIT, seedInitializeBiz());
    await gw.call(app, QUERY, { biz_no: init.node.biz_no });
    await gw.call(app, QUERY, { biz_no: 'nope' });
    const all = await journal(gw, `app_id=${app.appId}`);
    assert.deepEqual(
      all.map((e) => [e.method, e.code, e.sub_code]),
      [
        [QUERY, '40004', 'ILLEGAL_INVOKE'],
        [QUERY, '10000', null],
        [INIT, '10000', null],
      ],
    );
    for (const e of all) {
      assert.match(e.trace_id, /^[0-9a-f]{32}$/);
      assert.ok(e.latency_ms > 0 && !Number.isNaN(Date.parse(e.time)));
    }
    assert.equal((await journal(gw, `app_id=${app.appId}&method=${INIT}`)).length, 1);
    assert.equal((await journal(gw, `app_id=${app.appId}&code=40004`)).length, 1);
    assert.equal((await journal(gw, `app_id=${app.appId}&sub_code=ILLEGAL_INVOKE`)).length, 1);
    assert.equal((await journal(gw, `app_id=${app.appId}&limit=2`)).length, 2);
    const api = JSON.stringify(all);
    assert.ok(!api.includes(SEED_NAME) && !api.includes(SEED_CERT_NO), 'no identity in the API');
    assert.ok(api.includes('收*') && api.includes('2601**********5964'), 'masked forms instead');
    const rows = JSON.stringify(await rawDb(gw.services.store).selectFrom('journal').selectAll().execute());
    assert.ok(!rows.includes(SEED_NAME) && !rows.includes(SEED_CERT_NO), 'nor in the table');
  });

  test('v3 calls are journaled too, masked', async () => {
    const { gw } = ctx;
    const app = await gw.createApp();
    const sdk = new AlipaySdk({ appId: app.appId, privateKey: app.privateKeyPem, keyType: 'PKCS8', alipayPublicKey: gw.alipayPublicKey, endpoint: gw.url });
    await sdk.curl('POST', '/v3/zhima/customer/certification/initialize', { body: seedInitializeBiz() });
    const [e] = await journal(gw, `app_id=${app.appId}`);
    assert.deepEqual([e!.method, e!.code, (e as unknown as { protocol: string }).protocol], [INIT, '10000', 'v3']);
    assert.ok(!JSON.stringify(e).includes(SEED_CERT_NO));
  });

  test("isv.invalid-signature: the gateway's string-to-sign (masked) beside the parameters, and the cause named", async () => {
    const { gw } = ctx;
    const app = await gw.createApp();
    const other = await generateRsaKeyPair();
    const causes: Array<[Parameters<typeof signedWith>[1], string, RegExp]> = [
      [{ key: other.privateKeyPem }, 'wrong-key', /does not belong to the public key/],
      [{ signBytesAs: 'gbk' }, 'encoding', /gbk bytes but declared charset=utf-8/],
      [{ hash: 'sha1' }, 'sign-type', /signed with RSA \(SHA1withRSA\) but sent sign_type=RSA2/],
      [{ drop: ['sign_type'] }, 'sign-type-left-out', /left sign_type out/],
      [{ extra: { notify_url: 'https://m.example/n' } }, 'unsigned-parameter', /parameter notify_url arrived but was not in the string/],
      [{ urlEncode: true }, 'url-encoded', /URL-encoded values/],
      [{ keepEmpty: true, drop: ['sign_type'] }, 'sign-type-left-out', /empty parameters auth_token, as the Node and PHP SDKs do/],
    ];
    for (const [how, cause, message] of causes) {
      const res = await post(gw, signedWith(app, how));
      assert.equal(res.status, 200);
      const [e] = await journal(gw, `app_id=${app.appId}&sub_code=isv.invalid-signature&limit=1`);
      assert.equal(e!.diagnosis?.cause, cause, JSON.stringify(how));
      assert.match(e!.diagnosis!.message, message);
      assert.match(e!.string_to_sign!, /^app_id=\d+&biz_content=\{/);
      assert.ok(!e!.string_to_sign!.includes(SEED_CERT_NO) && e!.string_to_sign!.includes('2601**********5964'), 'masked');
      assert.equal(e!.request.app_id, app.appId, 'the parameters received, beside it');
      assert.ok(!JSON.stringify(e!.request).includes(SEED_CERT_NO));
    }
  });
});

describe('journal retention', () => {
  test('at most AOPGATE_JOURNAL_MAX_ENTRIES, none older than AOPGATE_JOURNAL_MAX_AGE', async () => {
    const gw = await startTestGateway({ adminToken: ADMIN_TOKEN, journalMaxEntries: 5, journalMaxAgeSeconds: 3600 });
    try {
      const app = await gw.createApp();
      for (let i = 0; i < 8; i++) await gw.call(app, QUERY, { biz_no: `n${i}` });
      const kept = await journal(gw, 'limit=1000');
      assert.equal(kept.length, 5, 'the newest five');
      assert.equal(kept[0]!.request.biz_content, '{"biz_no":"n7"}');
      await advance(gw, '2h');
      await gw.call(app, QUERY, { biz_no: 'late' }, { params: { timestamp: shanghaiNow(2 * 3600_000) } });
      const after = await journal(gw, 'limit=1000');
      assert.deepEqual(
        after.map((e) => e.request.biz_content),
        ['{"biz_no":"late"}'],
        'older than an hour: gone',
      );
      assert.equal(await gw.services.store.journal.count(), 1);
    } finally {
      await gw.stop();
    }
  });

  test('admin auth: no token → 401, a wrong one → 401', async () => {
    const gw = await startTestGateway({ adminToken: ADMIN_TOKEN });
    try {
      for (const path of ['/admin/journal', '/admin/faults']) {
        assert.equal((await fetch(`${gw.url}${path}`)).status, 401);
        assert.equal((await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } })).status, 401);
        assert.equal((await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status, 200);
      }
    } finally {
      await gw.stop();
    }
  });
});

describe('aopgate journal', () => {
  test('prints the masked entries, and --tail follows new ones', async () => {
    const { spawn } = await import('node:child_process');
    const { REPO_ROOT } = await import('./support/serve.js');
    const gw = await startTestGateway({ adminToken: ADMIN_TOKEN });
    try {
      const app = await gw.createApp();
      await gw.call(app, INIT, seedInitializeBiz());
      await journal(gw, 'limit=1');
      const tail = spawn(process.execPath, ['bin/aopgate.js', 'journal', '--data', gw.dataDir, '--app-id', app.appId, '--tail', '--json'], { cwd: REPO_ROOT });
      let out = '';
      tail.stdout.on('data', (d: Buffer) => (out += d.toString()));
      try {
        const waitFor = async (n: number) => {
          for (let i = 0; i < 100 && out.trim().split('\n').filter(Boolean).length < n; i++) await new Promise((r) => setTimeout(r, 100));
          return out
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Entry);
        };
        assert.deepEqual(
          (await waitFor(1)).map((e) => e.method),
          [INIT],
        );
        await gw.call(app, QUERY, { biz_no: 'tail-me' });
        await journal(gw, 'limit=1');
        const lines = await waitFor(2);
        assert.deepEqual(
          lines.map((e) => e.method),
          [INIT, QUERY],
          'the new call appears',
        );
        assert.ok(!out.includes(SEED_CERT_NO));
      } finally {
        tail.kill();
      }
    } finally {
      await gw.stop();
    }
  });
});
