import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { createRequire } from 'node:module';

// jsqr is CommonJS with a default-export typing; require() gives the function itself.
const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;

/**
 * The seed's own example request, read out of the Java sample in
 * shared/seeds/alipay.security.risk.authentication.initialize.txt (string literals joined, Java
 * escapes undone), so the test sends exactly what the document shows.
 */
export function seedRiskBizContent(): string {
  const text = readFileSync(new URL('../../../shared/seeds/alipay.security.risk.authentication.initialize.txt', import.meta.url), 'utf8');
  const start = text.indexOf('request.setBizContent(');
  const end = text.indexOf('");', start);
  const literals = [...text.slice(start, end + 2).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
  return literals.join('');
}

export function riskBiz(over: { bizId?: string; certNo?: string; verifyType?: string; qrSeconds?: number; callBackUrl?: string } = {}) {
  const biz = JSON.parse(seedRiskBizContent());
  const info = biz.authentication_info;
  if (over.bizId) info.biz_id = over.bizId;
  if (over.certNo) info.principal_info.operator_cert_no = over.certNo;
  if (over.callBackUrl !== undefined) info.authentication_scene.scene_params = JSON.stringify({ call_back_url: over.callBackUrl });
  if (over.verifyType || over.qrSeconds) {
    info.extend_info = JSON.stringify({ verify_type: over.verifyType ?? 'QRCODE', ...(over.qrSeconds ? { qrcode_expired_time: over.qrSeconds } : {}) });
  }
  return biz;
}

export function decodeQrPng(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}
