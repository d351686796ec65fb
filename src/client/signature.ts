import { sign as rsaSign, verify as rsaVerify, type KeyObject } from 'node:crypto';

export type SignType = 'RSA2' | 'RSA';

const DIGEST: Record<SignType, string> = { RSA2: 'sha256', RSA: 'sha1' };

/**
 * RSA PKCS#1 v1.5 on the libuv thread pool (the callback form): concurrent calls sign in
 * parallel instead of queueing on the event loop.
 */
export function signBytes(data: Buffer, key: KeyObject, type: SignType): Promise<string> {
  return new Promise((resolve, reject) => {
    rsaSign(DIGEST[type], data, key, (error, signature) => (error ? reject(error) : resolve(signature.toString('base64'))));
  });
}

export function verifyBytes(data: Buffer, signatureBase64: string, key: KeyObject, type: SignType): Promise<boolean> {
  return new Promise((resolve) => {
    rsaVerify(DIGEST[type], data, key, Buffer.from(signatureBase64, 'base64'), (error, valid) => resolve(!error && valid));
  });
}

/** Synchronous form, for the boolean notification helpers. */
export function verifyBytesSync(data: Buffer, signatureBase64: string, key: KeyObject, type: SignType): boolean {
  try {
    return rsaVerify(DIGEST[type], data, key, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

/**
 * The v2 string-to-sign (docs/alipay-openapi-v2.md §1.3): every parameter but `sign` (and any
 * in `exclude`), empty values dropped, keys sorted, `k=v` joined with `&`, values raw.
 */
export function signContent(params: Readonly<Record<string, string | undefined>>, exclude: readonly string[] = ['sign']): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && (params[k] ?? '').trim() !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}
