import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerApp } from './apps.js';
import { pemBody, toPkcs1PrivatePem } from './crypto/rsa.js';
import type { Services } from './services.js';

/** The ready-made app of `npm start`: fixed id, key pair kept in the data directory (development only). */
export const DEMO_APP_ID = '2021000000000001';

export interface DemoApp {
  appId: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

export async function ensureDemoApp(services: Services): Promise<DemoApp> {
  const file = join(services.config.dataDir, 'demo-app.json');
  if (existsSync(file) && (await services.store.getApp(DEMO_APP_ID))) return JSON.parse(readFileSync(file, 'utf8')) as DemoApp;
  const appId = (await services.store.getApp(DEMO_APP_ID)) ? undefined : DEMO_APP_ID;
  const { app, privateKeyPem } = await registerApp(services.store, { appId, name: 'aopgate demo app' }, services.clock());
  const demo: DemoApp = { appId: app.appId, privateKeyPem: privateKeyPem!, publicKeyPem: app.publicKeyPem! };
  writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return demo;
}

/** Prints ready-to-paste client configuration for the official SDKs. */
export function printDemoSnippets(demo: DemoApp, baseUrl: string, alipayPublicKeyPem: string): void {
  const gateway = `${baseUrl}/gateway.do`;
  const priv = pemBody(demo.privateKeyPem);
  // Java and Node take PKCS#8; the PHP and Python SDKs expect PKCS#1 (docs/alipay-openapi-v2.md §10).
  const privPkcs1 = pemBody(toPkcs1PrivatePem(demo.privateKeyPem));
  const pub = pemBody(alipayPublicKeyPem);
  const text = `
aopgate demo app ready — gateway ${gateway}
  app_id:             ${demo.appId}
  app private key:    (PKCS#8, Base64) ${priv}
  same key as PKCS#1: (Base64)         ${privPkcs1}
  alipay public key:  (SPKI, Base64)   ${pub}

── Node (alipay-sdk) ───────────────────────────────────────────
import { AlipaySdk } from 'alipay-sdk';
const alipay = new AlipaySdk({
  appId: '${demo.appId}',
  privateKey: '${priv}',
  keyType: 'PKCS8',
  alipayPublicKey: '${pub}',
  gateway: '${gateway}',
});
const res = await alipay.exec('zhima.customer.certification.initialize', { bizContent: {
  transaction_id: 'ZGYD201610252323000001234', product_code: 'w1010100000000002978', biz_code: 'FACE',
  identity_param: JSON.stringify({ identity_type: 'CERT_INFO', cert_type: 'IDENTITY_CARD', cert_name: '收委', cert_no: '260104197909275964' }),
} }, { validateSign: true });

── Java (alipay-sdk-java) ──────────────────────────────────────
AlipayClient client = new DefaultAlipayClient("${gateway}", "${demo.appId}",
    "${priv}", "json", "UTF-8",
    "${pub}", "RSA2");

── Python (alipay-sdk-python) ──────────────────────────────────
config = AlipayClientConfig()
config.server_url = "${gateway}"
config.app_id = "${demo.appId}"
config.app_private_key = "${privPkcs1}"
config.alipay_public_key = "${pub}"
client = DefaultAlipayClient(alipay_client_config=config)

── PHP (alipay-sdk-php, AopClient) ─────────────────────────────
$aop = new AopClient();
$aop->gatewayUrl = '${gateway}';
$aop->appId = '${demo.appId}';
$aop->rsaPrivateKey = '${privPkcs1}';
$aop->alipayrsaPublicKey = '${pub}';
$aop->signType = 'RSA2';
$aop->postCharset = 'UTF-8';
$aop->format = 'json';

── More ─────────────────────────────────────────────────────────
  console:  ${baseUrl}/console   (start with AOPGATE_ADMIN_TOKEN=… to enable it and /admin)
  v3:       ${baseUrl}/v3/zhima/customer/certification/initialize   (alipay-sdk: endpoint '${baseUrl}')
  metrics:  ${baseUrl}/metrics      ready: ${baseUrl}/readyz
`;
  process.stdout.write(text);
}
