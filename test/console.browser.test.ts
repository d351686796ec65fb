import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { generateRsaKeyPair } from '../src/crypto/rsa.js';
import { launchChromium } from './support/browser.js';
import type { TestApp } from './support/client.js';
import { seedInitializeBiz, startTestGateway, type TestGateway } from './support/harness.js';
import { startNotifyReceiver } from './support/notify-receiver.js';
import { needChromium } from './support/requirements.js';
import { officialSdk } from './support/sdk.js';

const TOKEN = 'x';
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const SCREENSHOTS = process.env.AOPGATE_SCREENSHOTS_DIR ?? mkdtempSync(join(tmpdir(), 'aopgate-console-shots-'));
const INITIALIZE = 'zhima.customer.certification.initialize';

/**
 * Data arrives asynchronously (the journal flushes in batches, notifications are delivered by a
 * worker): press the view's own button until `target` shows up. A hang guard, not a timing.
 */
async function refreshUntil(page: Page, button: string, target: Locator, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    await page.click(button);
    try {
      await target.first().waitFor({ state: 'visible', timeout: 400 });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`the console never showed ${what}`);
    }
  }
}

async function openTab(page: Page, tab: string): Promise<void> {
  await page.click(`#tabs a[data-tab="${tab}"]`);
  await page.locator(`#view-${tab}`).waitFor({ state: 'visible' });
}

/** Operator work through the console in Chromium, against a real gateway and a real merchant endpoint. */
describe('browser console in Chromium', { skip: await needChromium() }, () => {
  let gw: TestGateway;
  let browser: Browser;
  let page: Page;
  let receiver: Awaited<ReturnType<typeof startNotifyReceiver>>;
  let app: TestApp;
  let bizNo: string;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    gw = await startTestGateway({ adminToken: TOKEN });
    receiver = await startNotifyReceiver();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await receiver?.close();
    await gw?.stop();
  });

  test('a wrong token is refused; the right one signs in', async () => {
    await page.goto(`${gw.url}/console`);
    await page.fill('#token', 'not-the-token');
    await page.click('#login-form button[type=submit]');
    await page.locator('#login-error').waitFor({ state: 'visible' });
    assert.match(await page.locator('#login-error').innerText(), /Wrong token.*401/);
    assert.equal(await page.locator('#tabs').isVisible(), false);

    await page.fill('#token', TOKEN);
    await page.click('#login-form button[type=submit]');
    await page.locator('#tabs').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('aopgate.console.token')), TOKEN);
  });

  test('create an app: its private key is shown once; a hostile name is shown as text', async () => {
    await openTab(page, 'apps');
    await page.click('#create-app-box summary');
    await page.fill('#create-app [name=name]', HOSTILE_NAME);
    await page.click('#create-app button[type=submit]');
    await page.locator('#created-app').waitFor({ state: 'visible' });
    const appId = (await page.locator('#created-app-id').textContent()) ?? '';
    const privateKeyPem = await page.inputValue('#created-key');
    assert.match(appId, /^\d+$/);
    assert.match(privateKeyPem, /-----BEGIN PRIVATE KEY-----/);
    assert.match(await page.locator('#created-app').innerText(), /does not store it/);
    app = { appId, privateKeyPem, signType: 'RSA2' };

    const name = page.locator(`article[data-app-id="${appId}"] .app-name`);
    await name.waitFor();
    assert.equal(await name.textContent(), HOSTILE_NAME);
    assert.equal(await page.locator('img').count(), 0);
    assert.deepEqual(dialogs, []);

    await page.click('#dismiss-created');
    assert.equal(await page.inputValue('#created-key'), '', 'the key leaves the page once dismissed');
  });

  test('a real SDK call shows up in the Journal, with its details', async () => {
    const init = await officialSdk(gw.url, app, gw.alipayPublicKey).exec(INITIALIZE, { bizContent: seedInitializeBiz() });
    assert.equal(init.code, '10000', JSON.stringify(init));
    bizNo = String(init.bizNo);

    await openTab(page, 'journal');
    await page.fill('#journal-filter [name=app_id]', app.appId);
    const row = page.locator('#journal-list tr[data-trace]', { hasText: INITIALIZE });
    await refreshUntil(page, '#journal-filter button[type=submit]', row, 'the initialize call');
    await row.first().click();
    const detail = page.locator('#journal-detail');
    await detail.waitFor({ state: 'visible' });
    const text = await detail.innerText();
    assert.ok(text.includes(INITIALIZE) && text.includes('10000') && text.includes(app.appId), text);
    assert.equal(await page.locator('#diagnosis').count(), 0, 'no diagnosis for a good signature');
  });

  test('a call signed with the wrong key: the Journal shows the string to sign and the signature diagnosis', async () => {
    const stranger = await generateRsaKeyPair();
    const bad = await officialSdk(gw.url, { ...app, privateKeyPem: stranger.privateKeyPem }, gw.alipayPublicKey)
      .exec(INITIALIZE, { bizContent: seedInitializeBiz() })
      .catch((e: unknown) => ({ error: e }));
    assert.equal((bad as { subCode?: string }).subCode, 'isv.invalid-signature', JSON.stringify(bad));

    await page.fill('#journal-filter [name=sub_code]', 'isv.invalid-signature');
    const row = page.locator('#journal-list tr[data-trace].bad');
    await refreshUntil(page, '#journal-filter button[type=submit]', row, 'the invalid-signature call');
    await row.first().click();
    const diagnosis = page.locator('#diagnosis');
    await diagnosis.waitFor({ state: 'visible' });
    assert.match(await diagnosis.innerText(), /Signature diagnosis/);
    assert.match(await diagnosis.innerText(), /wrong-key/);
    const stringToSign = (await page.locator('#string-to-sign').textContent()) ?? '';
    assert.ok(stringToSign.includes(`app_id=${app.appId}`) && stringToSign.includes(`method=${INITIALIZE}`), stringToSign);
    assert.match(await page.locator('#journal-detail').innerText(), /Request parameters/);
  });

  test('Faults: a bad rule shows the error; a rule for the app answers 20000 and is removed from the UI', async () => {
    await openTab(page, 'faults');
    await page.fill('#add-fault [name=probability]', '0'); // passes the form's own checks; the gateway wants (0, 1]
    await page.click('#add-fault button[type=submit]');
    await page.locator('#add-fault-error').waitFor({ state: 'visible' });
    assert.match(await page.locator('#add-fault-error').innerText(), /probability/);

    await page.fill('#add-fault [name=probability]', '');
    await page.fill('#add-fault [name=app_id]', app.appId);
    await page.fill('#add-fault [name=method]', INITIALIZE);
    await page.click('#add-fault button[type=submit]');
    const rule = page.locator('#faults-list tr[data-fault-id]', { hasText: app.appId });
    await rule.waitFor();
    assert.equal(await page.locator('#add-fault-error').isVisible(), false);

    const faulted = await officialSdk(gw.url, app, gw.alipayPublicKey).exec(INITIALIZE, { bizContent: seedInitializeBiz() });
    assert.equal(faulted.code, '20000', JSON.stringify(faulted));

    await rule.locator('button.remove').click();
    await page.locator('#faults-list tr[data-fault-id]').first().waitFor({ state: 'detached' });
    const listed = (await (await fetch(`${gw.url}/admin/faults`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { faults: unknown[] };
    assert.deepEqual(listed.faults, []);
  });

  test('notify URL set in the UI; "Pass" in Sessions; DELIVERED in Notifications; "Resend" delivers again', async () => {
    await openTab(page, 'apps');
    const card = page.locator(`article[data-app-id="${app.appId}"]`);
    await card.locator('input[name=notify_url]').fill(receiver.url);
    await card.locator('button[type=submit]').click();
    await card.getByText('Saved').waitFor();

    await openTab(page, 'sessions');
    await page.fill('#sessions-filter [name=app_id]', app.appId);
    await page.click('#sessions-filter button[type=submit]');
    const session = page.locator(`#sessions-list tr[data-session-id="${bizNo}"]`);
    await session.locator('button.pass').click();
    await session.getByText('PASSED', { exact: true }).waitFor();
    assert.match(await session.innerText(), /INIT[\s\S]*PASSED/, 'the history lists the transitions');
    await receiver.waitFor(1);

    await openTab(page, 'notifications');
    await page.fill('#notifications-filter [name=app_id]', app.appId);
    const delivered = page.locator('#notifications-list article .notify-status', { hasText: 'DELIVERED' });
    await refreshUntil(page, '#notifications-filter button[type=submit]', delivered, 'a DELIVERED notification');
    await page.locator('#notifications-list article button.resend').first().click();
    const received = await receiver.waitFor(2);
    assert.equal(received[1]!.form.notify_id, received[0]!.form.notify_id, 'the same notification, sent again');
    assert.equal(received[1]!.form.biz_no ?? JSON.parse(received[1]!.form.biz_content ?? '{}').biz_no, bizNo);
    const twoAttempts = page.locator('#notifications-list article', { hasText: '2 of' });
    await refreshUntil(page, '#notifications-filter button[type=submit]', twoAttempts, 'two attempts');
  });

  test('screenshots: Journal with the diagnosis open, and Notifications, on a phone and a desktop', async () => {
    for (const [label, viewport] of [
      ['phone', { width: 390, height: 844 }],
      ['desktop', { width: 1280, height: 800 }],
    ] as const) {
      await page.setViewportSize(viewport);
      await openTab(page, 'journal');
      await page.fill('#journal-filter [name=sub_code]', 'isv.invalid-signature');
      await page.click('#journal-filter button[type=submit]');
      await page.locator('#journal-list tr[data-trace].bad').first().click();
      await page.locator('#diagnosis').waitFor({ state: 'visible' });
      await page.screenshot({ path: join(SCREENSHOTS, `console-journal-${label}.png`) });
      await openTab(page, 'notifications');
      await page.locator('#notifications-list article').first().waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SCREENSHOTS, `console-notifications-${label}.png`) });
    }
    assert.deepEqual(pageErrors, [], 'no script error and no CSP violation');
    assert.deepEqual(dialogs, []);
  });

  test('log out forgets the token', async () => {
    await page.click('#logout');
    await page.locator('#login').waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('aopgate.console.token')), null);
    await page.reload();
    assert.equal(await page.locator('#login').isVisible(), true);
  });

  test('a gateway without AOPGATE_ADMIN_TOKEN: the console says how to turn the admin API on', async () => {
    const bare = await startTestGateway();
    const other = await browser.newPage();
    try {
      await other.goto(`${bare.url}/console`);
      await other.fill('#token', 'anything');
      await other.click('#login-form button[type=submit]');
      await other.locator('#login-error').waitFor({ state: 'visible' });
      assert.match(await other.locator('#login-error').innerText(), /set AOPGATE_ADMIN_TOKEN/);
    } finally {
      await other.close();
      await bare.stop();
    }
  });
});
