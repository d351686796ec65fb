import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSignedParams, send } from './support/client.js';
import { readResponse } from './support/response.js';
import { rawDb } from './support/db.js';
import { seedInitializeBiz, startTestGateway, useGateway, type TestGateway } from './support/harness.js';
import { identityParam, idNumberWithSequence } from './support/identity.js';
import { verifyOutcome } from './support/outcome.js';
import { choose, openPageMethod } from './support/page-flow.js';
import { startReturnServer } from './support/return-server.js';
import type { TestApp } from './support/client.js';

const INIT = 'zhima.customer.certification.initialize';
const CERTIFY = 'zhima.customer.certification.certify';
const QUERY = 'zhima.customer.certification.query';

async function initialize(gw: TestGateway, app: TestApp, biz: Record<string, unknown> = seedInitializeBiz()): Promise<string> {
  const r = await gw.call(app, INIT, biz);
  assert.equal(r.node.code, '10000', JSON.stringify(r.node));
  return String(r.node.biz_no);
}

/** Follows the certify page URL as a browser would (GET), returning the hosted page path. */
function openCertify(gw: TestGateway, app: TestApp, bizNo: string, returnUrl?: string): Promise<Response> {
  return openPageMethod(gw, app, CERTIFY, { biz_no: bizNo }, returnUrl ? { return_url: returnUrl } : {});
}

describe('zhima certification: initialize → certify → hosted page → return_url → query', () => {
  const ctx = useGateway();

  test('the official alipay-sdk drives initialize → certify (page URL) → page → pass → query', async () => {
    const { gw, app } = ctx;
    const sdk = gw.sdk(app);
    const init = await sdk.exec(INIT, { bizContent: seedInitializeBiz() }, { validateSign: true });
    const bizNo = String(init.bizNo);
    const merchant = await startReturnServer();
    try {
      const url = sdk.pageExecute(CERTIFY, 'GET', { bizContent: { biz_no: bizNo }, returnUrl: merchant.url });
      const toPage = await fetch(url, { redirect: 'manual' });
      assert.equal(toPage.status, 302);
      const pageUrl = toPage.headers.get('location')!;
      assert.match(pageUrl, /\/verify\/[0-9a-f]{32}$/);
      const page = await (await fetch(pageUrl)).text();
      assert.ok(page.includes('收*') && page.includes('2601**********5964'), 'masked identity shown');
      assert.ok(!page.includes('收委') && !page.includes('260104197909275964'), 'raw identity never shown');
      assert.ok(page.includes('人脸识别'), 'FACE scene steps');
      const back = await choose(pageUrl, { outcome: 'pass' });
      assert.equal(back.status, 302);
      const landing = new URL(back.headers.get('location')!);
      assert.equal(landing.origin + landing.pathname, merchant.url.split('?')[0]);
      assert.equal(landing.searchParams.get('order'), '42', 'the return_url query survives');
      assert.ok(verifyOutcome(landing.searchParams, gw.alipayPublicKey));
      const params = Object.fromEntries(landing.searchParams);
      assert.ok(sdk.checkNotifySignV2({ ...params }), 'the SDK verifies the outcome as a notification');
      assert.deepEqual(JSON.parse(params.biz_content!), { biz_no: bizNo, passed: 'true' });
      const q = await sdk.exec(QUERY, { bizContent: { biz_no: bizNo } }, { validateSign: true });
      assert.equal(q.passed, 'true');
      // Alipay documents identity_info as normally empty: the name and ID number never come back.
      assert.equal(q.identityInfo, '{}');
      assert.equal(q.channelStatuses, '[{"name":"FACE","status":"PASS"}]');
      assert.equal(q.attributeInfo, '{}');
    } finally {
      await merchant.close();
    }
  });

  test('fail with a reason: return_url says passed=false with the reason; query agrees', async () => {
    const { gw, app } = ctx;
    const bizNo = await initialize(gw, app);
    const res = await openCertify(gw, app, bizNo, 'alipays://platformapi/startapp?appId=20000067#x');
    const pageUrl = res.headers.get('location')!;
    const back = await choose(pageUrl, { outcome: 'fail', reason: '活体检测未通过' });
    const location = back.headers.get('location')!;
    assert.ok(location.startsWith('alipays://platformapi/startapp?appId=20000067&'), 'app-scheme return URLs keep their query');
    assert.ok(location.endsWith('#x'), 'and their fragment');
    const params = new URLSearchParams(location.slice(location.indexOf('?') + 1, location.indexOf('#')));
    assert.ok(verifyOutcome(params, gw.alipayPublicKey));
    assert.deepEqual(JSON.parse(params.get('biz_content')!), { biz_no: bizNo, passed: 'false', failed_reason: '活体检测未通过' });
    const q = await gw.call(app, QUERY, { biz_no: bizNo });
    assert.deepEqual(
      [q.node.passed, q.node.failed_reason, q.node.identity_info, q.node.channel_statuses],
      ['false', '活体检测未通过', '{}', '[{"name":"FACE","status":"FAIL"}]'],
    );
    assert.ok(q.signatureValid);
  });

  test('query in every state: INIT, PROCESSING, PASSED, FAILED — strings even when empty', async () => {
    const { gw, app } = ctx;
    const bizNo = await initialize(gw, app);
    const q1 = await gw.call(app, QUERY, { biz_no: bizNo });
    assert.deepEqual(q1.node, {
      code: '10000',
      msg: 'Success',
      passed: 'false',
      failed_reason: '认证未完成，请返回重新认证',
      identity_info: '{}',
      attribute_info: '{}',
      channel_statuses: '[]',
    });
    const page = (await openCertify(gw, app, bizNo)).headers.get('location')!;
    const session = await gw.services.store.findSession('zhima', { externalId: bizNo });
    assert.equal(session?.state, 'PROCESSING');
    assert.ok(session?.startedAt);
    const q2 = await gw.call(app, QUERY, { biz_no: bizNo });
    assert.equal(q2.node.passed, 'false');
    // No return_url: the page shows the result instead of redirecting.
    const done = await choose(page, { outcome: 'pass' });
    assert.equal(done.status, 200);
    assert.ok((await done.text()).includes('认证通过'));
    const q3 = await gw.call(app, QUERY, { biz_no: bizNo });
    assert.deepEqual([q3.node.passed, q3.node.failed_reason], ['true', '']);
    const finished = await gw.services.store.findSession('zhima', { externalId: bizNo });
    assert.equal(finished?.state, 'PASSED');
    assert.ok(finished!.finishedAt! >= finished!.startedAt!);
  });

  test('a finished session cannot be flipped: same outcome again is idempotent, another is refused', async () => {
    const { gw, app } = ctx;
    const bizNo = await initialize(gw, app);
    const page = (await openCertify(gw, app, bizNo, 'https://merchant.example/return')).headers.get('location')!;
    assert.equal((await choose(page, { outcome: 'pass' })).status, 302);
    assert.equal((await choose(page, { outcome: 'pass' })).status, 302, 'a double submit lands again');
    const flip = await choose(page, { outcome: 'fail', reason: '人脸比对不一致' });
    assert.equal(flip.status, 200);
    assert.ok((await flip.text()).includes('认证通过'));
    assert.equal((await gw.call(app, QUERY, { biz_no: bizNo })).node.passed, 'true');
    const again = await openCertify(gw, app, bizNo);
    assert.equal(again.status, 200);
    const html = await again.text();
    assert.ok(html.includes('BIZ_ERROR') && html.includes('已完成认证'), 'certify on a finished biz_no is a BIZ_ERROR page');
  });

  test('certify called as an API answers the JSON node the SDK response class expects', async () => {
    const { gw, app } = ctx;
    const bizNo = await initialize(gw, app);
    const r = await gw.call(app, CERTIFY, { biz_no: bizNo });
    assert.deepEqual(r.node, { code: '10000', msg: 'Success', biz_no: bizNo, passed: 'false', failed_reason: '认证未完成，请返回重新认证' });
    assert.ok(r.signatureValid);
  });

  test('unknown or foreign biz_no → 40004 ILLEGAL_INVOKE (query, certify API, certify page)', async () => {
    const { gw, app } = ctx;
    const other = await gw.createApp();
    const foreign = await initialize(gw, other);
    for (const bizNo of ['ZM201612013000000393900404029253', foreign]) {
      const q = await gw.call(app, QUERY, { biz_no: bizNo });
      assert.deepEqual([q.node.code, q.node.msg, q.node.sub_code, q.node.sub_msg], ['40004', 'Business Failed', 'ILLEGAL_INVOKE', '无效的调用']);
      assert.ok(q.signatureValid);
      assert.equal((await gw.call(app, CERTIFY, { biz_no: bizNo })).node.sub_code, 'ILLEGAL_INVOKE');
      const page = await openCertify(gw, app, bizNo);
      assert.ok((await page.text()).includes('ILLEGAL_INVOKE'));
    }
  });

  test('query validates biz_no: missing or longer than 32 → INVALID_PARAMETER', async () => {
    const { gw, app } = ctx;
    assert.equal((await gw.call(app, QUERY, {})).node.sub_msg, '参数有误。参数[biz_no]不是有效的入参');
    assert.equal((await gw.call(app, QUERY, { biz_no: 'Z'.repeat(33) })).node.sub_code, 'INVALID_PARAMETER');
  });

  test('a bad signature on the certify page URL shows the gateway error page, not JSON', async () => {
    const { gw, app } = ctx;
    const bizNo = await initialize(gw, app);
    const params = buildSignedParams(app, CERTIFY, { biz_no: bizNo }, { tamper: { return_url: 'https://evil.example/' } });
    const res = await fetch(`${gw.url}/gateway.do?${new URLSearchParams(params)}`, { redirect: 'manual' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    assert.ok(html.includes('invalid-signature') && html.includes('错误代码'));
  });

  test('certify as an auto-submitted POST form (pageExecute POST) redirects like GET', async () => {
    const { gw, app } = ctx;
    const bizNo = await initialize(gw, app);
    const params = buildSignedParams(app, CERTIFY, { biz_no: bizNo }, { params: { return_url: 'https://merchant.example/r' } });
    const res = await send(gw.url, params, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9', 'sec-fetch-dest': 'document' } });
    assert.equal(res.status, 302);
    assert.match(res.headers.get('location') ?? '', /\/verify\/[0-9a-f]{32}$/);
  });
});

describe('zhima initialize business rules', () => {
  const ctx = useGateway();

  test('same transaction_id + same content → same biz_no (string or object form); different content → TRANSACTION_ERROR', async () => {
    const { gw, app } = ctx;
    const tx = `RETRY${Date.now()}`;
    const first = await initialize(gw, app, seedInitializeBiz(tx));
    const asObject = { ...seedInitializeBiz(tx), identity_param: JSON.parse(seedInitializeBiz(tx).identity_param) };
    assert.equal(await initialize(gw, app, asObject), first);
    const changed = await gw.call(app, INIT, { ...seedInitializeBiz(tx), biz_code: 'SMART_FACE' });
    assert.deepEqual([changed.node.code, changed.node.sub_code, changed.node.sub_msg], ['40004', 'TRANSACTION_ERROR', '交易订单异常']);
    assert.ok(changed.signatureValid);
  });

  test('the same transaction_id in another app is independent', async () => {
    const { gw, app } = ctx;
    const other = await gw.createApp();
    const tx = `SHARED${Date.now()}`;
    assert.notEqual(await initialize(gw, app, seedInitializeBiz(tx)), await initialize(gw, other, seedInitializeBiz(tx)));
  });

  test('20 parallel initialize calls with one transaction_id → one biz_no, one row', async () => {
    const { gw, app } = ctx;
    const tx = `RACE${Date.now()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => gw.call(app, INIT, seedInitializeBiz(tx))));
    const bizNos = new Set(results.map((r) => r.node.biz_no));
    assert.deepEqual(
      results.map((r) => r.node.code),
      Array(20).fill('10000'),
    );
    assert.equal(bizNos.size, 1);
    const db = rawDb(gw.services.store);
    const rows = await db.selectFrom('verification_sessions').select('id').where('merchant_ref', '=', tx).execute();
    assert.equal(rows.length, 1);
  });

  test('product_code the app has not signed → ARRANGEMENT_ERROR', async () => {
    const { gw, app } = ctx;
    const r = await gw.call(app, INIT, { ...seedInitializeBiz(), product_code: 'w1010100000000002733' });
    assert.deepEqual([r.node.code, r.node.sub_code, r.node.sub_msg], ['40004', 'ARRANGEMENT_ERROR', '合约异常']);
  });

  test('a scene the app has not signed, or no such scene → UNSUPPORTED_BIZ_CODE', async () => {
    const { gw } = ctx;
    const narrow = await gw.createApp({ scenes: ['SMART_FACE'] });
    for (const bizCode of ['FACE', 'EP_ALIPAY_ACCOUNT']) {
      const r = await gw.call(narrow, INIT, { ...seedInitializeBiz(), biz_code: bizCode });
      assert.deepEqual([r.node.code, r.node.sub_code, r.node.sub_msg], ['40004', 'UNSUPPORTED_BIZ_CODE', '不支持的认证场景']);
    }
    assert.equal((await gw.call(narrow, INIT, { ...seedInitializeBiz(), biz_code: 'SMART_FACE' })).node.code, '10000');
  });

  test('new apps get the seed product and FACE, SMART_FACE, CERT_PHOTO, CERT_PHOTO_FACE', async () => {
    const { gw, app } = ctx;
    const stored = await gw.services.store.getApp(app.appId);
    assert.deepEqual(stored?.products, ['w1010100000000002978']);
    assert.deepEqual(stored?.scenes, ['FACE', 'SMART_FACE', 'CERT_PHOTO', 'CERT_PHOTO_FACE']);
    const r = await gw.call(app, INIT, { ...seedInitializeBiz(), biz_code: 'FACE_SDK' });
    assert.equal(r.node.sub_code, 'UNSUPPORTED_BIZ_CODE', 'FACE_SDK is not in the default contract');
  });

  test('linked_merchant_id is kept', async () => {
    const { gw, app } = ctx;
    const bizNo = await initialize(gw, app);
    const s = await gw.services.store.findSession('zhima', { externalId: bizNo });
    assert.equal(s?.details.linked_merchant_id, '2088721630869411');
  });

  test('identity data is sealed at rest', async () => {
    const { gw, app } = ctx;
    const bizNo = await initialize(gw, app);
    const db = rawDb(gw.services.store);
    const row = await db.selectFrom('verification_sessions').selectAll().where('external_id', '=', bizNo).executeTakeFirstOrThrow();
    const raw = JSON.stringify(row);
    assert.ok(!raw.includes('收委') && !raw.includes('260104197909275964'));
  });

  test('face_contrast_picture (SDK model field) is accepted and sealed with the identity, never in details', async () => {
    const { gw, app } = ctx;
    const picture = Buffer.from('a face photo, not really').toString('base64');
    const r = await gw.call(app, 'zhima.customer.certification.initialize', { ...seedInitializeBiz(), face_contrast_picture: picture });
    assert.equal(r.node.code, '10000');
    const row = await rawDb(gw.services.store)
      .selectFrom('verification_sessions')
      .selectAll()
      .where('external_id', '=', String(r.node.biz_no))
      .executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(picture), 'the picture is not stored in clear');
    const session = await gw.services.store.getSession(row.id);
    assert.equal(session?.identity.face_contrast_picture, picture, 'it is in the sealed identity');
  });

  test('identity_info after a pass is empty, or only the open_id when user authorization was asked for', async () => {
    const { gw, app } = ctx;
    for (const [config, expected] of [
      ['{}', {}],
      ['{"need_user_authorization":"true"}', 'open_id'],
    ] as const) {
      const init = await gw.call(app, 'zhima.customer.certification.initialize', {
        ...seedInitializeBiz(),
        identity_param: identityParam(idNumberWithSequence('990')),
        merchant_config: config,
      });
      const bizNo = String(init.node.biz_no);
      await gw.call(app, CERTIFY, { biz_no: bizNo });
      const q = await gw.call(app, QUERY, { biz_no: bizNo });
      assert.equal(q.node.passed, 'true');
      const info = JSON.parse(String(q.node.identity_info));
      if (expected === 'open_id') assert.deepEqual(Object.keys(info), ['open_id']);
      else assert.deepEqual(info, expected);
      assert.ok(!q.nodeText.includes('收委'), 'the name never comes back');
    }
  });
});

describe('magic values and expiry', () => {
  test('magic sequence codes decide the outcome with no browser (docs/magic-values.md)', async () => {
    const gw = await startTestGateway();
    try {
      const app = await gw.createApp();
      const cases: Array<[string, string, string]> = [
        ['990', 'true', ''],
        ['991', 'false', '人脸比对不一致'],
        ['992', 'false', '身份信息与公安数据不一致'],
        ['993', 'false', '活体检测未通过'],
        ['994', 'false', '用户取消认证'],
        ['999', 'false', '认证未完成，请返回重新认证'],
      ];
      for (const [seq, passed, reason] of cases) {
        const bizNo = await initialize(gw, app, { ...seedInitializeBiz(), identity_param: identityParam(idNumberWithSequence(seq)) });
        const certify = await gw.call(app, CERTIFY, { biz_no: bizNo });
        assert.deepEqual([certify.node.passed, certify.node.failed_reason], [passed, reason], `sequence ${seq}`);
        const q = await gw.call(app, QUERY, { biz_no: bizNo });
        assert.deepEqual([q.node.passed, q.node.failed_reason], [passed, reason], `sequence ${seq} via query`);
      }
    } finally {
      await gw.stop();
    }
  });

  test('an unfinished session expires after its lifetime (injected clock): query, page and certify say so', async () => {
    let now = Date.now();
    const gw = await startTestGateway({ sessionTtlSeconds: 600 }, { clock: () => now });
    try {
      const app = await gw.createApp();
      const bizNo = await initialize(gw, app);
      const page = (await openCertify(gw, app, bizNo)).headers.get('location')!;
      now += 601_000;
      const q = await gw.call(app, QUERY, { biz_no: bizNo });
      assert.deepEqual([q.node.code, q.node.passed, q.node.failed_reason], ['10000', 'false', '认证已过期']);
      const view = await fetch(page);
      assert.equal(view.status, 410);
      assert.ok((await view.text()).includes('认证已过期'));
      const late = await choose(page, { outcome: 'pass' });
      assert.equal(late.status, 410, 'completing an expired session is refused');
      assert.ok((await (await openCertify(gw, app, bizNo)).text()).includes('认证已过期'));
      const s = await gw.services.store.findSession('zhima', { externalId: bizNo });
      assert.equal(s?.state, 'EXPIRED');
      assert.equal(s?.finishedAt, now);
    } finally {
      await gw.stop();
    }
  });

  test('an unknown page id is a clear 404 page', async () => {
    const gw = await startTestGateway();
    try {
      const res = await fetch(`${gw.url}/verify/${'0'.repeat(32)}`);
      assert.equal(res.status, 404);
      assert.ok((await res.text()).includes('认证链接无效'));
    } finally {
      await gw.stop();
    }
  });
});

describe('admin completion', () => {
  const ctx = useGateway({ adminToken: 'test-admin-token' });
  const admin = (path: string, body: unknown, token = 'test-admin-token') =>
    fetch(`${ctx.gw.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  test('needs the bearer token', async () => {
    const bizNo = await initialize(ctx.gw, ctx.app);
    assert.equal((await admin(`/admin/certifications/${bizNo}/complete`, { passed: true }, 'wrong')).status, 401);
    const none = await fetch(`${ctx.gw.url}/admin/certifications/${bizNo}/complete`, { method: 'POST', body: '{"passed":true}' });
    assert.equal(none.status, 401);
  });

  test('sets the outcome through the same transition as the page; masked view; no flip', async () => {
    const { gw, app } = ctx;
    const bizNo = await initialize(gw, app);
    const res = await admin(`/admin/certifications/${bizNo}/complete`, { passed: false, failed_reason: '人脸比对不一致' });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { session: { state: string; identity: Record<string, string> } };
    assert.equal(body.session.state, 'FAILED');
    assert.deepEqual(body.session.identity, { identity_type: 'CERT_INFO', cert_type: 'IDENTITY_CARD', cert_name: '收*', cert_no: '2601**********5964' });
    assert.equal((await admin(`/admin/certifications/${bizNo}/complete`, { passed: false, failed_reason: '人脸比对不一致' })).status, 200, 'idempotent');
    assert.equal((await admin(`/admin/certifications/${bizNo}/complete`, { passed: true })).status, 409);
    const q = await gw.call(app, QUERY, { biz_no: bizNo });
    assert.deepEqual([q.node.passed, q.node.failed_reason], ['false', '人脸比对不一致']);
    assert.equal((await admin(`/admin/certifications/ZM000/complete`, { passed: true })).status, 404);
    assert.equal((await admin(`/admin/certifications/${bizNo}/complete`, { nope: 1 })).status, 400);
  });

  test('concurrent completions with different outcomes: exactly one wins', async () => {
    const { gw, app } = ctx;
    const bizNo = await initialize(gw, app);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        admin(`/admin/certifications/${bizNo}/complete`, i % 2 ? { passed: true } : { passed: false, failed_reason: '活体检测未通过' }),
      ),
    );
    const states = await Promise.all(
      results.filter((r) => r.status === 200).map(async (r) => ((await r.json()) as { session: { state: string } }).session.state),
    );
    assert.equal(new Set(states).size, 1, 'every successful answer reports the same winner');
    assert.equal(results.filter((r) => r.status === 409).length, 12 - states.length);
    const final = await gw.call(app, QUERY, { biz_no: bizNo });
    assert.equal(final.node.passed, states[0] === 'PASSED' ? 'true' : 'false');
  });

  test('without AOPGATE_ADMIN_TOKEN the admin API is absent (404)', async () => {
    const gw = await startTestGateway();
    try {
      const res = await fetch(`${gw.url}/admin/certifications/x/complete`, { method: 'POST', headers: { authorization: 'Bearer ' }, body: '{}' });
      assert.equal(res.status, 404);
    } finally {
      await gw.stop();
    }
  });

  void readResponse;
});
