import { verify } from 'node:crypto';
import { v1SignContent } from './notify.js';
import { publicKeyFrom } from './response.js';

/**
 * Verifies a signed outcome (return_url parameters) the way merchants verify notifications:
 * V1 content (no sign, no sign_type, no empty values, sorted k=v&…), platform public key.
 */
export function verifyOutcome(params: URLSearchParams, platformKey: string): boolean {
  const all = Object.fromEntries(params);
  const alg = all.sign_type === 'RSA' ? 'sha1' : 'sha256';
  return verify(alg, Buffer.from(v1SignContent(all), 'utf8'), publicKeyFrom(platformKey), Buffer.from(all.sign ?? '', 'base64'));
}
