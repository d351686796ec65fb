import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rawDb } from './support/db.js';
import { startTestGateway, useGateway, type TestGateway } from './support/harness.js';
import type { TestApp } from './support/client.js';
import { idNumberWithSequence } from './support/identity.js';
import { verifyOutcome } from './support/outcome.js';
import { decodeQrPng, riskBiz, seedRiskBizContent } from './support/risk.js';
import { maskCertNo, maskMobile, maskName } from '../src/domain/mask.js';

const INIT = 'alipay.security.risk.authentication.initialize';
const QUERY = 'alipay.security.risk.authentication.query';
const CANCEL = 'alipay.security.risk.authentication.cancel';

const uniqueBizId = () => `0ad14d${Date.now()}${Math.floor(Math.random() * 1e6)}`;

async function init(gw: TestGateway, app: TestApp, biz: unknown = riskBiz({ bizId: uniqueBizId() })) {
  const r = await gw.call(app, INIT, biz);
  assert.equal(r.node.code, '10000', JSON.stringify(r.node));
  assert.ok(r.signatureValid);
  return { tokenId: String(r.node.token_id), result: JSON.parse(String(r.node.biz_result)) };
}

const status = async (gw: TestGateway, app: TestApp, tokenId: string) => JSON.parse(String((await gw.call(app, QUERY, { token_id: tokenId })).node.biz_result));

describe('alipay.security.risk.authentication.initialize', () => {
  const ctx = useGateway();

  test("the official alipay-sdk sends the seed's exact example and verifies the signed response", async () => {
    const { gw, app } = ctx;
    const sdk = gw.sdk(app);
    const res = await sdk.exec(INIT, { bizContent: JSON.parse(seedRiskBizContent()) }, { validateSign: true });
    assert.equal(res.code, '10000');
    assert.match(String(res.tokenId), /^[0-9a-f]{32}$/);
    assert.equal(typeof res.bizResult, 'string', 'biz_result is a JSON string');
    const result = JSON.parse(String(res.bizResult));
    assert.equal(result.biz_id, '0ad14d131507796000105855032107');
    assert.equal(result.status, 'INIT');
    assert.deepEqual(Object.keys(result.task_list[0]), ['status', 'task_id', 'biz_info', 'signed_file_list']);
    assert.equal(result.task_list[0].biz_info, '{"task_id":"sign_task_1234567","service_version":"3"}');
    assert.equal(result.qrcode.expired_time, 604800);
  });

  test('QRCODE: the PNG decodes to the hosted page URL; SVG is served too', async () => {
    const { gw, app } = ctx;
    const { result } = await init(gw, app);
    const png = await fetch(result.qrcode.image_png);
    assert.equal(png.headers.get('content-type'), 'image/png');
    const decoded = decodeQrPng(Buffer.from(await png.arrayBuffer()));
    assert.equal(decoded, result.qrcode.content);
    assert.match(decoded!, /^http:\/\/127\.0\.0\.1:\d+\/verify\/[0-9a-f]{32}$/);
    const svg = await fetch(result.qrcode.image_svg);
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    assert.match(await svg.text(), /^<svg/);
    const page = await (await fetch(decoded!)).text();
    for (const masked of [maskName('zha***an'), maskCertNo('320107******021111'), maskMobile('1319****000')]) assert.ok(page.includes(masked), masked);
    for (const raw of ['zha***an', '320107******021111', '1319****000']) assert.ok(!page.includes(raw), `no raw ${raw}`);
  });

  test('other verify_type values open the page directly (verify_url)', async () => {
    const { gw, app } = ctx;
    const { result } = await init(gw, app, riskBiz({ bizId: uniqueBizId(), verifyType: 'FACE' }));
    assert.equal(result.qrcode, undefined);
    assert.match(result.verify_url, /\/verify\/[0-9a-f]{32}$/);
    assert.equal((await fetch(result.verify_url)).status, 200);
  });

  test('extend_info is accepted inside authentication_scene too (the seed table indents it there)', async () => {
    const { gw, app } = ctx;
    const biz = riskBiz({ bizId: uniqueBizId() });
    biz.authentication_info.authentication_scene.extend_info = biz.authentication_info.extend_info;
    delete biz.authentication_info.extend_info;
    const { result } = await init(gw, app, biz);
    assert.equal(result.verify_type, 'QRCODE');
  });

  test('biz_id is idempotent per app: same content → same token; different content → BIZ_ERROR', async () => {
    const { gw, app } = ctx;
    const bizId = uniqueBizId();
    const first = await init(gw, app, riskBiz({ bizId }));
    const again = await init(gw, app, riskBiz({ bizId }));
    assert.equal(again.tokenId, first.tokenId);
    assert.equal(again.result.task_list[0].task_id, first.result.task_list[0].task_id);
    const other = await gw.call(app, INIT, riskBiz({ bizId, verifyType: 'FACE' }));
    assert.deepEqual([other.node.code, other.node.msg, other.node.sub_code], ['40004', 'Business Failed', 'BIZ_ERROR']);
    const results = await Promise.all(Array.from({ length: 10 }, () => gw.call(app, INIT, riskBiz({ bizId: `${bizId}P` }))));
    assert.equal(new Set(results.map((r) => r.node.token_id)).size, 1, 'concurrent retries → one token');
  });
});

describe('alipay.security.risk.authentication.initialize field validation', () => {
  const ctx = useGateway();
  /** The parsed seed example: free-form JSON the cases reach into. */
  type Biz = ReturnType<typeof riskBiz>;
  type Mutate = (b: Biz) => void;
  const cases: Array<[string, string, Mutate]> = [];
  const ai = (b: Biz) => b.authentication_info;
  const pi = (b: Biz) => b.authentication_info.principal_info;
  const sc = (b: Biz) => b.authentication_info.authentication_scene;
  const required: Array<[string, (b: Biz) => Biz, string, number]> = [
    ['authentication_info.biz_id', ai, 'biz_id', 128],
    ['authentication_info.principal_info.tnt_inst_id', pi, 'tnt_inst_id', 32],
    ['authentication_info.principal_info.user_name', pi, 'user_name', 200],
    ['authentication_info.principal_info.user_id', pi, 'user_id', 128],
    ['authentication_info.principal_info.mobile_no', pi, 'mobile_no', 100],
    ['authentication_info.principal_info.operator_cert_type', pi, 'operator_cert_type', 32],
    ['authentication_info.principal_info.operator_cert_no', pi, 'operator_cert_no', 128],
    ['authentication_info.authentication_scene.biz_name', sc, 'biz_name', 128],
    ['authentication_info.authentication_scene.biz_product', sc, 'biz_product', 128],
    ['authentication_info.authentication_scene.biz_prod_node', sc, 'biz_prod_node', 128],
    ['authentication_info.authentication_scene.access_channel', sc, 'access_channel', 128],
  ];
  for (const [path, parent, key, max] of required) {
    cases.push([`${path} missing`, path, (b) => delete parent(b)[key]]);
    cases.push([`${path} empty`, path, (b) => (parent(b)[key] = '')]);
    cases.push([`${path} longer than ${max}`, path, (b) => (parent(b)[key] = 'x'.repeat(max + 1))]);
    cases.push([`${path} not a string`, path, (b) => (parent(b)[key] = 42)]);
  }
  const jsonFields: Array<[string, (b: Biz) => Biz, string, number, boolean]> = [
    ['authentication_info.principal_info.params', pi, 'params', 500, true],
    ['authentication_info.authentication_scene.scene_params', sc, 'scene_params', 2000, true],
    ['authentication_info.extend_info', ai, 'extend_info', 2000, true],
    ['env_info', (b) => b, 'env_info', 1000, false],
    ['biz_info', (b) => b, 'biz_info', 5000, false],
  ];
  for (const [path, parent, key, max, isRequired] of jsonFields) {
    if (isRequired) cases.push([`${path} missing`, path, (b) => delete parent(b)[key]]);
    cases.push([`${path} bad JSON-in-JSON`, path, (b) => (parent(b)[key] = '{"a":')]);
    cases.push([`${path} JSON but not an object`, path, (b) => (parent(b)[key] = '[1,2]')]);
    cases.push([`${path} longer than ${max}`, path, (b) => (parent(b)[key] = JSON.stringify({ pad: 'x'.repeat(max) }))]);
    cases.push([`${path} wrong type`, path, (b) => (parent(b)[key] = 7)]);
  }
  cases.push(['authentication_info missing', 'authentication_info', (b) => delete b.authentication_info]);
  cases.push(['principal_info not an object', 'authentication_info.principal_info', (b) => (ai(b).principal_info = 'x')]);
  cases.push(['authentication_scene missing', 'authentication_info.authentication_scene', (b) => delete ai(b).authentication_scene]);
  cases.push([
    'qrcode_expired_time not a number',
    'authentication_info.extend_info.qrcode_expired_time',
    (b) => (ai(b).extend_info = '{"verify_type":"QRCODE","qrcode_expired_time":"soon"}'),
  ]);
  cases.push([
    'scene_params.call_back_url not a string',
    'authentication_info.authentication_scene.scene_params.call_back_url',
    (b) => (sc(b).scene_params = '{"call_back_url":5}'),
  ]);

  test(`${cases.length} violations, each → 40004 INVALID_PARAMETER naming the field; nothing written`, async () => {
    const { gw, app } = ctx;
    for (const [name, field, mutate] of cases) {
      const biz = riskBiz({ bizId: uniqueBizId() });
      mutate(biz);
      const r = await gw.call(app, INIT, biz);
      assert.deepEqual(
        [r.node.code, r.node.msg, r.node.sub_code, r.node.sub_msg],
        ['40004', 'Business Failed', 'INVALID_PARAMETER', `参数有误。参数[${field}]不是有效的入参`],
        name,
      );
      assert.ok(r.signatureValid, name);
    }
    const db = rawDb(gw.services.store);
    assert.equal((await db.selectFrom('verification_sessions').select('id').execute()).length, 0);
  });

  test('objects are accepted where JSON strings are declared; optional env_info/biz_info may be omitted', async () => {
    const { gw, app } = ctx;
    const biz = riskBiz({ bizId: uniqueBizId() });
    biz.authentication_info.principal_info.params = { mobile_no: '13195912301' };
    biz.authentication_info.extend_info = { verify_type: 'QRCODE', qrcode_expired_time: '3600' };
    delete biz.env_info;
    delete biz.biz_info;
    const { result } = await init(gw, app, biz);
    assert.equal(result.qrcode.expired_time, 3600);
    assert.equal(result.task_list[0].biz_info, '');
  });
});

describe('query, cancel and the callback in every state', () => {
  test('INIT → PROCESSING → SUCCESS with callback and a queued signed notification', async () => {
    const gw = await startTestGateway();
    try {
      const app = await gw.createApp({ notifyUrl: 'http://127.0.0.1:9/notify' });
      const { tokenId, result } = await init(gw, app, riskBiz({ bizId: uniqueBizId(), callBackUrl: 'https://merchant.example/cb?x=1' }));
      assert.equal((await status(gw, app, tokenId)).status, 'INIT');
      await fetch(result.qrcode.content);
      assert.equal((await status(gw, app, tokenId)).status, 'PROCESS');
      const back = await fetch(`${result.qrcode.content}/complete`, {
        method: 'POST',
        body: new URLSearchParams({ outcome: 'pass' }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        redirect: 'manual',
      });
      assert.equal(back.status, 302);
      const landing = new URL(back.headers.get('location')!);
      assert.equal(landing.origin + landing.pathname, 'https://merchant.example/cb');
      assert.ok(verifyOutcome(landing.searchParams, gw.alipayPublicKey));
      assert.deepEqual(JSON.parse(landing.searchParams.get('biz_content')!), { token_id: tokenId, biz_id: result.biz_id, status: 'SUCCESS' });
      const done = await status(gw, app, tokenId);
      assert.deepEqual([done.status, done.task_list[0].status, done.qrcode], ['SUCCESS', 'SUCCESS', undefined]);
      const session = await gw.services.store.findSession('risk', { externalId: tokenId });
      const [note] = await gw.services.store.listNotifications(session!.id);
      assert.ok(note, 'outbox row written');
      // Port 9 refuses: the row stays PENDING for its retries (delivery itself: test/notifications.test.ts).
      assert.deepEqual([note.url, note.status], ['http://127.0.0.1:9/notify', 'PENDING']);
      assert.equal(note.payload.notify_type, 'alipay_security_risk_authentication_result');
      assert.equal(note.payload.status, 'SUCCESS');
      assert.ok(verifyOutcome(new URLSearchParams(note.payload), gw.alipayPublicKey), 'notification signed (V1)');
      const sdk = gw.sdk(app);
      assert.ok(sdk.checkNotifySignV2({ ...note.payload }));
    } finally {
      await gw.stop();
    }
  });

  const ctx = useGateway({ adminToken: 'adm' });

  test('FAIL via the admin API; no notify URL → no outbox row', async () => {
    const { gw, app } = ctx;
    const { tokenId } = await init(gw, app);
    const res = await fetch(`${gw.url}/admin/authentications/${tokenId}/complete`, {
      method: 'POST',
      headers: { authorization: 'Bearer adm' },
      body: JSON.stringify({ passed: false, failed_reason: '人脸比对不一致' }),
    });
    assert.equal(res.status, 200);
    const s = await status(gw, app, tokenId);
    assert.deepEqual([s.status, s.failed_reason], ['FAIL', '人脸比对不一致']);
    const session = await gw.services.store.findSession('risk', { externalId: tokenId });
    assert.deepEqual(await gw.services.store.listNotifications(session!.id), []);
    const cancel = await gw.call(app, CANCEL, { token_id: tokenId });
    assert.deepEqual([cancel.node.sub_code, cancel.node.sub_msg], ['BIZ_ERROR', '认证已结束，无法取消'], 'cancel of a FAIL session is refused');
    assert.equal((await status(gw, app, tokenId)).status, 'FAIL');
  });

  test('query by biz_id alone; mismatch, unknown and neither → errors', async () => {
    const { gw, app } = ctx;
    const bizId = uniqueBizId();
    const { tokenId } = await init(gw, app, riskBiz({ bizId }));
    const byBiz = await gw.call(app, QUERY, { biz_id: bizId });
    assert.equal(JSON.parse(String(byBiz.node.biz_result)).token_id, tokenId);
    const both = await gw.call(app, QUERY, { biz_id: bizId, token_id: tokenId, authentication_scene: { biz_name: 'piggy' }, biz_info: '{}' });
    assert.equal(both.node.code, '10000');
    const mismatch = await gw.call(app, QUERY, { biz_id: 'other', token_id: tokenId });
    assert.deepEqual([mismatch.node.sub_code, mismatch.node.sub_msg], ['BIZ_ERROR', 'token_id与biz_id不属于同一笔业务']);
    const unknown = await gw.call(app, QUERY, { token_id: '0'.repeat(32) });
    assert.equal(unknown.node.sub_code, 'BIZ_ERROR');
    const foreign = await gw.call(await gw.createApp(), QUERY, { token_id: tokenId });
    assert.equal(foreign.node.sub_code, 'BIZ_ERROR', "another app's token is not found");
    const neither = await gw.call(app, QUERY, {});
    assert.deepEqual([neither.node.sub_code, neither.node.sub_msg], ['INVALID_PARAMETER', '参数有误。参数[token_id]不是有效的入参']);
  });

  test('cancel: INIT → CANCEL, again is idempotent, page and QR then say so; finished → BIZ_ERROR', async () => {
    const { gw, app } = ctx;
    const { tokenId, result } = await init(gw, app);
    const c1 = await gw.call(app, CANCEL, { token_id: tokenId, biz_id: result.biz_id });
    assert.equal(c1.node.code, '10000');
    assert.equal(JSON.parse(String(c1.node.biz_result)).status, 'CANCEL');
    const c2 = await gw.call(app, CANCEL, { token_id: tokenId });
    assert.equal(JSON.parse(String(c2.node.biz_result)).status, 'CANCEL');
    assert.ok((await (await fetch(result.qrcode.content)).text()).includes('认证已取消'));
    const { tokenId: passedToken } = await init(gw, app, riskBiz({ bizId: uniqueBizId(), certNo: idNumberWithSequence('990') }));
    const opened = await status(gw, app, passedToken);
    await fetch(opened.qrcode.content, { redirect: 'manual' }); // magic 990: opening the page passes it
    assert.equal((await status(gw, app, passedToken)).status, 'SUCCESS');
    const refused = await gw.call(app, CANCEL, { token_id: passedToken });
    assert.deepEqual([refused.node.code, refused.node.sub_code, refused.node.sub_msg], ['40004', 'BIZ_ERROR', '认证已结束，无法取消']);
    assert.ok(refused.signatureValid);
  });

  test('cancel during PROCESSING; a completion after cancel is refused', async () => {
    const { gw, app } = ctx;
    const { tokenId, result } = await init(gw, app);
    await fetch(result.qrcode.content);
    assert.equal(JSON.parse(String((await gw.call(app, CANCEL, { token_id: tokenId })).node.biz_result)).status, 'CANCEL');
    const late = await fetch(`${result.qrcode.content}/complete`, {
      method: 'POST',
      body: new URLSearchParams({ outcome: 'pass' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    assert.ok((await late.text()).includes('认证已取消'));
    assert.equal((await status(gw, app, tokenId)).status, 'CANCEL');
  });

  test('magic value on operator_cert_no: 991 fails on opening, straight to call_back_url', async () => {
    const { gw, app } = ctx;
    const { result } = await init(gw, app, riskBiz({ bizId: uniqueBizId(), certNo: idNumberWithSequence('991') }));
    const res = await fetch(result.qrcode.content, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const landing = new URL(res.headers.get('location')!);
    assert.equal(landing.hostname, 'taobao.com', "the seed's call_back_url");
    assert.deepEqual(JSON.parse(landing.searchParams.get('biz_content')!).status, 'FAIL');
  });
});

describe('QR code expiry (injected clock)', () => {
  test('after qrcode_expired_time: image gone, scan shows expired, query says EXPIRED, cancel refused', async () => {
    let now = Date.now();
    const gw = await startTestGateway({}, { clock: () => now });
    try {
      const app = await gw.createApp();
      const { tokenId, result } = await init(gw, app, riskBiz({ bizId: uniqueBizId(), qrSeconds: 300 }));
      assert.equal((await fetch(result.qrcode.image_png)).status, 200);
      now += 299_000;
      assert.equal((await status(gw, app, tokenId)).status, 'INIT', 'still valid one second before');
      now += 2_000;
      assert.equal((await fetch(result.qrcode.image_png)).status, 410);
      const scan = await fetch(result.qrcode.content);
      assert.equal(scan.status, 410);
      assert.ok((await scan.text()).includes('认证已过期'));
      const s = await status(gw, app, tokenId);
      assert.deepEqual([s.status, s.task_list[0].status, s.qrcode], ['EXPIRED', 'EXPIRED', undefined]);
      const c = await gw.call(app, CANCEL, { token_id: tokenId });
      assert.deepEqual([c.node.sub_code, c.node.sub_msg], ['BIZ_ERROR', '认证已过期，无法取消']);
    } finally {
      await gw.stop();
    }
  });
});
