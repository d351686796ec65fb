// A merchant's integration suite against aopgate, as the README's "Using aopgate in your CI" shows it.
// Start the gateway first:  AOPGATE_ADMIN_TOKEN=ci npx aopgate serve --seed examples/ci/aopgate.seed.json
// then:                     AOPGATE_ADMIN_TOKEN=ci node --test examples/ci/identity.test.mjs
import { after, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AlipaySdk } from 'alipay-sdk';

const GATEWAY = process.env.AOPGATE_URL ?? 'http://127.0.0.1:8080';
const APP_ID = '2021000000000042'; // fixed by the seed file, like the keys below
const key = (file) => readFileSync(new URL(`./keys/${file}`, import.meta.url), 'utf8');

const alipay = new AlipaySdk({
  appId: APP_ID,
  privateKey: key('app_private_key.pem'),
  keyType: 'PKCS8', // the key files here are PKCS#8 ("BEGIN PRIVATE KEY")
  alipayPublicKey: key('alipay_public_key.pem'),
  gateway: `${GATEWAY}/gateway.do`,
});

const admin = async (path, body) => {
  const res = await fetch(`${GATEWAY}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${process.env.AOPGATE_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  return res.json();
};

// Stands in for your application's notify handler: it must verify, and be idempotent.
const handled = new Map();
let deliveries = 0;
const notifyEndpoint = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const form = Object.fromEntries(new URLSearchParams(body));
    deliveries += 1;
    if (!alipay.checkNotifySignV2(form)) return res.end('fail');
    handled.set(form.notify_id, form); // a repeat of one notify_id changes nothing
    res.end('success');
  });
}).listen(Number(process.env.NOTIFY_PORT ?? 8181), '127.0.0.1');
after(() => notifyEndpoint.close());

const eventually = async (probe) => {
  for (let i = 0; i < 500; i++) {
    const value = probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('nothing arrived');
};

const initialize = () =>
  alipay.exec('zhima.customer.certification.initialize', {
    bizContent: {
      transaction_id: `T${Date.now()}${Math.floor(Math.random() * 1e6)}`,
      product_code: 'w1010100000000002978',
      biz_code: 'FACE',
      identity_param: { identity_type: 'CERT_INFO', cert_type: 'IDENTITY_CARD', cert_name: '收委', cert_no: '260104197909275964' },
    },
  });

// Every test starts from nothing: this app's sessions and notifications gone, the clock back to now.
beforeEach(async () => {
  await admin('/admin/reset', { app_id: APP_ID });
  await admin('/admin/clock', { reset: true });
  handled.clear();
  deliveries = 0;
});

test('a passed certification arrives as a signed notification, twice (duplicate drill), handled once', async () => {
  const { code, bizNo } = await initialize();
  assert.equal(code, '10000');
  await admin(`/admin/certifications/${bizNo}/complete`, { passed: true });
  const note = await eventually(() => [...handled.values()].find((n) => n.biz_no === bizNo));
  assert.equal(note.passed, 'true');
  await eventually(() => deliveries === 2);
  assert.equal(handled.size, 1);
  const query = await alipay.exec('zhima.customer.certification.query', { bizContent: { biz_no: bizNo } });
  assert.equal(query.passed, 'true');
});

test('an unfinished certification has expired 25 hours later', async () => {
  const { bizNo } = await initialize();
  await admin('/admin/clock', { advance: '25h' });
  const query = await alipay.exec('zhima.customer.certification.query', { bizContent: { biz_no: bizNo } });
  assert.equal(query.code, '10000');
  assert.equal(query.passed, 'false');
});
