import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawDb } from './support/db.js';
import { startTestGateway, useGateway, type TestGateway } from './support/harness.js';
import type { TestApp } from './support/client.js';
import { idNumberWithSequence, SEED_CERT_NO, SEED_NAME } from './support/identity.js';
import { verifyOutcome } from './support/outcome.js';
import { startReturnServer } from './support/return-server.js';
import {
  FACE_CERTIFY_INIT as INIT,
  FACE_CERTIFY_QUERY as QUERY,
  FACE_CERTIFY_VERIFY as VERIFY,
  FACE_VERIFICATION_INIT as V_INIT,
  FACE_VERIFICATION_QUERY as V_QUERY,
  faceCertifyBiz,
  faceVerificationBiz,
} from './scenarios/face.js';
import { uniqueRef } from './scenarios/common.js';

const HOUR = 3600 * 1000;

async function ok(gw: TestGateway, app: TestApp, method: string, biz: unknown, params?: Record<string, string>) {
  const r = await gw.call(app, method, biz, params ? { params } : {});
  assert.equal(r.node.code, '10000', JSON.stringify(r.node));
  assert.ok(r.signatureValid, `${method} is signed`);
  return r.node;
}

const h5Init = async (gw: TestGateway, app: TestApp, biz = faceCertifyBiz()) => String((await ok(gw, app, INIT, biz)).certify_id);
const certifyUrl = async (gw: TestGateway, app: TestApp, id: string) => String((await ok(gw, app, VERIFY, { certify_id: id })).certify_url);
const h5Query = (gw: TestGateway, app: TestApp, id: string) => ok(gw, app, QUERY, { certify_id: id });
const appInit = (gw: TestGateway, app: TestApp, biz = faceVerificationBiz(), params?: Record<string, string>) => ok(gw, app, V_INIT, biz, params);
const appQuery = (gw: TestGateway, app: TestApp, id: string, need?: unknown) =>
  ok(gw, app, V_QUERY, { certify_id: id, ...(need !== undefined ? { need_alive_photo: need } : {}) });

function choose(pageUrl: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${pageUrl}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
    redirect: 'manual',
  });
}

async function subCode(gw: TestGateway, app: TestApp, method: string, biz: unknown): Promise<[unknown, unknown, unknown]> {
  const r = await gw.call(app, method, biz);
  assert.ok(r.signatureValid, 'errors are signed');
  return [r.node.code, r.node.sub_code, r.node.sub_msg];
}

describe('face H5 flow: certify.initialize → certify.verify → hosted page → return_url → certify.query', () => {
  const ctx = useGateway();

  test('the official alipay-sdk (validateSign) drives initialize → verify → page → pass → query', async () => {
    const { gw, app } = ctx;
    const sdk = gw.sdk(app);
    const merchant = await startReturnServer();
    try {
      const init = await sdk.exec(INIT, { bizContent: faceCertifyBiz({ returnUrl: merchant.url }) }, { validateSign: true });
      assert.equal(init.code, '10000');
      const certifyId = String(init.certifyId);
      assert.match(certifyId, /^[0-9a-f]{32}$/);
      const verify = await sdk.exec(VERIFY, { bizContent: { certify_id: certifyId } }, { validateSign: true });
      const url = String(verify.certifyUrl);
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/verify\/[0-9a-f]{32}$/);
      const before = await sdk.exec(QUERY, { bizContent: { certify_id: certifyId } }, { validateSign: true });
      assert.deepEqual([before.passed, before.failReason], ['F', undefined], 'unfinished: F without a reason');

      const page = await fetch(url);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.ok(html.includes('人脸核身') && html.includes('FUTURE_TECH_BIZ_FACE_SDK'));
      assert.ok(html.includes('收*') && html.includes('2601**********5964') && html.includes('130****0000'), 'masked identity shown');
      assert.ok(!html.includes(SEED_NAME) && !html.includes(SEED_CERT_NO) && !html.includes('13000000000'), 'raw identity never shown');

      const back = await choose(url, { outcome: 'pass' });
      assert.equal(back.status, 302);
      const landing = new URL(back.headers.get('location')!);
      assert.equal(landing.origin + landing.pathname, merchant.url.split('?')[0]);
      assert.equal(landing.searchParams.get('order'), '42', 'the return_url query survives');
      assert.ok(verifyOutcome(landing.searchParams, gw.alipayPublicKey), 'signed outcome');
      assert.ok(sdk.checkNotifySignV2(Object.fromEntries(landing.searchParams)));
      assert.deepEqual(JSON.parse(landing.searchParams.get('biz_content')!), { certify_id: certifyId, passed: 'T' });

      const q = await sdk.exec(QUERY, { bizContent: { certify_id: certifyId } }, { validateSign: true });
      assert.deepEqual([q.code, q.passed, q.failReason, q.identityInfo, q.materialInfo], ['10000', 'T', undefined, '{}', '{}']);
      const again = await sdk.exec(VERIFY, { bizContent: { certify_id: certifyId } }, { validateSign: true });
      assert.equal(again.certifyUrl, url, 'verify keeps answering the same URL');
      assert.match(await (await fetch(url)).text(), /认证通过/, 'the finished page says so');
    } finally {
      await merchant.close();
    }
  });

  test('JSON-string identity_param/merchant_config; fail with a reason → F + fail_reason, on return_url and in query', async () => {
    const { gw, app } = ctx;
    const merchant = await startReturnServer();
    try {
      const id = await h5Init(gw, app, faceCertifyBiz({ returnUrl: merchant.url, asStrings: true }));
      const url = await certifyUrl(gw, app, id);
      assert.equal((await fetch(url)).status, 200);
      const back = await choose(url, { outcome: 'fail', reason: '活体检测未通过' });
      assert.equal(back.status, 302);
      const landing = new URL(back.headers.get('location')!);
      assert.ok(verifyOutcome(landing.searchParams, gw.alipayPublicKey));
      assert.deepEqual(JSON.parse(landing.searchParams.get('biz_content')!), { certify_id: id, passed: 'F', fail_reason: '活体检测未通过' });
      const q = await h5Query(gw, app, id);
      assert.deepEqual([q.passed, q.fail_reason], ['F', '活体检测未通过']);
    } finally {
      await merchant.close();
    }
  });

  test('without return_url (missing = "") the page ends on a result page; face_contrast_picture is accepted', async () => {
    const { gw, app } = ctx;
    const biz = { ...faceCertifyBiz(), merchant_config: {}, face_contrast_picture: 'xydasf==' };
    const id = await h5Init(gw, app, biz);
    const url = await certifyUrl(gw, app, id);
    await fetch(url);
    const done = await choose(url, { outcome: 'pass' });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /认证通过/);
    assert.equal((await h5Query(gw, app, id)).passed, 'T');
  });

  test('magic 990 passes and 991 fails when the page is opened, not before', async () => {
    const { gw, app } = ctx;
    const merchant = await startReturnServer();
    try {
      const pass = await h5Init(gw, app, faceCertifyBiz({ certNo: idNumberWithSequence('990'), returnUrl: merchant.url }));
      assert.equal((await h5Query(gw, app, pass)).passed, 'F', 'undecided before the page');
      const opened = await fetch(await certifyUrl(gw, app, pass), { redirect: 'manual' });
      assert.equal(opened.status, 302, 'decided at once: straight back to return_url');
      const landing = new URL(opened.headers.get('location')!);
      assert.ok(verifyOutcome(landing.searchParams, gw.alipayPublicKey));
      assert.equal((await h5Query(gw, app, pass)).passed, 'T');

      const fail = await h5Init(gw, app, faceCertifyBiz({ certNo: idNumberWithSequence('991') }));
      const page = await fetch(await certifyUrl(gw, app, fail));
      assert.match(await page.text(), /人脸比对不一致/);
      const q = await h5Query(gw, app, fail);
      assert.deepEqual([q.passed, q.fail_reason], ['F', '人脸比对不一致']);
    } finally {
      await merchant.close();
    }
  });

  test('outer_order_no is idempotent per app: same content → same certify_id (object or string form); concurrent retries → one', async () => {
    const { gw, app } = ctx;
    const outerOrderNo = uniqueRef('ZGYD');
    const first = await h5Init(gw, app, faceCertifyBiz({ outerOrderNo }));
    assert.equal(await h5Init(gw, app, faceCertifyBiz({ outerOrderNo })), first);
    assert.equal(await h5Init(gw, app, faceCertifyBiz({ outerOrderNo, asStrings: true })), first, 'the string form is the same content');
    const other = await subCode(gw, app, INIT, faceCertifyBiz({ outerOrderNo, returnUrl: 'https://merchant.example/back' }));
    assert.deepEqual(other.slice(0, 2), ['40004', 'OUTER_ORDER_NO_CONFLICT']);
    const ref = uniqueRef('P');
    const ids = await Promise.all(Array.from({ length: 8 }, () => h5Init(gw, app, faceCertifyBiz({ outerOrderNo: ref }))));
    assert.equal(new Set(ids).size, 1);
  });
});

describe('face app flow: verification.initialize → page_url/web_url → verification.query', () => {
  const ctx = useGateway();

  test('the official alipay-sdk (validateSign): initialize → PROCESSING → page → pass → SUCCESS with scores and photo', async () => {
    const { gw, app } = ctx;
    const sdk = gw.sdk(app);
    const init = await sdk.exec(V_INIT, { bizContent: faceVerificationBiz() }, { validateSign: true });
    assert.equal(init.code, '10000');
    const id = String(init.certifyId);
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.match(String(init.webUrl), /\/verify\/[0-9a-f]{32}$/);
    assert.equal(init.pageUrl, init.webUrl);
    const query = (need?: string) => sdk.exec(V_QUERY, { bizContent: { certify_id: id, ...(need ? { need_alive_photo: need } : {}) } }, { validateSign: true });

    const fresh = await query();
    assert.deepEqual([fresh.certifyState, fresh.score, fresh.attackFlag, fresh.metaInfo], ['PROCESSING', undefined, undefined, { deviceType: 'h5' }]);
    const page = await fetch(String(init.webUrl));
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes('活体检测') && html.includes('DATA_DIGITAL_BIZ_CODE_FACE_VERIFICATION'));
    assert.ok(!html.includes(SEED_NAME) && !html.includes(SEED_CERT_NO));
    assert.equal((await query()).certifyState, 'PROCESSING', 'opened, not finished');

    const done = await choose(String(init.webUrl), { outcome: 'pass' });
    assert.equal(done.status, 200, 'no return URL: a result page');
    const q = await query('Y');
    assert.equal(q.certifyState, 'SUCCESS');
    assert.deepEqual([q.score, q.quality, q.attackFlag], ['98.5', '85', 'false']);
    assert.ok(Buffer.from(String(q.alivePhoto), 'base64').subarray(1, 4).toString() === 'PNG', 'a Base64 photo');
    assert.deepEqual(q.metaInfo, { deviceType: 'h5' });
    assert.equal((await query('N')).alivePhoto, undefined);
    assert.equal((await query()).alivePhoto, undefined, 'default N');
    assert.equal((await appQuery(gw, app, id, true)).alive_photo !== undefined, true, 'boolean true accepted');
  });

  test('fail with a reason → FAIL (liveness failure flagged as an attack), no photo; common return_url gets the signed state', async () => {
    const { gw, app } = ctx;
    const merchant = await startReturnServer();
    try {
      const init = await appInit(gw, app, faceVerificationBiz(), { return_url: merchant.url });
      const url = String(init.page_url);
      await fetch(url);
      const back = await choose(url, { outcome: 'fail', reason: '活体检测未通过' });
      assert.equal(back.status, 302);
      const landing = new URL(back.headers.get('location')!);
      assert.ok(verifyOutcome(landing.searchParams, gw.alipayPublicKey));
      assert.deepEqual(JSON.parse(landing.searchParams.get('biz_content')!), { certify_id: init.certify_id, certify_state: 'FAIL' });
      const q = await appQuery(gw, app, String(init.certify_id), 'Y');
      assert.deepEqual([q.certify_state, q.attack_flag, q.alive_photo], ['FAIL', 'true', undefined]);
    } finally {
      await merchant.close();
    }
  });

  test('magic 990 / 991 decide when the page is opened; residence permits accepted', async () => {
    const { gw, app } = ctx;
    const pass = await appInit(gw, app, faceVerificationBiz({ certNo: idNumberWithSequence('990') }));
    assert.equal((await appQuery(gw, app, String(pass.certify_id))).certify_state, 'PROCESSING');
    await fetch(String(pass.web_url));
    assert.equal((await appQuery(gw, app, String(pass.certify_id))).certify_state, 'SUCCESS');

    const fail = await appInit(gw, app, faceVerificationBiz({ certNo: idNumberWithSequence('991') }));
    await fetch(String(fail.page_url));
    const q = await appQuery(gw, app, String(fail.certify_id));
    assert.deepEqual([q.certify_state, q.attack_flag], ['FAIL', 'false']);

    for (const cert_type of ['RESIDENCE_HK_MC', 'RESIDENCE_TAIWAN']) {
      await appInit(gw, app, { ...faceVerificationBiz(), cert_type, nation: 'CHN' });
    }
  });

  test('outer_order_no (≤ 64) is idempotent per app', async () => {
    const { gw, app } = ctx;
    const outerOrderNo = uniqueRef('V').padEnd(64, '0');
    assert.equal(outerOrderNo.length, 64);
    const first = await appInit(gw, app, faceVerificationBiz({ outerOrderNo }));
    const again = await appInit(gw, app, faceVerificationBiz({ outerOrderNo }));
    assert.deepEqual([again.certify_id, again.web_url], [first.certify_id, first.web_url]);
    const other = await subCode(gw, app, V_INIT, faceVerificationBiz({ outerOrderNo, certNo: idNumberWithSequence('123') }));
    assert.deepEqual(other.slice(0, 2), ['40004', 'OUTER_ORDER_NO_CONFLICT']);
  });
});

describe('face business errors', () => {
  const ctx = useGateway();
  const ILLEGAL = ['40004', 'ILLEGAL_ARGUMENT_FORMAT', '参数异常'];

  test('H5 initialize: bad values → ILLEGAL_ARGUMENT_FORMAT; unparseable JSON text → unknown-sub-code; nothing written', async () => {
    const { gw, app } = ctx;
    const base = () => faceCertifyBiz();
    const identity = (patch: Record<string, unknown>) => ({ ...(base().identity_param as Record<string, unknown>), ...patch });
    const illegal: Array<[string, Record<string, unknown>]> = [
      ['wrong biz_code', { ...base(), biz_code: 'DATA_DIGITAL_BIZ_CODE_FACE_VERIFICATION' }],
      ['biz_code missing', { ...base(), biz_code: undefined }],
      ['outer_order_no 33 chars', { ...base(), outer_order_no: 'A'.repeat(33) }],
      ['outer_order_no not letters/digits', { ...base(), outer_order_no: 'ab cd' }],
      ['outer_order_no missing', { ...base(), outer_order_no: undefined }],
      ['identity_param missing', { ...base(), identity_param: undefined }],
      ['merchant_config missing', { ...base(), merchant_config: undefined }],
      ['identity_type not CERT_INFO', { ...base(), identity_param: identity({ identity_type: 'AGENT_CERT_INFO' }) }],
      ['cert_type not IDENTITY_CARD', { ...base(), identity_param: identity({ cert_type: 'RESIDENCE_HK_MC' }) }],
      ['cert_name empty', { ...base(), identity_param: identity({ cert_name: '' }) }],
      ['cert_no bad check character', { ...base(), identity_param: identity({ cert_no: '260104197909275965' }) }],
      ['phone_no not digits', { ...base(), identity_param: identity({ phone_no: 'call me' }) }],
      ['identity_param JSON but not an object', { ...base(), identity_param: '[1,2]' }],
      ['return_url not a URL', { ...base(), merchant_config: { return_url: 'not a url' } }],
      ['face_reserve_strategy unknown', { ...base(), merchant_config: { face_reserve_strategy: 'always' } }],
      ['face_contrast_picture not Base64', { ...base(), face_contrast_picture: '<img>' }],
    ];
    for (const [name, biz] of illegal) assert.deepEqual(await subCode(gw, app, INIT, biz), ILLEGAL, name);
    for (const field of ['identity_param', 'merchant_config']) {
      assert.deepEqual(
        await subCode(gw, app, INIT, { ...base(), [field]: '{"return_url":' }),
        ['40004', 'unknown-sub-code', '未知的错误码UNKNOWN_ERROR'],
        field,
      );
    }
    const refused = await subCode(gw, app, INIT, faceCertifyBiz({ certNo: idNumberWithSequence('998') }));
    assert.deepEqual(refused.slice(0, 2), ['40004', 'BIZ_ERROR']);
    const rows = await rawDb(gw.services.store).selectFrom('verification_sessions').select('id').where('family', '=', 'face').execute();
    assert.equal(rows.length, 0, 'no session opened');
  });

  test('app initialize: bad values → ILLEGAL_ARGUMENT_FORMAT; 998 → BIZ_ERROR', async () => {
    const { gw, app } = ctx;
    const base = () => faceVerificationBiz();
    const illegal: Array<[string, Record<string, unknown>]> = [
      ['wrong biz_code', { ...base(), biz_code: 'FUTURE_TECH_BIZ_FACE_SDK' }],
      ['outer_order_no 65 chars', { ...base(), outer_order_no: 'A'.repeat(65) }],
      ['identity_type missing', { ...base(), identity_type: undefined }],
      ['cert_type of user.certify', { ...base(), cert_type: 'RESIDENCE_PERMIT_TAIWAN' }],
      ['cert_name missing', { ...base(), cert_name: undefined }],
      ['cert_no not an ID number', { ...base(), cert_no: '12345' }],
      ['nation not a code', { ...base(), nation: 'Canada!' }],
      ['face_reserve_strategy unknown', { ...base(), face_reserve_strategy: 'keep' }],
    ];
    for (const [name, biz] of illegal) assert.deepEqual(await subCode(gw, app, V_INIT, biz), ILLEGAL, name);
    const refused = await subCode(gw, app, V_INIT, faceVerificationBiz({ certNo: idNumberWithSequence('998') }));
    assert.deepEqual(refused.slice(0, 2), ['40004', 'BIZ_ERROR']);
  });

  test('unknown ids, ids of the other flow and another app’s ids are OPEN_CERTIFY_BILL_NOT_EXIST', async () => {
    const { gw, app } = ctx;
    const NOT_EXIST = ['40004', 'OPEN_CERTIFY_BILL_NOT_EXIST', '无效的certify_id'];
    const h5 = await h5Init(gw, app);
    const appFlow = String((await appInit(gw, app)).certify_id);
    for (const method of [VERIFY, QUERY]) {
      assert.deepEqual(await subCode(gw, app, method, { certify_id: 'f'.repeat(32) }), NOT_EXIST, method);
      assert.deepEqual(await subCode(gw, app, method, { certify_id: appFlow }), NOT_EXIST, `${method}: app-flow id`);
    }
    assert.deepEqual(await subCode(gw, app, V_QUERY, { certify_id: h5 }), NOT_EXIST, 'H5 id on verification.query');
    const other = await gw.createApp();
    for (const method of [VERIFY, QUERY]) assert.deepEqual(await subCode(gw, other, method, { certify_id: h5 }), NOT_EXIST, `${method}: another app`);
    assert.deepEqual(await subCode(gw, other, V_QUERY, { certify_id: appFlow }), NOT_EXIST, 'verification.query: another app');
    for (const method of [VERIFY, QUERY, V_QUERY]) assert.deepEqual(await subCode(gw, app, method, {}), ILLEGAL, `${method}: certify_id missing`);
    assert.deepEqual(await subCode(gw, app, V_QUERY, { certify_id: appFlow, need_alive_photo: 'maybe' }), ILLEGAL);
  });
});

describe('face lifetime', () => {
  test('unfinished certify_ids expire after 23 h; results stay queryable', async () => {
    let now = Date.now();
    // The test signs with the real time while the gateway's clock runs months ahead: widen the window.
    const gw = await startTestGateway({ timestampSkewSeconds: 200 * 86_400 }, { clock: () => now });
    try {
      const app = await gw.createApp();
      const h5 = await h5Init(gw, app);
      const url = await certifyUrl(gw, app, h5);
      const appFlow = await appInit(gw, app);
      const passed = await h5Init(gw, app);
      const passedUrl = await certifyUrl(gw, app, passed);
      await fetch(passedUrl);
      await choose(passedUrl, { outcome: 'pass' });

      now += 23 * HOUR - 1000;
      assert.equal((await h5Query(gw, app, h5)).passed, 'F');
      assert.equal((await appQuery(gw, app, String(appFlow.certify_id))).certify_state, 'PROCESSING');
      assert.equal((await fetch(url)).status, 200, 'still usable just before 23 h');

      now += 2000;
      const q = await h5Query(gw, app, h5);
      assert.deepEqual([q.passed, q.fail_reason], ['F', '认证已过期']);
      assert.equal((await appQuery(gw, app, String(appFlow.certify_id))).certify_state, 'FAIL');
      assert.equal((await fetch(String(appFlow.web_url))).status, 410, 'the page says expired');
      assert.equal((await choose(url, { outcome: 'pass' })).status, 410, 'an expired session cannot be completed');

      now += 80 * 24 * HOUR;
      assert.equal((await h5Query(gw, app, passed)).passed, 'T', 'a result stays queryable');
      assert.equal((await h5Query(gw, app, h5)).fail_reason, '认证已过期');
    } finally {
      await gw.stop();
    }
  });
});

describe('face PII', () => {
  test('name, ID number, phone and picture never reach the SQLite files or the admin view', async () => {
    const gw = await startTestGateway({ adminToken: 't' });
    try {
      const app = await gw.createApp();
      const picture = 'UElJLXBpY3R1cmUtbWFya2Vy';
      const h5 = await h5Init(gw, app, { ...faceCertifyBiz({ asStrings: true }), face_contrast_picture: picture });
      const appFlow = String((await appInit(gw, app)).certify_id);
      await fetch(await certifyUrl(gw, app, h5));

      const admin = await fetch(`${gw.url}/admin/face-certifications/${h5}`, { headers: { authorization: 'Bearer t' } });
      assert.equal(admin.status, 200);
      const view = (await admin.json()) as { session: { family: string; state: string; scene: string; identity: Record<string, string> } };
      assert.deepEqual([view.session.family, view.session.state, view.session.scene], ['face', 'PROCESSING', 'FUTURE_TECH_BIZ_FACE_SDK']);
      assert.deepEqual(view.session.identity, {
        identity_type: 'CERT_INFO',
        cert_type: 'IDENTITY_CARD',
        cert_name: '收*',
        cert_no: '2601**********5964',
        phone_no: '130****0000',
        face_contrast_picture: `[picture, ${picture.length} chars]`,
      });
      const adminText = JSON.stringify(view);
      for (const raw of [SEED_NAME, SEED_CERT_NO, '13000000000', picture]) assert.ok(!adminText.includes(raw), `admin view has no ${raw}`);
      const appView = await fetch(`${gw.url}/admin/face-certifications/${appFlow}`, { headers: { authorization: 'Bearer t' } });
      assert.ok(!(await appView.text()).includes(SEED_CERT_NO));

      const row = await rawDb(gw.services.store).selectFrom('verification_sessions').selectAll().where('external_id', '=', h5).executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).includes(SEED_NAME) && !JSON.stringify(row).includes(SEED_CERT_NO), 'row holds no raw identity');
      const files = readdirSync(gw.dataDir).filter((f) => f.startsWith('aopgate.sqlite'));
      assert.ok(files.length > 0);
      for (const f of files) {
        const bytes = readFileSync(join(gw.dataDir, f));
        for (const raw of [SEED_NAME, SEED_CERT_NO, '13000000000', picture]) assert.equal(bytes.indexOf(Buffer.from(raw, 'utf8')), -1, `${f} has no ${raw}`);
      }
    } finally {
      await gw.stop();
    }
  });
});
