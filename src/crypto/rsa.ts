import { createPrivateKey, createPublicKey, generateKeyPair, sign, verify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

export type SignType = 'RSA2' | 'RSA';

/** RSA2 = SHA256withRSA, RSA = SHA1withRSA, both PKCS#1 v1.5 (docs/alipay-openapi-v2.md §1.3). */
const HASH: Record<SignType, string> = { RSA2: 'sha256', RSA: 'sha1' };

export const isSignType = (v: string): v is SignType => v === 'RSA2' || v === 'RSA';

/** RSA operations done by this process, read by the metrics (a plain tally: no cost on the hot path). */
export const rsaOperations = { sign: 0, verify: 0 };

/**
 * Signing and verifying run inline, on the event loop. Handing them to libuv's thread pool (the
 * callback form) costs two thread switches per operation on the core that also runs the event
 * loop, and bought no parallelism: `serve --workers` runs one process per core instead. Measured
 * with the server pinned to one core (bench/gateway.ts), the pool cost ~15 % more CPU per call.
 */
export async function signBase64(data: Buffer, key: KeyObject, type: SignType): Promise<string> {
  rsaOperations.sign++;
  return sign(HASH[type], data, key).toString('base64');
}

export async function verifyBase64(data: Buffer, signature: string, key: KeyObject, type: SignType): Promise<boolean> {
  const sig = Buffer.from(signature, 'base64');
  // A signature that does not even decode to the modulus length cannot verify; skip the work.
  if (sig.length === 0) return false;
  rsaOperations.verify++;
  try {
    return verify(HASH[type], data, key, sig);
  } catch {
    return false;
  }
}

/** Accepts a PEM (SPKI or PKCS#1) or the bare Base64 body merchants paste from the console. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----')) return createPublicKey(trimmed);
  const der = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64');
  return createPublicKey({ key: der, format: 'der', type: 'spki' });
}

export function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----')) return createPrivateKey(trimmed);
  const der = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64');
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

/** Key objects are parsed once per distinct PEM text; stores hand us the text on every lookup. */
function memoized(parse: (text: string) => KeyObject): (text: string) => KeyObject {
  const cache = new Map<string, KeyObject>();
  return (text) => {
    let key = cache.get(text);
    if (!key) {
      key = parse(text);
      cache.set(text, key);
    }
    return key;
  };
}

export const cachedPublicKey = memoized(parsePublicKey);
export const cachedPrivateKey = memoized(parsePrivateKey);

export interface RsaKeyPair {
  /** PKCS#8 PEM, what the Java and Node SDKs take. */
  privateKeyPem: string;
  /** SPKI PEM ("PUBLIC KEY"), what every SDK takes as the Alipay/app public key. */
  publicKeyPem: string;
}

const generateKeyPairAsync = promisify(generateKeyPair);

export async function generateRsaKeyPair(): Promise<RsaKeyPair> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** PEM body without armour or line breaks: the one-line form merchants paste into SDK configs. */
export function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}

/** PKCS#1 ("RSA PRIVATE KEY") PEM, what the PHP and Python SDKs expect. */
export function toPkcs1PrivatePem(pkcs8Pem: string): string {
  return parsePrivateKey(pkcs8Pem).export({ type: 'pkcs1', format: 'pem' }).toString();
}
