import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rawDb } from './support/db.js';
import { startTestGateway, useGateway, type TestGateway } from './support/harness.js';
import type { TestApp } from './support/client.js';
import { idNumberWithSequence, SEED_CERT_NO, SEED_NAME } from './support/identity.js';
import { verifyOutcome } from './support/outcome.js';
import { choose, openPageMethod } from './support/page-flow.js';
import { startReturnServer } from './support/return-server.js';

const INIT = 'alipay.user.certify.open.initialize';
const CERTIFY = 'alipay.user.certify.open.certify';
const QUERY = 'alipay.user.certify.open.query';

const ref = () => `OC${Date.now()}${Math.floor(Math.random() * 1e6)}`.slice(0, 32);
const identity = (certNo = SEED_CERT_NO) => ({
  identity_type: 'CERT_INFO',
  cert_type: 'IDENTITY_CARD',
  cert_name: SEED_NAME,
  cert_no: certNo,
  phone_no: '13195912301',
});
function initBiz(over: { certNo?: string; returnUrl?: string; asString?: boolean; outerOrderNo?: string } = {}) {
  const idp = identity(over.certNo);
  const config = { return_url: over.returnUrl ?? '', face_reserve_strategy: 'never' };
  return {
    outer_order_no: over.outerOrderNo ?? ref(),
    biz_code: 'FACE',
    identity_param: over.asString ? JSON.stringify(idp) : idp,
    merchant_config: over.asString ? JSON.stringify(config) : config,
  };
}

async function certifyId(gw: TestGateway, app: TestApp, biz = initBiz()): Promise<string> {
  const r = await gw.call(app, INIT, biz);
  assert.equal(r.node.code, '10000', JSON.stringify(r.node));
  return String(r.node.certify_id);
}

describe('alipay.user.certify.open: initialize → certify (page) → hosted page → return_url → query', () => {
  const ctx = useGateway();

  for (const outcome of ['pass', 'fail'] as const) {
    test(`the official alipay-sdk, ${outcome} path: signed return_url, then query says ${outcome === 'pass' ? 'T' : 'F'}`, async () => {
      const merchant = await startReturnServer();
      try {
        const sdk = ctx.gw.sdk(ctx.app);
        const init = await sdk.exec(INIT, { bizContent: initBiz({ returnUrl: merchant.url }) }, { validateSign: true });
        assert.equal(init.code, '10000');
        const id = String(init.certifyId);
        assert.match(id, /^[0-9a-f]{32}$/);
        const entry = sdk.pageExecute(CERTIFY, 'GET', { bizContent: { certify_id: id } });
        const toPage = await fetch(entry, { redirect: 'manual' });
        assert.equal(toPage.status, 302);
        const pageUrl = toPage.headers.get('location')!;
        const page = await (await fetch(pageUrl)).text();
        assert.ok(page.includes('支付宝身份验证') && page.includes('alipay.user.certify.open'), 'the page names the product');
        assert.ok(page.includes('id="scene">FACE<'), 'and the scene');
        assert.ok(page.includes('收*') && page.includes('131****2301'), 'masked identity');
        assert.ok(!page.includes(SEED_NAME) && !page.includes(SEED_CERT_NO), 'never the raw identity');
        const back = await choose(pageUrl, outcome === 'pass' ? { outcome: 'pass' } : { outcome: 'fail', reason: '活体检测未通过' });
        assert.equal(back.status, 302);
        const landing = new URL(back.headers.get('location')!);
        assert.equal(landing.searchParams.get('order'), '42');
        assert.ok(verifyOutcome(landing.searchParams, ctx.gw.alipayPublicKey));
        assert.ok(sdk.checkNotifySignV2(Object.fromEntries(landing.searchParams)), 'the SDK verifies the outcome');
        const content = JSON.parse(landing.searchParams.get('biz_content')!);
        assert.deepEqual(content, outcome === 'pass' ? { certify_id: id, passed: 'T' } : { certify_id: id, passed: 'F', fail_reason: '活体检测未通过' });
        const q = await sdk.exec(QUERY, { bizContent: { certify_id: id } }, { validateSign: true });
        assert.equal(q.passed, outcome === 'pass' ? 'T' : 'F');
        assert.equal(q.failReason, outcome === 'pass' ? undefined : '活体检测未通过');
        assert.equal(q.identityInfo, '{}');
        assert.equal(q.materialInfo, '{}');
      } finally {
        await merchant.close();
      }
    });
  }

  test('query before the person finished: passed "F", no fail_reason, not an error', async () => {
    const id = await certifyId(ctx.gw, ctx.app);
    const q = await ctx.gw.call(ctx.app, QUERY, { certify_id: id });
    assert.deepEqual(q.node, { code: '10000', msg: 'Success', passed: 'F', identity_info: '{}', material_info: '{}' });
    assert.ok(q.signatureValid);
  });

  test('identity_param and merchant_config as objects or as JSON strings; a replayed outer_order_no gets the same certify_id', async () => {
    const outer = ref();
    const a = await certifyId(ctx.gw, ctx.app, initBiz({ outerOrderNo: outer }));
    const b = await certifyId(ctx.gw, ctx.app, initBiz({ outerOrderNo: outer, asString: true }));
    assert.equal(a, b);
    const other = await ctx.gw.call(ctx.app, INIT, initBiz({ outerOrderNo: outer, certNo: idNumberWithSequence('123') }));
    assert.deepEqual([other.node.code, other.node.sub_code], ['40004', 'ILLEGAL_ARGUMENT_FORMAT'], 'same outer_order_no, other content');
  });

  test('magic 990 decides on page open: the browser goes straight to return_url with the signed pass', async () => {
    const merchant = await startReturnServer();
    try {
      const id = await certifyId(ctx.gw, ctx.app, initBiz({ certNo: idNumberWithSequence('990'), returnUrl: merchant.url }));
      const toPage = await openPageMethod(ctx.gw, ctx.app, CERTIFY, { certify_id: id });
      const landing = await fetch(toPage.headers.get('location')!, { redirect: 'manual' });
      assert.equal(landing.status, 302);
      const params = new URL(landing.headers.get('location')!).searchParams;
      assert.ok(verifyOutcome(params, ctx.gw.alipayPublicKey));
      assert.equal(JSON.parse(params.get('biz_content')!).passed, 'T');
      assert.equal((await ctx.gw.call(ctx.app, QUERY, { certify_id: id })).node.passed, 'T');
    } finally {
      await merchant.close();
    }
  });

  test('business errors as Alipay answers them', async () => {
    const { gw, app } = ctx;
    const other = await gw.createApp();
    const foreign = await certifyId(gw, other);
    for (const id of ['f'.repeat(32), foreign]) {
      const q = await gw.call(app, QUERY, { certify_id: id });
      assert.deepEqual(
        [q.node.code, q.node.msg, q.node.sub_code, q.node.sub_msg],
        ['40004', 'Business Failed', 'OPEN_CERTIFY_BILL_NOT_EXIST', '无效的certify_id'],
      );
      assert.ok(q.signatureValid);
      assert.equal((await gw.call(app, CERTIFY, { certify_id: id })).node.sub_code, 'OPEN_CERTIFY_BILL_NOT_EXIST');
      const page = await openPageMethod(gw, app, CERTIFY, { certify_id: id });
      assert.ok((await page.text()).includes('OPEN_CERTIFY_BILL_NOT_EXIST'), 'the page method shows an error page');
    }
    const bad = async (biz: Record<string, unknown>) => (await gw.call(app, INIT, biz)).node;
    for (const biz of [
      { ...initBiz(), biz_code: 'PALM' },
      { ...initBiz(), outer_order_no: 'O'.repeat(33) },
      { ...initBiz(), outer_order_no: '' },
      { ...initBiz(), identity_param: { ...identity(), cert_type: 'DRIVING_LICENCE' } },
      { ...initBiz(), identity_param: { ...identity(), cert_no: '260104197909275965' } },
      { ...initBiz(), merchant_config: { face_reserve_strategy: 'sometimes' } },
    ]) {
      const node = await bad(biz);
      assert.deepEqual([node.code, node.sub_code, node.sub_msg], ['40004', 'ILLEGAL_ARGUMENT_FORMAT', '参数异常'], JSON.stringify(biz));
    }
    for (const broken of ['{"identity_type":"CERT_INFO",', '{cert_name: 收委}']) {
      const node = await bad({ ...initBiz(), identity_param: broken });
      assert.deepEqual([node.code, node.sub_code, node.sub_msg], ['40004', 'unknown-sub-code', '未知的错误码UNKNOWN_ERROR']);
    }
    assert.equal((await bad({ ...initBiz(), identity_param: identity(idNumberWithSequence('998')) })).sub_code, 'unknown-sub-code', 'magic 998 refuses');
  });

  test('AGENT_CERT_INFO and the other certificate types are accepted; face_contrast_picture is sealed', async () => {
    const picture = Buffer.from('comparison photo').toString('base64');
    const r = await ctx.gw.call(ctx.app, INIT, {
      ...initBiz(),
      identity_param: { identity_type: 'AGENT_CERT_INFO', cert_type: 'HOME_VISIT_PERMIT_HK_MC', cert_name: SEED_NAME, cert_no: 'H08510702' },
      face_contrast_picture: picture,
    });
    assert.equal(r.node.code, '10000');
    const row = await rawDb(ctx.gw.services.store)
      .selectFrom('verification_sessions')
      .selectAll()
      .where('external_id', '=', String(r.node.certify_id))
      .executeTakeFirstOrThrow();
    const raw = JSON.stringify(row);
    assert.ok(!raw.includes(picture) && !raw.includes(SEED_NAME), 'PII sealed at rest');
  });
});

describe('alipay.user.certify.open lifetime and admin', () => {
  test('a certify_id expires after about 23 hours unfinished; the result stays queryable', async () => {
    let now = Date.now();
    // The test signs with the real time while the gateway's clock runs months ahead: widen the window.
    const gw = await startTestGateway({ adminToken: 't', timestampSkewSeconds: 200 * 86_400 }, { clock: () => now });
    try {
      const app = await gw.createApp();
      const id = await certifyId(gw, app);
      now += 22 * 3600_000;
      assert.equal((await gw.call(app, QUERY, { certify_id: id })).node.passed, 'F');
      const page = await openPageMethod(gw, app, CERTIFY, { certify_id: id });
      now += 1.5 * 3600_000;
      const expired = await fetch(page.headers.get('location')!);
      assert.equal(expired.status, 410);
      const q = await gw.call(app, QUERY, { certify_id: id });
      assert.deepEqual([q.node.passed, q.node.fail_reason], ['F', '认证已过期']);
      now += 90 * 86_400_000;
      assert.equal((await gw.call(app, QUERY, { certify_id: id })).node.fail_reason, '认证已过期', 'still queryable months later');
      const admin = await fetch(`${gw.url}/admin/user-certifications/${id}`, { headers: { authorization: 'Bearer t' } });
      const view = await admin.text();
      assert.equal(admin.status, 200);
      assert.ok(view.includes('"state":"EXPIRED"'));
      for (const secret of [SEED_NAME, SEED_CERT_NO, '13195912301']) assert.ok(!view.includes(secret), `admin view hides ${secret}`);
    } finally {
      await gw.stop();
    }
  });

  test('admin completion finishes it like the page does', async () => {
    const gw = await startTestGateway({ adminToken: 't' });
    try {
      const app = await gw.createApp();
      const id = await certifyId(gw, app);
      const res = await fetch(`${gw.url}/admin/user-certifications/${id}/complete`, {
        method: 'POST',
        headers: { authorization: 'Bearer t' },
        body: '{"passed":true}',
      });
      assert.equal(res.status, 200);
      assert.equal((await gw.call(app, QUERY, { certify_id: id })).node.passed, 'T');
    } finally {
      await gw.stop();
    }
  });
});
