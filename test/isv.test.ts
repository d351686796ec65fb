import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { issueCode, issueToken } from '../src/domain/app-auth.js';
import type { TestApp } from './support/client.js';
import { seedInitializeBiz, useGateway, type TestGateway } from './support/harness.js';
import { startNotifyReceiver } from './support/notify-receiver.js';
import { ADMIN_TOKEN, admin, advance } from './support/notify-flow.js';
import { REPO_ROOT } from './support/serve.js';

const INIT = 'zhima.customer.certification.initialize';
const QUERY = 'zhima.customer.certification.query';
const TOKEN_APP = 'alipay.open.auth.token.app';
const run = promisify(execFile);

/** An ISV app, a merchant app and a token from the merchant to the ISV. */
async function delegation(gw: TestGateway, merchantOver: Parameters<TestGateway['createApp']>[0] = {}, methods: string[] | null = null) {
  const isv = await gw.createApp();
  const merchant = await gw.createApp(merchantOver);
  const token = await issueToken(gw.services, isv.appId, merchant.appId, methods);
  return { isv, merchant, token };
}

const asIsv = (gw: TestGateway, isv: TestApp, token: string, method: string, biz: unknown) => gw.call(isv, method, biz, { params: { app_auth_token: token } });

describe('ISV delegation with app_auth_token', () => {
  const ctx = useGateway({ adminToken: ADMIN_TOKEN });

  test('the official SDK calls for the merchant: the session is the merchant’s, signed by the ISV', async () => {
    const { gw } = ctx;
    const { isv, merchant, token } = await delegation(gw);
    const sdk = gw.sdk(isv);
    const init = await sdk.exec(INIT, { bizContent: seedInitializeBiz(), appAuthToken: token.app_auth_token }, { validateSign: true });
    assert.equal(init.code, '10000', JSON.stringify(init));
    const mine = await gw.call(merchant, QUERY, { biz_no: init.bizNo });
    assert.equal(mine.node.code, '10000', 'the merchant sees its own session');
    const direct = await gw.call(isv, QUERY, { biz_no: init.bizNo });
    assert.equal(direct.node.sub_code, 'ILLEGAL_INVOKE', 'the ISV without a token does not');
    const viaToken = await sdk.exec(QUERY, { bizContent: { biz_no: init.bizNo }, appAuthToken: token.app_auth_token }, { validateSign: true });
    assert.equal(viaToken.code, '10000');
  });

  test("the merchant's contract applies, not the ISV's", async () => {
    const { gw } = ctx;
    const { isv, token } = await delegation(gw, { scenes: ['SMART_FACE'] });
    const r = await asIsv(gw, isv, token.app_auth_token, INIT, seedInitializeBiz());
    assert.equal(r.node.code, '40004', 'FACE is not in the merchant’s scenes');
    assert.ok(r.signatureValid);
  });

  for (const charset of ['utf-8', 'GBK'])
    test(`every aop.* failure (${charset}): unknown, another ISV’s, expired, method not authorised; not delegable; disabled merchant`, async () => {
      const { gw } = ctx;
      const { isv, merchant, token } = await delegation(gw, {}, [QUERY]);
      const expect = async (who: TestApp, t: string, method: string, biz: unknown, code: string, subCode: string) => {
        const r = await gw.call(who, method, biz, { params: { app_auth_token: t }, charset });
        assert.deepEqual([r.node.code, r.node.sub_code], [code, subCode], `${method} with ${t.slice(0, 8)}`);
        assert.ok(r.signatureValid, 'signed: the ISV is known');
      };
      await expect(isv, '201501BB00000000000000000000000000000000', QUERY, { biz_no: 'x' }, '20001', 'aop.invalid-app-auth-token');
      const other = await gw.createApp();
      await expect(other, token.app_auth_token, QUERY, { biz_no: 'x' }, '20001', 'aop.invalid-app-auth-token');
      await expect(isv, token.app_auth_token, INIT, seedInitializeBiz(), '20001', 'aop.invalid-app-auth-token-no-api');
      await expect(isv, token.app_auth_token, TOKEN_APP, { grant_type: 'refresh_token', refresh_token: 'x' }, '40002', 'isv.not-support-app-auth');
      const fine = await asIsv(gw, isv, token.app_auth_token, QUERY, { biz_no: 'x' });
      assert.equal(fine.node.sub_code, 'ILLEGAL_INVOKE', 'the authorised method runs (and finds no such biz_no)');
      await gw.services.store.updateApp(merchant.appId, { status: 'disabled' });
      await expect(isv, token.app_auth_token, QUERY, { biz_no: 'x' }, '20001', 'aop.invalid-app-auth-token');
      const late = await delegation(gw);
      await advance(gw, '366d');
      try {
        await expect(late.isv, late.token.app_auth_token, QUERY, { biz_no: 'x' }, '20001', 'aop.app-auth-token-time-out');
      } finally {
        await admin(gw, 'POST', '/admin/clock', { reset: true });
      }
    });

  test('a delegated session notifies with app_id = ISV and auth_app_id = merchant', async () => {
    const { gw } = ctx;
    const receiver = await startNotifyReceiver();
    try {
      const { isv, merchant, token } = await delegation(gw, { notifyUrl: receiver.url });
      const init = await asIsv(gw, isv, token.app_auth_token, INIT, seedInitializeBiz());
      await admin(gw, 'POST', `/admin/certifications/${init.node.biz_no}/complete`, { passed: true });
      const [n] = await receiver.waitFor(1);
      assert.deepEqual([n!.form.app_id, n!.form.auth_app_id], [isv.appId, merchant.appId]);
      assert.ok(gw.sdk(isv).checkNotifySignV2({ ...n!.form }));
    } finally {
      await receiver.close();
    }
  });
});

describe('alipay.open.auth.token.app', () => {
  const ctx = useGateway({ adminToken: ADMIN_TOKEN });

  test('authorization_code: exchanged once, by its ISV only; the token works', async () => {
    const { gw } = ctx;
    const isv = await gw.createApp();
    const merchant = await gw.createApp();
    const code = await issueCode(gw.services, isv.appId, merchant.appId, null);
    const stranger = await gw.createApp();
    const stolen = await gw.call(stranger, TOKEN_APP, { grant_type: 'authorization_code', code });
    assert.deepEqual([stolen.node.code, stolen.node.sub_code], ['40002', 'isv.code-invalid']);
    const sdk = gw.sdk(isv);
    const got = await sdk.exec(TOKEN_APP, { bizContent: { grant_type: 'authorization_code', code } }, { validateSign: true });
    assert.equal(got.code, '10000');
    assert.deepEqual([got.authAppId, got.expiresIn, got.reExpiresIn], [merchant.appId, 31536000, 32140800]);
    assert.match(got.appAuthToken, /^\d{6}BB[0-9a-f]{32}$/);
    assert.match(got.userId, /^2088\d{12}$/);
    assert.deepEqual(got.tokens[0].appAuthToken, got.appAuthToken);
    const again = await gw.call(isv, TOKEN_APP, { grant_type: 'authorization_code', code });
    assert.equal(again.node.sub_code, 'isv.code-invalid', 'one exchange per code');
    const use = await asIsv(gw, isv, got.appAuthToken, INIT, seedInitializeBiz());
    assert.equal(use.node.code, '10000');
  });

  test('refresh_token: a new token; the old one lasts 10 more minutes; a spent refresh token is refused', async () => {
    const { gw } = ctx;
    const { isv, token } = await delegation(gw);
    const fresh = await gw.call(isv, TOKEN_APP, { grant_type: 'refresh_token', refresh_token: token.app_refresh_token });
    assert.equal(fresh.node.code, '10000');
    assert.notEqual(fresh.node.app_auth_token, token.app_auth_token);
    const spent = await gw.call(isv, TOKEN_APP, { grant_type: 'refresh_token', refresh_token: token.app_refresh_token });
    assert.equal(spent.node.sub_code, 'isv.refreshed-token-invalid');
    const unknown = await gw.call(isv, TOKEN_APP, { grant_type: 'refresh_token', refresh_token: 'nope' });
    assert.equal(unknown.node.sub_code, 'isv.refresh-token-invalid');
    const missing = await gw.call(isv, TOKEN_APP, { grant_type: 'authorization_code' });
    assert.equal(missing.node.sub_code, 'isv.code-invalid');
    assert.equal((await asIsv(gw, isv, token.app_auth_token, QUERY, { biz_no: 'x' })).node.sub_code, 'ILLEGAL_INVOKE', 'old token in its grace');
    await advance(gw, '11m');
    try {
      assert.equal((await asIsv(gw, isv, token.app_auth_token, QUERY, { biz_no: 'x' })).node.sub_code, 'aop.app-auth-token-time-out');
      assert.equal((await asIsv(gw, isv, String(fresh.node.app_auth_token), QUERY, { biz_no: 'x' })).node.sub_code, 'ILLEGAL_INVOKE', 'the new one works');
    } finally {
      await admin(gw, 'POST', '/admin/clock', { reset: true });
    }
  });

  test('tokens are stored as keyed digests, never as themselves', async () => {
    const { gw } = ctx;
    const { token } = await delegation(gw);
    const { rawDb } = await import('./support/db.js');
    const rows = await rawDb(gw.services.store).selectFrom('app_auth_tokens').selectAll().execute();
    assert.ok(rows.length > 0);
    assert.ok(!JSON.stringify(rows).includes(token.app_auth_token) && !JSON.stringify(rows).includes(token.app_refresh_token));
  });

  test('aopgate auth grant --json prints the documented fields, and the token works', async () => {
    const { gw } = ctx;
    const isv = await gw.createApp();
    const merchant = await gw.createApp();
    const { stdout } = await run(
      process.execPath,
      ['bin/aopgate.js', 'auth', 'grant', '--data', gw.dataDir, '--isv', isv.appId, '--merchant', merchant.appId, '--json'],
      { cwd: REPO_ROOT },
    );
    const printed = JSON.parse(stdout);
    assert.deepEqual(Object.keys(printed).sort(), ['app_auth_token', 'app_refresh_token', 'auth_app_id', 'expires_in', 're_expires_in', 'user_id']);
    const r = await asIsv(gw, isv, printed.app_auth_token, INIT, seedInitializeBiz());
    assert.equal(r.node.code, '10000');
  });
});
