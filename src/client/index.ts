import type { KeyObject } from 'node:crypto';
import { encodeText, formEncode, normalizeCharset, type Charset } from './charset.js';
import { headerValue, send } from './http.js';
import { loadCertificates, loadPrivateKey, loadPublicKey, type CertificateMaterial } from './keys.js';
import { returnUrlParams, verifySignedParams } from './notify.js';
import type { SignType } from './signature.js';
import { PAGE_METHODS, type CallOptions, type MethodName, type PageMethodName, type RequestOf, type ResponseOf } from './types.js';
import { signedParams, type V2Signer } from './v2-request.js';
import { openV2Response } from './v2-response.js';
import { openV3Response, v3Request, type V3Signer } from './v3.js';

export { AopError, ClientCodes, type AopErrorFields } from './errors.js';
export { openV2Response, signedBytesOf, nodeNameOf, type V2ResponseCheck } from './v2-response.js';
export { openV3Response, v3ResponseSignContent } from './v3.js';
export { loadPrivateKey, loadPublicKey } from './keys.js';
export { PAGE_METHODS, type CallOptions, type MethodName, type PageMethodName, type RequestOf, type ResponseOf } from './types.js';
export type { Charset } from './charset.js';
export type { SignType } from './signature.js';

export interface AopClientOptions {
  /** Full `…/gateway.do` URL (v2). */
  gateway?: string;
  /** Base URL the v3 paths hang from (`https://openapi.alipay.com`). Defaults to the gateway's origin. */
  endpoint?: string;
  appId: string;
  /** PEM PKCS#8 or PKCS#1 (or bare Base64). */
  privateKey: string;
  /** Public-key mode: the Alipay public key answers are verified with. */
  alipayPublicKey?: string;
  /** Certificate mode (PEM texts). */
  certificates?: { appCert: string; alipayCert: string; alipayRootCert: string };
  signType?: SignType;
  charset?: Charset;
  /** Base64 AES content key, for `encrypt: true`. */
  aesKey?: string;
  protocol?: 'v2' | 'v3';
  timeoutMs?: number;
  /** Called with every string-to-sign (also kept in `lastSignString`). */
  onSign?: (signString: string) => void;
}

const DEFAULT_GATEWAY = 'https://openapi.alipay.com/gateway.do';

/**
 * A typed Alipay OpenAPI client: methods, requests and answers come from the gateway's own
 * contracts; keys are parsed once; every answer's signature is verified before it is returned.
 */
export class AopClient {
  /** The last string-to-sign (v2 `k=v&…`, v3 `authString\nPOST\n…`), for debugging signature errors. */
  lastSignString: string | undefined;

  readonly #gateway: string;
  readonly #endpoint: string;
  readonly #protocol: 'v2' | 'v3';
  readonly #signType: SignType;
  readonly #charset: Charset;
  readonly #aesKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #alipayKey: KeyObject;
  readonly #certs: CertificateMaterial | undefined;
  readonly #v2: V2Signer;
  readonly #v3: V3Signer;

  constructor(options: AopClientOptions) {
    this.#gateway = options.gateway ?? DEFAULT_GATEWAY;
    this.#endpoint = options.endpoint ?? new URL(this.#gateway).origin;
    this.#protocol = options.protocol ?? 'v2';
    this.#signType = options.signType ?? 'RSA2';
    this.#charset = normalizeCharset(options.charset);
    this.#aesKey = options.aesKey;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    const privateKey = loadPrivateKey(options.privateKey);
    this.#certs = options.certificates ? loadCertificates(options.certificates) : undefined;
    if (this.#certs) this.#alipayKey = this.#certs.alipayPublicKey;
    else if (options.alipayPublicKey) this.#alipayKey = loadPublicKey(options.alipayPublicKey);
    else throw new Error('AopClient needs alipayPublicKey or certificates: every answer is verified');
    const certSns = this.#certs ? { appCertSn: this.#certs.appCertSn, alipayRootCertSn: this.#certs.alipayRootCertSn } : undefined;
    const onSign = (text: string) => {
      this.lastSignString = text;
      options.onSign?.(text);
    };
    this.#v2 = { appId: options.appId, privateKey, signType: this.#signType, charset: this.#charset, aesKey: this.#aesKey, certSns, onSign };
    this.#v3 = { appId: options.appId, privateKey, aesKey: this.#aesKey, certSns, timeoutMs: this.#timeoutMs, onSign };
  }

  /** Calls `method` and returns its verified success node; any failure throws an AopError. */
  async call<M extends MethodName>(method: M, request: RequestOf<M>, options: CallOptions = {}): Promise<ResponseOf<M>> {
    const node = this.#protocol === 'v3' ? await this.#callV3(method, request, options) : await this.#callV2(method, request, options);
    // The node was signed by Alipay over the contract's response: its shape is the contract's.
    return node as ResponseOf<M>;
  }

  async #callV2(method: string, request: unknown, options: CallOptions): Promise<Record<string, unknown>> {
    const params = await signedParams(this.#v2, method, request, options);
    const url = new URL(this.#gateway);
    url.searchParams.set('charset', this.#charset);
    const answer = await send({
      url,
      method: 'POST',
      headers: { 'content-type': `application/x-www-form-urlencoded;charset=${this.#charset}`, accept: 'application/json' },
      body: Buffer.from(formEncode(Object.entries(params), this.#charset), 'latin1'),
      timeoutMs: this.#timeoutMs,
    });
    const traceId = headerValue(answer.headers, 'trace_id') ?? headerValue(answer.headers, 'trace-id');
    const opened = await openV2Response(answer.body, {
      method,
      charset: normalizeCharset(/charset=([\w-]+)/i.exec(headerValue(answer.headers, 'content-type') ?? '')?.[1] ?? this.#charset),
      publicKey: this.#alipayKey,
      signType: this.#signType,
      aesKey: options.encrypt ? this.#aesKey : undefined,
      alipayCertSn: this.#certs?.alipayCertSn,
      traceId,
    });
    if (!opened.ok) throw opened.error;
    return opened.value;
  }

  async #callV3(method: string, request: unknown, options: CallOptions): Promise<Record<string, unknown>> {
    const answer = await send(await v3Request(this.#v3, this.#endpoint, method, request, options));
    const opened = await openV3Response(answer.status, answer.headers, answer.body, {
      method,
      publicKey: this.#alipayKey,
      aesKey: this.#aesKey,
      alipayCertSn: this.#certs?.alipayCertSn,
    });
    if (!opened.ok) throw opened.error;
    return opened.value;
  }

  /** A signed GET URL that opens a page method in the browser (every parameter in the query). */
  async pageUrl<M extends PageMethodName>(method: M, request: RequestOf<M>, options: Omit<CallOptions, 'encrypt'> = {}): Promise<string> {
    const params = await this.#pageParams(method, request, options);
    const sep = this.#gateway.includes('?') ? '&' : '?';
    return `${this.#gateway}${sep}${formEncode(Object.entries(params), this.#charset)}`;
  }

  /** An HTML form that POSTs the signed parameters to the gateway as soon as the browser renders it. */
  async pageForm<M extends PageMethodName>(method: M, request: RequestOf<M>, options: Omit<CallOptions, 'encrypt'> = {}): Promise<string> {
    const params = await this.#pageParams(method, request, options);
    const action = new URL(this.#gateway);
    action.searchParams.set('charset', this.#charset);
    const inputs = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('\n');
    return (
      `<form name="aopgate_page_form" method="post" action="${escapeHtml(action.toString())}" accept-charset="${this.#charset}">\n${inputs}\n` +
      `<input type="submit" value="Continue" style="display:none">\n</form>\n<script>document.forms['aopgate_page_form'].submit();</script>`
    );
  }

  #pageParams(method: PageMethodName, request: unknown, options: CallOptions): Promise<Record<string, string>> {
    if (!(PAGE_METHODS as readonly string[]).includes(method)) throw new Error(`${method} is not a page method`);
    return signedParams(this.#v2, method, request, { ...options, encrypt: false });
  }

  /** An asynchronous notification's parameters (V1, then V2 — docs/alipay-openapi-v2.md §8). */
  verifyNotification(params: Record<string, string>): boolean {
    return verifySignedParams(params, this.#alipayKey, this.#signType).valid;
  }

  /** The URL the browser came back with after a page method (same rule over its query parameters). */
  verifyReturnUrl(url: string): boolean {
    return this.verifyNotification(returnUrlParams(url));
  }

  /** Verifies a /gateway.do answer received elsewhere (a stored body, a proxy): the verified node, or an AopError thrown. */
  async verifyResponse(method: string, body: Buffer | string, options: { encrypted?: boolean; charset?: Charset } = {}): Promise<Record<string, unknown>> {
    const charset = options.charset ?? this.#charset;
    const opened = await openV2Response(typeof body === 'string' ? encodeText(body, charset) : body, {
      method,
      charset,
      publicKey: this.#alipayKey,
      signType: this.#signType,
      aesKey: options.encrypted ? this.#aesKey : undefined,
      alipayCertSn: this.#certs?.alipayCertSn,
    });
    if (!opened.ok) throw opened.error;
    return opened.value;
  }
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
