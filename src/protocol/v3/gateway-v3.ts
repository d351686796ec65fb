import { randomUUID } from 'node:crypto';
import { AesKeyError, aesDecrypt, aesEncrypt } from '../../crypto/aes.js';
import { cachedPublicKey, signBase64, verifyBase64 } from '../../crypto/rsa.js';
import { err, ok, type Result } from '../../errors/alipay-error.js';
import { loggableError } from '../../log.js';
import type { Services } from '../../services.js';
import type { AppRecord } from '../../store/store.js';
import type { GatewayCall } from '../call.js';
import { dispatch } from '../dispatch.js';
import { nodeNameOf, type ResponseNode } from '../envelope.js';
import type { ApiMethod, MethodRegistry } from '../method.js';
import { delegation } from '../verify.js';
import { parseAuthorization, requestSignContent, responseSignContent, type AuthParams } from './authorization.js';
import { fromAlipayError, V3Errors as E, type V3Error } from './errors.js';
import { methodOfPath, queryParams, splitTarget } from './path.js';

/** What the HTTP layer hands the v3 gateway: the request line, the headers it reads, the raw body. */
export interface V3Request {
  /** Upper-case HTTP method. */
  httpMethod: string;
  /** Path and query exactly as on the request line: they are signed as sent. */
  target: string;
  authorization?: string | undefined;
  contentType?: string | undefined;
  /** `alipay-encrypt-type`: the body is Base64 ciphertext under the app's AES key. */
  encryptType?: string | undefined;
  /** `alipay-app-auth-token` (ISV calls for a merchant): signed as the last line. */
  appAuthToken?: string | undefined;
  body?: Buffer | undefined;
}

/** What the HTTP layer writes back, plus what it logs. */
export interface V3Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The v3 `code` of a failure, undefined on success. */
  code: string | undefined;
  method: string | undefined;
  appId: string | undefined;
}

export interface V3Gateway {
  handle(req: V3Request, traceId: string, startedAt: bigint): Promise<V3Reply>;
}

/** What is known of a call so far; an answer is signed as soon as the app is known. */
interface CallState {
  traceId: string;
  method: string | undefined;
  appId: string | undefined;
  app?: AppRecord | undefined;
  /** The request named an app certificate SN: the answer names the platform's (`alipay-sn`). */
  certMode: boolean;
}

interface Authenticated {
  app: AppRecord;
  auth: AuthParams;
}

/** A request body ready for the method: biz JSON text and whether the answer must be encrypted. */
interface Content {
  bizText: string;
  bodyFields: Map<string, string>;
  encrypted: boolean;
}

const JSON_TYPE = 'application/json;charset=UTF-8';
const TEXT_TYPE = 'text/plain;charset=UTF-8';

/** Body-level fields a handler reads as request parameters (v3 has no common form parameters). */
const PARAM_FIELDS = ['notify_url', 'return_url'];

/**
 * OpenAPI v3 framing around the same contracts and handlers as /gateway.do: authenticate the
 * Authorization header, read the JSON (or encrypted) body, dispatch, then answer JSON with the
 * platform's signature headers. Every outcome, a bug in a handler included, is a v3 answer.
 */
export function createV3Gateway(services: Services, registry: MethodRegistry): V3Gateway {
  async function answer(req: V3Request, state: CallState, startedAt: bigint): Promise<V3Reply> {
    const authed = await authenticate(req, state);
    if (!authed.ok) return failure(authed.error, state);
    const api = state.method ? registry.get(state.method) : undefined;
    if (!api) return failure(E.invalidMethod, state);
    const allowed = checkHttpMethod(req, state.method!);
    if (allowed) return failure(allowed, state);
    const content = readContent(req, authed.value.app);
    if (!content.ok) return failure(content.error, state);
    const acting = await delegation(services, authed.value.app, api, req.appAuthToken);
    if (!acting.ok) return failure(fromAlipayError(acting.error), state);
    const call = gatewayCall(req, state, authed.value.app, api, content.value, startedAt);
    call.actingFor = acting.value.agent ? acting.value.app : undefined;
    const result = await dispatch(call, acting.value, services);
    if (!result.ok) return failure(fromAlipayError(result.error), state);
    return success(result.value, content.value.encrypted, state);
  }

  /**
   * The Authorization checks, in the order the errors are named: timestamp, app, window, nonce,
   * signature config, certificate SN, signature (the app_auth_token is checked once the method is known).
   */
  async function authenticate(req: V3Request, state: CallState): Promise<Result<Authenticated, V3Error>> {
    const parsed = parseAuthorization(req.authorization);
    if (parsed.kind === 'other-scheme') return err(E.invalidSignatureType);
    const auth: AuthParams = parsed.kind === 'ok' ? parsed.params : { authString: '' };
    if (!auth.timestamp) return err(E.missingTimestamp);
    if (!/^\d{1,15}$/.test(auth.timestamp)) return err(E.invalidTimestamp);
    if (!auth.appId) return err(E.missingAppId);
    state.appId = auth.appId;
    const app = await services.store.getApp(auth.appId);
    if (!app) return err(E.invalidAppId);
    state.app = app;
    if (app.status !== 'active') return err(E.disabledApp);
    if (!services.time.isNear(Number(auth.timestamp), services.config.timestampSkewSeconds * 1000)) return err(E.illegalTimestamp);
    if (!auth.nonce) return err(E.missingNonce);
    if (!auth.sign) return err(E.missingSignature);
    // v3 signs with RSA2 only; an app holding no key, or an RSA (SHA1) key, cannot call it.
    if (!app.publicKeyPem || app.signType !== 'RSA2') return err(E.missingSignatureConfig);
    const certFailure = checkCertSn(auth, app, state);
    if (certFailure) return err(certFailure);
    if (!(await signatureValid(req, auth, app.publicKeyPem))) return err(E.invalidSignature);
    return ok({ app, auth });
  }

  async function success(node: ResponseNode, encrypted: boolean, state: CallState): Promise<V3Reply> {
    const json = JSON.stringify(withoutHead(node));
    // Encrypted calls get the ciphertext as the body; the SDK verifies it, then decrypts.
    const text = encrypted ? aesEncrypt(Buffer.from(json, 'utf8'), state.app!.aesKey!) : json;
    const headers: Record<string, string> = encrypted ? { 'content-type': TEXT_TYPE, 'alipay-encrypt-type': 'AES' } : { 'content-type': JSON_TYPE };
    return framed(200, Buffer.from(text, 'utf8'), headers, state, undefined);
  }

  /** Error bodies are plain JSON even for encrypted calls: the SDK parses them before anything else. */
  async function failure(e: V3Error, state: CallState): Promise<V3Reply> {
    const body = Buffer.from(JSON.stringify({ code: e.code, message: e.message }), 'utf8');
    return framed(e.status, body, { 'content-type': JSON_TYPE }, state, e.code);
  }

  /** Adds the trace id and, when the app is known, the platform signature headers. */
  async function framed(status: number, body: Buffer, headers: Record<string, string>, state: CallState, code: string | undefined): Promise<V3Reply> {
    const out: Record<string, string> = { ...headers, 'alipay-trace-id': state.traceId };
    if (state.app) Object.assign(out, await signatureHeaders(body, state.certMode));
    return { status, headers: out, body, code, method: state.method, appId: state.appId };
  }

  async function signatureHeaders(body: Buffer, certMode: boolean): Promise<Record<string, string>> {
    const timestamp = String(services.clock());
    const nonce = randomUUID();
    const signature = await signBase64(responseSignContent(timestamp, nonce, body), services.platform.privateKey, 'RSA2');
    const headers: Record<string, string> = { 'alipay-timestamp': timestamp, 'alipay-nonce': nonce, 'alipay-signature': signature };
    if (certMode && services.platform.certSn) headers['alipay-sn'] = services.platform.certSn;
    return headers;
  }

  return {
    async handle(req, traceId, startedAt) {
      const { path } = splitTarget(req.target);
      const state: CallState = { traceId, method: methodOfPath(path), appId: undefined, certMode: false };
      try {
        return await answer(req, state, startedAt);
      } catch (e) {
        services.log.error({ error: loggableError(e), trace_id: traceId, method: state.method, app_id: state.appId }, 'v3 request failed');
        return failure(E.unknownError, state);
      }
    },
  };
}

/**
 * Certificate mode: an app with a certificate must name it, and a named SN must be the app's.
 * The answer then carries the platform certificate's SN.
 */
function checkCertSn(auth: AuthParams, app: AppRecord, state: CallState): V3Error | undefined {
  if (auth.appCertSn === undefined) return app.certSn ? E.missingAppCertSn : undefined;
  if (auth.appCertSn !== app.certSn) return E.appCertNotExist;
  state.certMode = true;
  return undefined;
}

async function signatureValid(req: V3Request, auth: AuthParams, publicKeyPem: string): Promise<boolean> {
  const content = requestSignContent({
    authString: auth.authString,
    httpMethod: req.httpMethod,
    pathAndQuery: req.target,
    body: req.body ?? Buffer.alloc(0),
    appAuthToken: req.appAuthToken,
  });
  return verifyBase64(content, auth.sign!, cachedPublicKey(publicKeyPem), 'RSA2');
}

/** POST for every method; GET (parameters in the query string) for the query methods only. */
function checkHttpMethod(req: V3Request, method: string): V3Error | undefined {
  if (req.httpMethod === 'POST') return undefined;
  if (req.httpMethod === 'GET' && method.endsWith('.query')) return undefined;
  return E.invalidHttpMethod;
}

/** The biz JSON: the query string of a GET, else the (decrypted) body; it must be a JSON object. */
function readContent(req: V3Request, app: AppRecord): Result<Content, V3Error> {
  if (req.httpMethod === 'GET') {
    return ok({ bizText: JSON.stringify(Object.fromEntries(queryParams(splitTarget(req.target).query))), bodyFields: new Map(), encrypted: false });
  }
  if (/^multipart\//i.test(req.contentType ?? '')) return err(E.invalidContentType);
  const opened = openBody(req, app);
  if (!opened.ok) return opened;
  const text = opened.value.trim() === '' ? '{}' : opened.value;
  const fields = topLevelFields(text);
  if (!fields) return err(E.illegalJson);
  return ok({ bizText: text, bodyFields: fields, encrypted: req.encryptType !== undefined });
}

/** The body as text: plaintext JSON, or the AES ciphertext opened with the app's key. */
function openBody(req: V3Request, app: AppRecord): Result<string, V3Error> {
  const text = (req.body ?? Buffer.alloc(0)).toString('utf8');
  if (req.encryptType === undefined) return ok(text);
  if (req.encryptType.trim().toUpperCase() !== 'AES') return err(E.invalidEncryptType);
  if (!app.aesKey) return err(E.encryptKeyMissing);
  try {
    const plain = aesDecrypt(text, app.aesKey);
    return plain ? ok(plain.toString('utf8')) : err(E.decryptionFailed);
  } catch (e) {
    if (e instanceof AesKeyError) return err(E.encryptKeyMissing);
    throw e;
  }
}

/** The string fields of a JSON object body handlers read as parameters; undefined when not an object. */
function topLevelFields(text: string): Map<string, string> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const fields = new Map<string, string>();
  for (const name of PARAM_FIELDS) {
    const v = (value as Record<string, unknown>)[name];
    if (typeof v === 'string') fields.set(name, v);
  }
  return fields;
}

/** The call as the shared core sees it: v3 has no charset or form parameters, only UTF-8 JSON. */
function gatewayCall(req: V3Request, state: CallState, app: AppRecord, api: ApiMethod, content: Content, startedAt: bigint): GatewayCall {
  const { query } = splitTarget(req.target);
  const params = queryParams(query);
  for (const [k, v] of content.bodyFields) if (!params.has(k)) params.set(k, v);
  const method = state.method!;
  return {
    traceId: state.traceId,
    startedAt,
    raw: { query, body: req.body, contentType: req.contentType },
    params,
    charset: 'utf-8',
    responseCharset: 'utf-8',
    method,
    appId: app.appId,
    nodeName: nodeNameOf(method),
    pageMode: false,
    app,
    api,
    signatureValid: true,
    bizText: content.bizText,
  };
}

/** v3 answers carry the method's fields only: success is the HTTP status, not code/msg. */
function withoutHead(node: ResponseNode): ResponseNode {
  return Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'code' && k !== 'msg'));
}
