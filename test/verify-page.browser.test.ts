import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlipaySdk } from 'alipay-sdk';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/browser.js';
import { needChromium } from './support/requirements.js';
import { seedInitializeBiz, useGateway } from './support/harness.js';
import { verifyOutcome } from './support/outcome.js';
import { startReturnServer } from './support/return-server.js';
import { decodeQrPng, riskBiz } from './support/risk.js';

/** A person in Chromium: SDK pageExecute URL → hosted page → pass or fail → merchant's return_url. */
describe('hosted verification page in Chromium', { skip: await needChromium() }, () => {
  const ctx = useGateway();
  let browser: Browser;
  let merchant: Awaited<ReturnType<typeof startReturnServer>>;

  before(async () => {
    browser = await launchChromium();
    merchant = await startReturnServer();
  });
  after(async () => {
    await browser?.close();
    await merchant?.close();
  });

  async function certifyUrl(method: 'GET' | 'POST'): Promise<{ bizNo: string; entry: string; sdk: AlipaySdk }> {
    const { gw, app } = ctx;
    const sdk = gw.sdk(app);
    const init = await sdk.exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true });
    const bizNo = String(init.bizNo);
    const entry = sdk.pageExecute('zhima.customer.certification.certify', method, { bizContent: { biz_no: bizNo }, returnUrl: merchant.url });
    return { bizNo, entry, sdk };
  }

  for (const outcome of ['pass', 'fail'] as const) {
    test(`pageExecute GET URL → page → ${outcome} → signed return_url`, async () => {
      const { bizNo, entry, sdk } = await certifyUrl('GET');
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      try {
        await page.goto(entry);
        assert.match(page.url(), /\/verify\/[0-9a-f]{32}$/);
        assert.match(await page.locator('#app-name').innerText(), /^App \d+$/);
        const identity = await page.locator('dl').innerText();
        assert.ok(identity.includes('收*') && identity.includes('2601**********5964'), identity);
        assert.match(await page.locator('#steps').innerText(), /人脸识别/);
        if (outcome === 'pass') {
          await Promise.all([page.waitForURL(/\/alipay\/return/), page.click('#pass')]);
        } else {
          await page.selectOption('#reason', '人脸比对不一致');
          await Promise.all([page.waitForURL(/\/alipay\/return/), page.click('#fail')]);
        }
        assert.equal(await page.locator('#landed').innerText(), 'signed');
        const landed = new URL(page.url());
        assert.ok(verifyOutcome(landed.searchParams, ctx.gw.alipayPublicKey), 'outcome verifies with the platform public key');
        assert.ok(sdk.checkNotifySignV2(Object.fromEntries(landed.searchParams)), 'and with the SDK');
        const content = JSON.parse(landed.searchParams.get('biz_content')!);
        assert.deepEqual(content, outcome === 'pass' ? { biz_no: bizNo, passed: 'true' } : { biz_no: bizNo, passed: 'false', failed_reason: '人脸比对不一致' });
        const q = await sdk.exec('zhima.customer.certification.query', { bizContent: { biz_no: bizNo } }, { validateSign: true });
        assert.equal(q.passed, outcome === 'pass' ? 'true' : 'false');
        // Back to the page afterwards: a clear "finished" page, no second chance.
        await page.goBack();
        await page.goto(entry);
        assert.ok((await page.content()).includes('已完成认证'));
      } finally {
        await page.close();
      }
    });
  }

  for (const outcome of ['pass', 'fail'] as const) {
    test(`alipay.user.certify.open: pageExecute URL in Chromium → ${outcome} → merchant_config.return_url → query`, async () => {
      const sdk = ctx.gw.sdk(ctx.app);
      const init = await sdk.exec(
        'alipay.user.certify.open.initialize',
        {
          bizContent: {
            outer_order_no: `OC${Date.now()}${outcome}`,
            biz_code: 'FACE',
            identity_param: { identity_type: 'CERT_INFO', cert_type: 'IDENTITY_CARD', cert_name: '收委', cert_no: '260104197909275964' },
            merchant_config: { return_url: merchant.url },
          },
        },
        { validateSign: true },
      );
      const certifyId = String(init.certifyId);
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      try {
        await page.goto(sdk.pageExecute('alipay.user.certify.open.certify', 'GET', { bizContent: { certify_id: certifyId } }));
        assert.match(await page.locator('#product').innerText(), /支付宝身份验证/);
        if (outcome === 'pass') await Promise.all([page.waitForURL(/\/alipay\/return/), page.click('#pass')]);
        else {
          await page.selectOption('#reason', '活体检测未通过');
          await Promise.all([page.waitForURL(/\/alipay\/return/), page.click('#fail')]);
        }
        const landed = new URL(page.url());
        assert.ok(sdk.checkNotifySignV2(Object.fromEntries(landed.searchParams)), 'the SDK verifies the outcome');
        const q = await sdk.exec('alipay.user.certify.open.query', { bizContent: { certify_id: certifyId } }, { validateSign: true });
        assert.equal(q.passed, outcome === 'pass' ? 'T' : 'F');
      } finally {
        await page.close();
      }
    });
  }

  test('risk QRCODE: decode the QR image, open its URL, pass, land on call_back_url with a signed outcome', async () => {
    const { gw, app } = ctx;
    const biz = riskBiz({ bizId: `QR${Date.now()}`, callBackUrl: merchant.url });
    const r = await gw.call(app, 'alipay.security.risk.authentication.initialize', biz);
    const result = JSON.parse(String(r.node.biz_result));
    const png = Buffer.from(await (await fetch(result.qrcode.image_png)).arrayBuffer());
    const scanned = decodeQrPng(png);
    assert.equal(scanned, result.qrcode.content);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(scanned!);
      assert.match(await page.locator('#steps').innerText(), /扫码/);
      await Promise.all([page.waitForURL(/\/alipay\/return/), page.click('#pass')]);
      const landed = new URL(page.url());
      assert.ok(verifyOutcome(landed.searchParams, gw.alipayPublicKey));
      assert.deepEqual(JSON.parse(landed.searchParams.get('biz_content')!), { token_id: r.node.token_id, biz_id: result.biz_id, status: 'SUCCESS' });
    } finally {
      await page.close();
    }
  });

  test('pageExecute POST form auto-submits to the gateway and lands on the page', async () => {
    const { entry } = await certifyUrl('POST');
    const page = await browser.newPage();
    try {
      await page.setContent(entry);
      await page.waitForURL(/\/verify\/[0-9a-f]{32}$/);
      assert.ok(await page.locator('#pass').isVisible());
    } finally {
      await page.close();
    }
  });
});
