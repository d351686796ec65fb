import { randomUUID, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { aesDecrypt, aesEncrypt } from '../crypto/aes.js';
import { AopError, ClientCodes, fail, ok, type Result } from './errors.js';
import { headerValue, type HttpCall } from './http.js';
import { signBytes, verifyBytes } from './signature.js';
import type { CallOptions } from './types.js';

/**
 * OpenAPI v3 framing (docs/alipay-openapi-v2.md §9; the server side is src/protocol/v3/):
 * JSON body, `Authorization: ALIPAY-SHA256withRSA …,sign=…` over
 * `authString\nPOST\npath?query\nbody\n[app_auth_token\n]`, answers signed in headers.
 */
export interface V3Signer {
  appId: string;
  privateKey: KeyObject;
  aesKey?: string | undefined;
  certSns?: { appCertSn: string; alipayRootCertSn: string } | undefined;
  timeoutMs: number;
  onSign: (signString: string) => void;
}

/** `alipay.user.certify.open.query` → `<endpoint>/v3/alipay/user/certify/open/query`. */
export function v3Url(endpoint: string, method: string): URL {
  const base = new URL(endpoint);
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${prefix}/v3/${method.split('.').join('/')}`, base);
}

/** Body-level parameters the v3 gateway reads next to the biz fields. */
function bodyOf(request: unknown, options: CallOptions): string {
  const fields = { ...(request as Record<string, unknown> | undefined) };
  if (options.notifyUrl) fields.notify_url = options.notifyUrl;
  if (options.returnUrl) fields.return_url = options.returnUrl;
  return JSON.stringify(fields);
}

export async function v3Request(s: V3Signer, endpoint: string, method: string, request: unknown, options: CallOptions): Promise<HttpCall> {
  const url = v3Url(endpoint, method);
  if (options.encrypt && !s.aesKey) throw new Error('encrypt: true needs the aesKey option');
  const json = bodyOf(request, options);
  const bodyText = options.encrypt ? aesEncrypt(Buffer.from(json, 'utf8'), s.aesKey!) : json;
  let authString = `app_id=${s.appId}`;
  if (s.certSns) authString += `,app_cert_sn=${s.certSns.appCertSn}`;
  authString += `,nonce=${randomUUID()},timestamp=${Date.now()}`;
  let signString = `${authString}\nPOST\n${url.pathname}${url.search}\n${bodyText}\n`;
  if (options.appAuthToken) signString += `${options.appAuthToken}\n`;
  s.onSign(signString);
  const sign = await signBytes(Buffer.from(signString, 'utf8'), s.privateKey, 'RSA2');
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': options.encrypt ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8',
    'alipay-request-id': randomUUID().replace(/-/g, ''),
    authorization: `ALIPAY-SHA256withRSA ${authString},sign=${sign}`,
  };
  if (options.encrypt) {
    headers['alipay-encrypt-type'] = 'AES';
    headers['alipay-encryption-algm'] = 'AES';
  }
  if (options.appAuthToken) headers['alipay-app-auth-token'] = options.appAuthToken;
  if (s.certSns) headers['alipay-root-cert-sn'] = s.certSns.alipayRootCertSn;
  return { url, method: 'POST', headers, body: Buffer.from(bodyText, 'utf8'), timeoutMs: s.timeoutMs };
}

export interface V3ResponseCheck {
  method: string;
  publicKey: KeyObject;
  aesKey?: string | undefined;
  alipayCertSn?: string | undefined;
}

/** `timestamp\nnonce\nbody\n` — the body spliced in as the raw bytes received. */
export const v3ResponseSignContent = (timestamp: string, nonce: string, body: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`, 'utf8'), body, Buffer.from('\n', 'utf8')]);

/** Verify the headers' signature over the raw body, then decrypt, then read success or failure. */
export async function openV3Response(
  status: number,
  headers: IncomingHttpHeaders,
  body: Buffer,
  check: V3ResponseCheck,
): Promise<Result<Record<string, unknown>>> {
  const traceId = headerValue(headers, 'alipay-trace-id');
  const bad = (why: string) => new AopError(`${check.method}: ${why}`, { code: ClientCodes.signatureInvalid, traceId, httpStatus: status });
  const signature = headerValue(headers, 'alipay-signature');
  const timestamp = headerValue(headers, 'alipay-timestamp');
  const nonce = headerValue(headers, 'alipay-nonce');
  if (!signature || !timestamp || !nonce) {
    // Unsigned failures exist (an unknown app cannot be signed for); an unsigned success never.
    return status === 200 ? fail(bad('the answer is not signed')) : fail(v3Failure(status, body, check.method, traceId));
  }
  const sn = headerValue(headers, 'alipay-sn');
  if (check.alipayCertSn !== undefined && sn !== undefined && sn !== check.alipayCertSn)
    return fail(bad(`signed by certificate ${sn}, expected ${check.alipayCertSn}`));
  if (!(await verifyBytes(v3ResponseSignContent(timestamp, nonce, body), signature, check.publicKey, 'RSA2')))
    return fail(bad('response signature does not verify'));
  if (status !== 200) return fail(v3Failure(status, body, check.method, traceId));
  let text = body.toString('utf8');
  if (headerValue(headers, 'alipay-encrypt-type') !== undefined) {
    const plain = check.aesKey ? aesDecrypt(text, check.aesKey) : undefined;
    if (!plain) return fail(new AopError(`${check.method}: the answer does not decrypt`, { code: ClientCodes.decryptionFailed, traceId, httpStatus: status }));
    text = plain.toString('utf8');
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    // v3 answers carry no code/msg head: restore v2's, so both protocols return the same typed node.
    return ok({ code: '10000', msg: 'Success', ...(value as Record<string, unknown>) });
  } catch {
    return fail(new AopError(`${check.method}: the answer is not a JSON object`, { code: ClientCodes.invalidResponse, traceId, httpStatus: status }));
  }
}

/** `{"code":"<kebab or sub_code>","message":"…"}` at 4xx/5xx; the code is both `code` and `subCode` (v3 has one level). */
function v3Failure(status: number, body: Buffer, method: string, traceId: string | undefined): AopError {
  let code = `HTTP_${status}`;
  let message: string | undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { code?: unknown; message?: unknown };
    if (typeof parsed.code === 'string') code = parsed.code;
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    message = body.subarray(0, 200).toString('utf8');
  }
  return new AopError(`${method}: HTTP ${status} ${code}${message ? ` (${message})` : ''}`, {
    code,
    subCode: code,
    subMsg: message,
    traceId,
    httpStatus: status,
  });
}
