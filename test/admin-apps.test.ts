import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { seedInitializeBiz, useGateway } from './support/harness.js';
import { SEED_CERT_NO, SEED_NAME } from './support/identity.js';
import { ADMIN_TOKEN, admin } from './support/notify-flow.js';
import { officialSdk } from './support/sdk.js';

describe('admin API for the console: apps, certificates, platform, sessions', () => {
  const ctx = useGateway({ adminToken: ADMIN_TOKEN });

  test('POST /admin/apps: the private key once; it calls at once; GET lists it; bad input is a 400', async () => {
    const { gw } = ctx;
    const created = await admin(gw, 'POST', '/admin/apps', { name: 'console app', notify_url: 'https://m.example/n', aes: true });
    assert.equal(created.status, 200);
    const app = created.json.app as { app_id: string; notify_url: string };
    assert.match(String(created.json.app_private_key), /^-----BEGIN PRIVATE KEY-----/);
    assert.match(String(created.json.aes_key), /^[A-Za-z0-9+/]{22}==$/);
    const sdk = officialSdk(gw.url, { appId: app.app_id, privateKeyPem: String(created.json.app_private_key), signType: 'RSA2' }, gw.alipayPublicKey);
    assert.equal((await sdk.exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true })).code, '10000');
    const list = (await admin(gw, 'GET', '/admin/apps')).json.apps as Array<{ app_id: string }>;
    assert.ok(list.some((a) => a.app_id === app.app_id));
    assert.ok(!JSON.stringify(list).includes('PRIVATE KEY') && !JSON.stringify(list).includes(String(created.json.aes_key)), 'no secret in the list');
    assert.equal((await admin(gw, 'POST', '/admin/apps', { sign_type: 'DSA' })).status, 400);
    assert.equal((await admin(gw, 'POST', '/admin/apps', { scenes: ['PALM'] })).status, 400);
  });

  test('certificates and the platform key', async () => {
    const { gw, app } = ctx;
    const certs = await admin(gw, 'POST', `/admin/apps/${app.appId}/certificates`);
    const files = certs.json.files as Record<string, string>;
    assert.deepEqual(Object.keys(files).sort(), [`appCertPublicKey_${app.appId}.crt`, 'alipayCertPublicKey_RSA2.crt', 'alipayRootCert.crt'].sort());
    const root = new X509Certificate(files['alipayRootCert.crt']!);
    assert.ok(new X509Certificate(files[`appCertPublicKey_${app.appId}.crt`]!).verify(root.publicKey));
    const platform = await admin(gw, 'GET', '/admin/platform');
    assert.deepEqual([platform.json.alipay_public_key, platform.json.alipay_cert_sn], [gw.alipayPublicKey, certs.json.alipay_cert_sn]);
    assert.equal((await admin(gw, 'POST', '/admin/apps/1/certificates')).status, 404);
  });

  test('GET /admin/sessions: newest first, masked, with the state history and the path to complete it', async () => {
    const { gw, app } = ctx;
    const init = await gw.call(app, 'zhima.customer.certification.initialize', seedInitializeBiz());
    await admin(gw, 'POST', `/admin/certifications/${init.node.biz_no}/complete`, { passed: false, failed_reason: '人脸比对不一致' });
    const sessions = (await admin(gw, 'GET', `/admin/sessions?app_id=${app.appId}&limit=1`)).json.sessions as Array<Record<string, unknown>>;
    const [s] = sessions;
    assert.deepEqual([s!.id, s!.admin_path, s!.state], [init.node.biz_no, 'certifications', 'FAILED']);
    assert.deepEqual(
      (s!.history as Array<{ state: string }>).map((h) => h.state),
      ['INIT', 'FAILED'],
    );
    assert.ok(!JSON.stringify(sessions).includes(SEED_NAME) && !JSON.stringify(sessions).includes(SEED_CERT_NO));
    assert.equal((await admin(gw, 'GET', '/admin/sessions?limit=0')).status, 400);
  });
});

describe('PATCH /admin/apps: the contract (products and scenes)', () => {
  const ctx = useGateway({ adminToken: ADMIN_TOKEN });

  test('narrowing the scenes is applied at once; an unknown scene is refused', async () => {
    const { gw, app } = ctx;
    const ok = await admin(gw, 'PATCH', `/admin/apps/${app.appId}`, { scenes: ['SMART_FACE'], products: ['w1010100000000002978'] });
    assert.equal(ok.status, 200);
    assert.deepEqual((ok.json.app as { scenes: string[] }).scenes, ['SMART_FACE']);
    assert.equal((await gw.call(app, 'zhima.customer.certification.initialize', seedInitializeBiz())).node.code, '40004', 'FACE is no longer signed');
    const bad = await admin(gw, 'PATCH', `/admin/apps/${app.appId}`, { scenes: ['PALM'] });
    assert.equal(bad.status, 400);
    assert.match(String(bad.json.error), /unknown scene PALM/);
    assert.equal((await admin(gw, 'PATCH', `/admin/apps/${app.appId}`, { products: [''] })).status, 400);
  });
});
