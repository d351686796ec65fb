import { createPublicKey } from 'node:crypto';
import { cachedPublicKey, verifyBase64, type SignType } from '../crypto/rsa.js';
import { encodeText, type Charset } from '../protocol/charset.js';
import { requestSignContent } from '../protocol/sign-content.js';

/** Why a signature did not verify, as far as the gateway can tell by trying what clients get wrong. */
export interface Diagnosis {
  cause: 'encoding' | 'sign-type' | 'sign-type-left-out' | 'unsigned-parameter' | 'url-encoded' | 'wrong-key';
  message: string;
}

interface Attempt {
  cause: Diagnosis['cause'];
  message: string;
  content: string;
  charset: Charset;
  signType: SignType;
}

export interface SignedRequest {
  params: ReadonlyMap<string, string>;
  charset: Charset;
  sign: string;
  signType: SignType;
  appPublicKeyPem: string;
  platformPublicKeyPem: string;
}

/**
 * Re-verifies the signature against the usual client mistakes, one at a time (each costs one RSA
 * verify, on the failure path only): the other charset, the other hash, sign_type left out (the
 * notification rule), a parameter sent but not signed, URL-encoded values — each with empty
 * parameters dropped (Java) and kept (the Node/PHP quirk, named in the message when it took part).
 * The first that verifies names the cause; none means the key pair does not match.
 */
export async function diagnoseSignature(r: SignedRequest): Promise<Diagnosis> {
  const key = cachedPublicKey(r.appPublicKeyPem);
  for (const attempt of attemptsFor(r)) {
    if (await verifyBase64(encodeText(attempt.content, attempt.charset), r.sign, key, attempt.signType))
      return { cause: attempt.cause, message: attempt.message };
  }
  return { cause: 'wrong-key', message: wrongKeyMessage(r) };
}

function* attemptsFor(r: SignedRequest): Generator<Attempt> {
  const { params, charset, signType } = r;
  const other: Charset = charset === 'utf-8' ? 'gbk' : 'utf-8';
  const otherType: SignType = signType === 'RSA2' ? 'RSA' : 'RSA2';
  for (const keepEmpty of [false, true]) {
    const content = requestSignContent(params, keepEmpty);
    const empties = keepEmpty ? emptyNote(params) : '';
    yield {
      cause: 'encoding',
      message: `the client signed the text as ${other} bytes but declared charset=${charset}${empties}`,
      content,
      charset: other,
      signType,
    };
    yield {
      cause: 'sign-type',
      message: `the client signed with ${otherType} (${otherType === 'RSA2' ? 'SHA256withRSA' : 'SHA1withRSA'}) but sent sign_type=${signType}${empties}`,
      content,
      charset,
      signType: otherType,
    };
    const withoutType = requestSignContent(without(params, 'sign_type'), keepEmpty);
    yield {
      cause: 'sign-type-left-out',
      message: `the client left sign_type out of the signed string (the notification rule); requests sign it${empties}`,
      content: withoutType,
      charset,
      signType,
    };
    for (const k of params.keys()) {
      if (k === 'sign' || k === 'sign_type') continue;
      yield {
        cause: 'unsigned-parameter',
        message: `parameter ${k} arrived but was not in the string the client signed: sign every parameter you send, or do not send it${empties}`,
        content: requestSignContent(without(params, k), keepEmpty),
        charset,
        signType,
      };
    }
    yield {
      cause: 'url-encoded',
      message: `the client signed URL-encoded values; sign the raw values${empties}`,
      content: urlEncodedContent(params, keepEmpty),
      charset,
      signType,
    };
  }
}

const without = (params: ReadonlyMap<string, string>, key: string) => new Map([...params].filter(([k]) => k !== key));

const hasEmpty = (params: ReadonlyMap<string, string>) => [...params].some(([k, v]) => k !== 'sign' && v.trim() === '');

/** The Node/PHP quirk: they sign the empty parameters Java leaves out (docs/alipay-openapi-v2.md §1.3). */
function emptyNote(params: ReadonlyMap<string, string>): string {
  const empty = [...params].filter(([k, v]) => k !== 'sign' && v.trim() === '').map(([k]) => k);
  return empty.length ? ` (and signed the empty parameters ${empty.join(', ')}, as the Node and PHP SDKs do)` : '';
}

function urlEncodedContent(params: ReadonlyMap<string, string>, keepEmpty: boolean): string {
  return requestSignContent(new Map([...params].map(([k, v]) => [k, k === 'sign' ? v : encodeURIComponent(v)])), keepEmpty);
}

function wrongKeyMessage(r: SignedRequest): string {
  const bits = createPublicKey(r.appPublicKeyPem).asymmetricKeyDetails?.modulusLength ?? 0;
  const sigBits = Buffer.from(r.sign, 'base64').length * 8;
  if (r.appPublicKeyPem.trim() === r.platformPublicKeyPem.trim())
    return "the app's registered public key is the Alipay (platform) public key: register the app's own public key";
  if (bits && sigBits && bits !== sigBits) return `the signature is ${sigBits} bits but the app's key is ${bits}: the client signs with a different key pair`;
  const empties = hasEmpty(r.params) ? ' Empty parameters were tried both left out (Java) and signed (Node, PHP).' : '';
  return `no variant verifies: the private key the client signs with does not belong to the public key registered for this app (or the client signed parameters it did not send).${empties}`;
}
