import type { KeyObject } from 'node:crypto';
import { err, ok, type AlipayError, type Result } from '../errors/alipay-error.js';
import { GatewayErrors as E, invalidSignatureFor } from '../errors/gateway-errors.js';
import { cachedPublicKey, signBase64, verifyBase64 } from '../crypto/rsa.js';
import type { MethodRegistry } from '../methods/index.js';
import type { ApiMethod, PageReply } from '../methods/types.js';
import { errorPage } from './error-page.js';
import { loggableError } from '../log.js';
import { fieldOf, invalidParameter } from '../methods/biz-fields.js';
import type { AppRecord } from '../store/store.js';
import type { Services } from '../services.js';
import { encodeText, type Charset } from './charset.js';
import { checkCommonParams } from './common-params.js';
import { ERROR_NODE, frameResponse, nodeNameOf, type ResponseNode } from './envelope.js';
import { readParams, type RawRequest } from './intake.js';
import { hasEmptyValues, quotableSignContent, requestSignContent } from './sign-content.js';

/** What the HTTP layer writes back, plus what it logs. */
export interface GatewayReply {
  /** json: the signed envelope; html: a page; redirect: 302 to `location`. */
  kind: 'json' | 'html' | 'redirect';
  body: Buffer;
  location?: string;
  charset: Charset;
  method: string | undefined;
  appId: string | undefined;
  code: string;
  subCode: string | undefined;
}

/** A call that passed every protocol check: the method may now run. */
interface VerifiedCall {
  app: AppRecord;
  method: ApiMethod;
  params: ReadonlyMap<string, string>;
}

const METHOD_SYNTAX = /^[A-Za-z0-9_.]{1,128}$/;

/**
 * parse → verify → dispatch → sign. Every outcome, including a bug in a handler, becomes an
 * Alipay node; the node is signed whenever the app is known (§2.4).
 */
export async function handleGatewayRequest(
  raw: RawRequest,
  services: Services,
  registry: MethodRegistry,
  traceId: string,
  /** Set when the HTTP layer could not read the body: answer with it, signed if the app is known. */
  rejection?: AlipayError,
): Promise<GatewayReply> {
  const { params, charset } = readParams(raw);
  const responseCharset = charset ?? 'utf-8';
  const method = params.get('method')?.trim() || undefined;
  const nodeName = method && METHOD_SYNTAX.test(method) ? nodeNameOf(method) : ERROR_NODE;
  const appId = params.get('app_id')?.trim() || undefined;
  // Only a browser navigating to a page method gets HTML; every other call gets the JSON envelope.
  const pageMode = Boolean(raw.navigation && method && registry.get(method)?.page);
  let app: AppRecord | undefined;
  let node: ResponseNode;
  try {
    app = appId ? await services.store.getApp(appId) : undefined;
    const verified = rejection ? err(rejection) : await verifyCall(params, charset, method, app, services, registry);
    if (pageMode) {
      const page = verified.ok ? await dispatchPage(verified.value, services, traceId) : err(verified.error);
      return pageReply(page, responseCharset, method, appId);
    }
    node = verified.ok ? await dispatch(verified.value, services, traceId) : errorNode(verified.error);
  } catch (e) {
    services.log.error({ error: loggableError(e), trace_id: traceId, method, app_id: appId }, 'gateway request failed');
    node = errorNode(E.unknownError);
    if (pageMode) return pageReply(err(E.unknownError), responseCharset, method, appId);
  }
  const signer = app ? (content: Buffer) => signBase64(content, services.platform.privateKey, app!.signType) : undefined;
  const framed = await frameResponse(nodeName, node, responseCharset, signer);
  return {
    kind: 'json',
    body: framed.body,
    charset: responseCharset,
    method,
    appId,
    code: String(node.code),
    subCode: typeof node.sub_code === 'string' ? node.sub_code : undefined,
  };
}

async function verifyCall(
  params: ReadonlyMap<string, string>,
  charset: Charset | undefined,
  method: string | undefined,
  app: AppRecord | undefined,
  services: Services,
  registry: MethodRegistry,
): Promise<Result<VerifiedCall, AlipayError>> {
  const failure = await firstFailure(params, charset, method, app, services);
  if (failure) return err(failure);
  const api = registry.get(method!);
  if (!api) return err(E.invalidMethod);
  return ok({ app: app!, method: api, params });
}

/** The protocol checks in the gateway's order; the first that fails names the error. */
async function firstFailure(
  params: ReadonlyMap<string, string>,
  charset: Charset | undefined,
  method: string | undefined,
  app: AppRecord | undefined,
  services: Services,
): Promise<AlipayError | undefined> {
  if (!charset) return E.invalidCharset;
  if (!method) return E.missingMethod;
  if (!params.get('app_id')?.trim()) return E.missingAppId;
  if (!app) return E.invalidAppId;
  if (app.status !== 'active') return { ...E.invalidAppId, subMsg: '无效的AppID参数（应用已停用）' };
  const common = checkCommonParams(params, services.clock(), services.config.timestampSkewSeconds * 1000);
  if (!common.ok) return common.error;
  // "未配置对应签名算法的公钥": the app holds no key for the sign_type it used.
  if (!app.publicKeyPem || app.signType !== common.value.signType) return E.missingSignatureConfig;
  const key = cachedPublicKey(app.publicKeyPem);
  const signed = await verifySignature(params, charset, common.value.sign, key, common.value.signType);
  if (!signed.ok) return invalidSignatureFor(quotableSignContent(signed.content, params));
  const encryptType = params.get('encrypt_type')?.trim();
  if (encryptType) return encryptType === 'AES' ? E.encryptKeyMissing : E.invalidEncryptType;
  if (params.get('app_auth_token')?.trim()) return E.invalidAppAuthToken;
  if (params.get('auth_token')?.trim()) return E.invalidAuthToken;
  return undefined;
}

/**
 * Verifies as Java does (empties dropped); a client that signed its explicit empty values (Node,
 * Python) is accepted on a second try, as a lenient gateway may (§1.3).
 */
async function verifySignature(
  params: ReadonlyMap<string, string>,
  charset: Charset,
  sign: string,
  key: KeyObject,
  signType: 'RSA2' | 'RSA',
): Promise<{ ok: boolean; content: string }> {
  const content = requestSignContent(params);
  if (await verifyBase64(encodeText(content, charset), sign, key, signType)) return { ok: true, content };
  if (hasEmptyValues(params)) {
    const withEmpty = requestSignContent(params, true);
    if (await verifyBase64(encodeText(withEmpty, charset), sign, key, signType)) return { ok: true, content: withEmpty };
  }
  return { ok: false, content };
}

/** biz_content → the method's schema; a missing biz_content is an empty object (its fields then fail as missing). */
function parseBiz(call: VerifiedCall): Result<unknown, AlipayError> {
  const bizText = call.params.get('biz_content') ?? '';
  let bizJson: unknown = {};
  if (bizText.trim() !== '') {
    try {
      bizJson = JSON.parse(bizText);
    } catch {
      bizJson = undefined;
    }
  }
  if (typeof bizJson !== 'object' || bizJson === null || Array.isArray(bizJson)) return err(E.invalidBizContent);
  const parsed = call.method.biz.safeParse(bizJson);
  return parsed.success ? ok(parsed.data) : err(invalidParameter(fieldOf(parsed.error)));
}

async function dispatch(call: VerifiedCall, services: Services, traceId: string): Promise<ResponseNode> {
  const biz = parseBiz(call);
  if (!biz.ok) return errorNode(biz.error);
  const result = await call.method.handle(biz.value, { app: call.app, services, params: call.params, traceId });
  return result.ok ? result.value : errorNode(result.error);
}

async function dispatchPage(call: VerifiedCall, services: Services, traceId: string): Promise<Result<PageReply, AlipayError>> {
  const biz = parseBiz(call);
  if (!biz.ok) return biz;
  return call.method.page!(biz.value, { app: call.app, services, params: call.params, traceId });
}

/** Browsers get a redirect, or an HTML error page naming the code as the real gateway does for page methods. */
function pageReply(page: Result<PageReply, AlipayError>, charset: Charset, method: string | undefined, appId: string | undefined): GatewayReply {
  const base = { charset, method, appId };
  if (page.ok && 'redirect' in page.value) {
    return { ...base, kind: 'redirect', location: page.value.redirect, body: Buffer.alloc(0), code: '10000', subCode: undefined };
  }
  if (page.ok) return { ...base, kind: 'html', body: encodeText((page.value as { html: string }).html, charset), code: '10000', subCode: undefined };
  return { ...base, kind: 'html', body: encodeText(errorPage(page.error), charset), code: page.error.code, subCode: page.error.subCode };
}

export function errorNode(e: AlipayError): ResponseNode {
  return { code: e.code, msg: e.msg, sub_code: e.subCode, sub_msg: e.subMsg };
}
