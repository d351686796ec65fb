import { createSign } from 'node:crypto';
import iconv from 'iconv-lite';

/**
 * A deliberately independent request signer (not the gateway's code): what an SDK does before
 * it sends. Values are signed raw, then form-encoded as bytes in the request charset.
 */
export function shanghaiNow(offsetMs = 0): string {
  const iso = new Date(Date.now() + offsetMs + 8 * 3600_000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

export function signContent(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k]!.trim() !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function signParams(params: Record<string, string>, privateKeyPem: string, signType: 'RSA2' | 'RSA' = 'RSA2', charset = 'utf-8'): string {
  const bytes = iconv.encode(signContent(params), charset);
  return createSign(signType === 'RSA2' ? 'RSA-SHA256' : 'RSA-SHA1')
    .update(bytes)
    .sign(privateKeyPem, 'base64');
}

/** `+` for space and %XX for every byte outside the unreserved set, like Java's URLEncoder. */
export function formEncode(params: Record<string, string>, charset = 'utf-8'): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeBytes(k, charset)}=${encodeBytes(v, charset)}`)
    .join('&');
}

function encodeBytes(text: string, charset: string): string {
  let out = '';
  for (const b of iconv.encode(text, charset)) {
    if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2e || b === 0x2d || b === 0x2a || b === 0x5f)
      out += String.fromCharCode(b);
    else if (b === 0x20) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export interface CallOptions {
  charset?: string;
  signType?: 'RSA2' | 'RSA';
  /** Extra or overriding common parameters; `undefined` removes one. */
  params?: Record<string, string | undefined>;
  /** Changes parameters after signing (tampering). */
  tamper?: Record<string, string>;
  via?: 'post' | 'get';
  headers?: Record<string, string>;
}

export interface TestApp {
  appId: string;
  privateKeyPem: string;
  signType: 'RSA2' | 'RSA';
}

/** Builds the common parameters the way the Java SDK does, signs them, and returns them. */
export function buildSignedParams(app: TestApp, method: string, bizContent: unknown, opts: CallOptions = {}): Record<string, string> {
  const charset = opts.charset ?? 'utf-8';
  const params: Record<string, string> = {
    app_id: app.appId,
    method,
    format: 'JSON',
    charset,
    sign_type: opts.signType ?? app.signType,
    timestamp: shanghaiNow(),
    version: '1.0',
  };
  if (bizContent !== undefined) params.biz_content = typeof bizContent === 'string' ? bizContent : JSON.stringify(bizContent);
  for (const [k, v] of Object.entries(opts.params ?? {})) {
    if (v === undefined) delete params[k];
    else params[k] = v;
  }
  params.sign = signParams(params, app.privateKeyPem, (params.sign_type as 'RSA2' | 'RSA') ?? 'RSA2', charset);
  return { ...params, ...opts.tamper };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export async function send(baseUrl: string, params: Record<string, string>, opts: Pick<CallOptions, 'charset' | 'via' | 'headers'> = {}): Promise<RawResponse> {
  const charset = opts.charset ?? 'utf-8';
  const encoded = formEncode(params, charset);
  const res =
    opts.via === 'get'
      ? await fetch(`${baseUrl}/gateway.do?${encoded}`, { headers: opts.headers ?? {}, redirect: 'manual' })
      : await fetch(`${baseUrl}/gateway.do?charset=${encodeURIComponent(charset)}`, {
          method: 'POST',
          headers: { 'content-type': `application/x-www-form-urlencoded;charset=${charset}`, ...opts.headers },
          body: encoded,
          redirect: 'manual',
        });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

export async function postRaw(baseUrl: string, body: Buffer | string, contentType: string, query = ''): Promise<RawResponse> {
  const res = await fetch(`${baseUrl}/gateway.do${query ? `?${query}` : ''}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}
