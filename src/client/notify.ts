import type { KeyObject } from 'node:crypto';
import { encodeText, formDecode, normalizeCharset } from './charset.js';
import { signContent, verifyBytesSync, type SignType } from './signature.js';

/**
 * Alipay-signed parameter sets (asynchronous notifications, return_url redirects),
 * docs/alipay-openapi-v2.md §8: "V1" drops `sign` and `sign_type`; some gateway messages are
 * signed "V2", keeping `sign_type`. Both are tried.
 */
export function verifySignedParams(
  params: Readonly<Record<string, string>>,
  publicKey: KeyObject,
  defaultSignType: SignType,
): { valid: boolean; signString?: string } {
  const sign = params.sign;
  if (!sign) return { valid: false };
  const signType: SignType = params.sign_type === 'RSA' ? 'RSA' : params.sign_type === 'RSA2' ? 'RSA2' : defaultSignType;
  const charset = normalizeCharset(params.charset);
  for (const exclude of [['sign', 'sign_type'], ['sign']]) {
    const content = signContent(params, exclude);
    if (verifyBytesSync(encodeText(content, charset), sign, publicKey, signType)) return { valid: true, signString: content };
  }
  return { valid: false };
}

/** A return_url's query as parameters, percent-escapes read in the charset it names. */
export function returnUrlParams(url: string): Record<string, string> {
  const q = url.indexOf('?');
  const query = q === -1 ? '' : url.slice(q + 1).replace(/#.*$/, '');
  return Object.fromEntries(formDecode(query));
}
