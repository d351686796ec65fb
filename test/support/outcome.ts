import { verify } from 'node:crypto';
import { publicKeyFrom } from './response.js';

/**
 * Verifies a signed outcome (return_url parameters) the way merchants verify notifications:
 * V1 content (no sign, no sign_type, no empty values, sorted k=v&…), platform public key.
 */
export function verifyOutcome(params: URLSearchParams, platformKey: string): boolean {
  const all = Object.fromEntries(params);
  const content = Object.keys(all)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && all[k] !== '')
    .sort()
    .map((k) => `${k}=${all[k]}`)
    .join('&');
  const alg = all.sign_type === 'RSA' ? 'sha1' : 'sha256';
  return verify(alg, Buffer.from(content, 'utf8'), publicKeyFrom(platformKey), Buffer.from(all.sign ?? '', 'base64'));
}
