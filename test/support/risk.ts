import { PNG } from 'pngjs';
import { createRequire } from 'node:module';
import { seedDocument } from './fixtures.js';

// jsqr is CommonJS with a default-export typing; require() gives the function itself.
const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;

/** The seed document's own example request, so the test sends exactly what the document shows. */
export function seedRiskBizContent(): string {
  return seedDocument('alipay.security.risk.authentication.initialize').example_biz_content;
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
