import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AlipaySdk } from 'alipay-sdk';
import iconv from 'iconv-lite';
import { buildSignedParams, send, type TestApp } from './support/client.js';
import { seedInitializeBiz, startTestGateway, useGateway, type TestGateway } from './support/harness.js';
import { ADMIN_TOKEN, admin, advance } from './support/notify-flow.js';
import { readResponse } from './support/response.js';
import { REPO_ROOT } from './support/serve.js';

const run = promisify(execFile);
const INIT = 'zhima.customer.certification.initialize';
const DOWNLOAD = 'alipay.open.app.alipaycert.download';

interface CertFiles {
  app_cert_sn: string;
  alipay_cert_sn: string;
  alipay_root_cert_sn: string;
  app_cert_path: string;
  alipay_public_cert_path: string;
  alipay_root_cert_path: string;
}

/** `aopgate apps cert` as a merchant runs it: the three files and their SNs. */
async function certFiles(gw: TestGateway, app: TestApp): Promise<CertFiles> {
  const out = mkdtempSync(join(tmpdir(), 'aopgate-certs-'));
  const { stdout } = await run(process.execPath, ['bin/aopgate.js', 'apps', 'cert', '--data', gw.dataDir, '--app-id', app.appId, '--out', out, '--json'], {
    cwd: REPO_ROOT,
  });
  return JSON.parse(stdout) as CertFiles;
}

const certSdk = (gw: TestGateway, app: TestApp, files: CertFiles) =>
  new AlipaySdk({
    appId: app.appId,
    privateKey: app.privateKeyPem,
    keyType: 'PKCS8',
    appCertPath: files.app_cert_path,
    alipayPublicCertPath: files.alipay_public_cert_path,
    alipayRootCertPath: files.alipay_root_cert_path,
    gateway: `${gw.url}/gateway.do`,
    endpoint: gw.url,
  });

describe('public-key-certificate mode', () => {
  const ctx = useGateway({ adminToken: ADMIN_TOKEN });

  test('apps cert writes the three files; the official SDK in certificate mode calls with validateSign', async () => {
    const app = await ctx.gw.createApp();
    const files = await certFiles(ctx.gw, app);
    assert.match(files.app_cert_path, new RegExp(`appCertPublicKey_${app.appId}\\.crt$`));
    assert.match(files.alipay_public_cert_path, /alipayCertPublicKey_RSA2\.crt$/);
    assert.match(files.alipay_root_cert_path, /alipayRootCert\.crt$/);
    const sdk = certSdk(ctx.gw, app, files);
    assert.deepEqual(
      [sdk.config.appCertSn, sdk.config.alipayCertSn, sdk.config.alipayRootCertSn],
      [files.app_cert_sn, files.alipay_cert_sn, files.alipay_root_cert_sn],
      'the SDK computes the SNs we print',
    );
    const res = await sdk.exec(INIT, { bizContent: seedInitializeBiz() }, { validateSign: true });
    assert.equal(res.code, '10000', JSON.stringify(res));
    const root = new X509Certificate(readFileSync(files.alipay_root_cert_path));
    assert.ok(new X509Certificate(readFileSync(files.alipay_public_cert_path)).verify(root.publicKey));
    assert.ok(new X509Certificate(readFileSync(files.app_cert_path)).verify(root.publicKey));
  });

  for (const charset of ['utf-8', 'GBK'])
    test(`answers carry alipay_cert_sn between the node and sign; errors of every SN check, signed (${charset})`, async () => {
      const { gw } = ctx;
      const app = await gw.createApp();
      const files = await certFiles(gw, app);
      const call = async (params: Record<string, string | undefined>) => {
        const res = await send(gw.url, buildSignedParams(app, INIT, seedInitializeBiz(), { params, charset }), { charset });
        const text = iconv.decode(res.body, charset);
        const read = readResponse(res.body, INIT, gw.alipayPublicKey, 'RSA2', charset);
        assert.ok(read.signatureValid, 'signed');
        return { text, node: read.node };
      };
      const good = await call({ app_cert_sn: files.app_cert_sn, alipay_root_cert_sn: files.alipay_root_cert_sn });
      assert.equal(good.node.code, '10000');
      assert.match(good.text, new RegExp(`\\},"alipay_cert_sn":"${files.alipay_cert_sn}","sign":"`));
      const plain = await call({});
      assert.ok(!plain.text.includes('alipay_cert_sn'), 'public-key mode answers carry no SN');
      const cases: Array<[Record<string, string>, string, string]> = [
        [{ alipay_root_cert_sn: files.alipay_root_cert_sn }, '40001', 'isv.missing-app-cert-sn'],
        [{ app_cert_sn: files.app_cert_sn }, '40001', 'isv.missing-alipay-root-cert-sn'],
        [{ app_cert_sn: '0'.repeat(32), alipay_root_cert_sn: files.alipay_root_cert_sn }, '40002', 'isv.app-cert-not-exist'],
        [{ app_cert_sn: files.app_cert_sn, alipay_root_cert_sn: '687b59193f3f462dd5336e5abf83c5d8' }, '40002', 'isv.invalid-alipay-root-cert-sn'],
      ];
      for (const [params, code, subCode] of cases) {
        const r = await call(params);
        assert.deepEqual([r.node.code, r.node.sub_code], [code, subCode], JSON.stringify(params));
        assert.ok(r.text.includes(`"alipay_cert_sn":"${files.alipay_cert_sn}"`));
      }
      const bundle = `${'687b59193f3f462dd5336e5abf83c5d8'}_${files.alipay_root_cert_sn}`;
      assert.equal((await call({ app_cert_sn: files.app_cert_sn, alipay_root_cert_sn: bundle })).node.code, '10000', 'our root anywhere in the bundle');
      const other = await gw.createApp();
      const theirs = await certFiles(gw, other);
      assert.equal(
        (await call({ app_cert_sn: theirs.app_cert_sn, alipay_root_cert_sn: files.alipay_root_cert_sn })).node.sub_code,
        'isv.app-cert-not-exist',
        "another app's certificate",
      );
      await advance(gw, '1900d');
      try {
        assert.equal((await call({ app_cert_sn: files.app_cert_sn, alipay_root_cert_sn: files.alipay_root_cert_sn })).node.sub_code, 'isv.app-cert-expired');
      } finally {
        await admin(gw, 'POST', '/admin/clock', { reset: true });
      }
    });

  test('alipay.open.app.alipaycert.download: the chain by SN; after a key rotation the old one still downloads', async () => {
    const gw = await startTestGateway({ adminToken: ADMIN_TOKEN });
    const app = await gw.createApp();
    const files = await certFiles(gw, app);
    const download = async (g: TestGateway, sn: string) => (await g.call(app, DOWNLOAD, { alipay_cert_sn: sn })).node;
    const first = await download(gw, files.alipay_cert_sn);
    assert.equal(Buffer.from(String(first.alipay_cert_content), 'base64').toString('utf8'), readFileSync(files.alipay_public_cert_path, 'utf8'));
    await gw.close();
    const rotated = await run(process.execPath, ['bin/aopgate.js', 'platform', 'rotate-key', '--data', gw.dataDir, '--json'], { cwd: REPO_ROOT });
    const { alipay_cert_sn: newSn, previous_alipay_cert_sn: oldSn } = JSON.parse(rotated.stdout);
    assert.equal(oldSn, files.alipay_cert_sn);
    assert.notEqual(newSn, oldSn);
    const again = await startTestGateway({ dataDir: gw.dataDir, adminToken: ADMIN_TOKEN });
    try {
      assert.equal(again.services.platform.certSn, newSn);
      const fresh = await download(again, newSn);
      const pem = Buffer.from(String(fresh.alipay_cert_content), 'base64').toString('utf8');
      const root = new X509Certificate(readFileSync(files.alipay_root_cert_path));
      assert.ok(new X509Certificate(pem).verify(root.publicKey), 'the new certificate chains to the same root');
      assert.equal(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'pem' }), again.alipayPublicKey, 'and certifies the new key');
      const old = await download(again, oldSn);
      assert.equal(old.code, '10000', 'the former certificate stays downloadable');
      assert.equal((await download(again, 'f'.repeat(32))).sub_code, 'CERT_NOT_EXIST');
    } finally {
      await again.stop();
    }
  });
});

describe('certificate mode over OpenAPI v3', () => {
  const ctx = useGateway({ adminToken: ADMIN_TOKEN });

  test("the official SDK's curl() in certificate mode: app_cert_sn in Authorization, alipay-sn checked", async () => {
    const app = await ctx.gw.createApp();
    const files = await certFiles(ctx.gw, app);
    const res = await certSdk(ctx.gw, app, files).curl<{ biz_no: string }>('POST', '/v3/zhima/customer/certification/initialize', {
      body: seedInitializeBiz(),
    });
    assert.equal(res.responseHttpStatus, 200);
    assert.match(res.data.biz_no, /\w+/);
  });
});
