import type { KeyObject } from 'node:crypto';
import { aesEncrypt } from '../crypto/aes.js';
import { encodeText, type Charset } from './charset.js';
import { signBytes, signContent, type SignType } from './signature.js';
import type { CallOptions } from './types.js';

export interface V2Signer {
  appId: string;
  privateKey: KeyObject;
  signType: SignType;
  charset: Charset;
  aesKey?: string | undefined;
  certSns?: { appCertSn: string; alipayRootCertSn: string } | undefined;
  onSign: (signString: string) => void;
}

/** `yyyy-MM-dd HH:mm:ss` in China Standard Time, the timestamp the gateway checks. */
export function chinaTimestamp(now = Date.now()): string {
  const iso = new Date(now + 8 * 3_600_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/**
 * Every common parameter plus `biz_content` (encrypted first when asked: the signature covers
 * the ciphertext, §4), signed over the bytes of the string-to-sign in the request charset.
 */
export async function signedParams(s: V2Signer, method: string, request: unknown, options: CallOptions): Promise<Record<string, string>> {
  const bizText = JSON.stringify(request ?? {});
  if (options.encrypt && !s.aesKey) throw new Error('encrypt: true needs the aesKey option');
  const params: Record<string, string> = {
    app_id: s.appId,
    method,
    format: 'JSON',
    charset: s.charset,
    sign_type: s.signType,
    timestamp: chinaTimestamp(),
    version: '1.0',
    biz_content: options.encrypt ? aesEncrypt(encodeText(bizText, s.charset), s.aesKey!) : bizText,
  };
  if (options.encrypt) params.encrypt_type = 'AES';
  if (options.notifyUrl) params.notify_url = options.notifyUrl;
  if (options.returnUrl) params.return_url = options.returnUrl;
  if (options.appAuthToken) params.app_auth_token = options.appAuthToken;
  if (s.certSns) {
    params.app_cert_sn = s.certSns.appCertSn;
    params.alipay_root_cert_sn = s.certSns.alipayRootCertSn;
  }
  const content = signContent(params);
  s.onSign(content);
  params.sign = await signBytes(encodeText(content, s.charset), s.privateKey, s.signType);
  return params;
}
