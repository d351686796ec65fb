import type { KeyObject } from 'node:crypto';
import { cachedPublicKey, verifyBase64, type SignType } from '../crypto/rsa.js';
import { err, ok, type AlipayError, type Result } from '../errors/alipay-error.js';
import { GatewayErrors as E, invalidSignatureFor } from '../errors/gateway-errors.js';
import { actingFor } from '../domain/app-auth.js';
import type { Services } from '../services.js';
import type { AppRecord } from '../store/store.js';
import type { GatewayCall } from './call.js';
import { encodeText, type Charset } from './charset.js';
import { checkCommonParams } from './common-params.js';
import type { GatewayHook } from './hooks.js';
import type { ApiMethod, MethodRegistry } from './method.js';
import { hasEmptyValues, quotableSignContent, requestSignContent } from './sign-content.js';

/** A call that passed every protocol check: the method may now run. */
export interface VerifiedCall {
  /** The app the call acts for: the caller's own, or the merchant an ISV's app_auth_token names. */
  app: AppRecord;
  api: ApiMethod;
  /** The ISV that signed the call, when it acts for a merchant (§7). */
  agent?: AppRecord | undefined;
}

/**
 * Stage 2: the protocol checks in the gateway's order (docs/alipay-openapi-v2.md §3); the first
 * that fails names the error. Fills in `call.app` as soon as it is known, so that even a
 * failure is answered signed.
 */
export async function verify(
  call: GatewayCall,
  services: Services,
  registry: MethodRegistry,
  hooks: readonly GatewayHook[],
): Promise<Result<VerifiedCall, AlipayError>> {
  call.app = call.appId ? await services.store.getApp(call.appId) : undefined;
  if (call.rejection) return err(call.rejection);
  const failure = await firstFailure(call, services, hooks);
  if (failure) return err(failure);
  const api = registry.get(call.method!);
  if (!api) return err(E.invalidMethod);
  call.api = api;
  const acting = await delegation(services, call.app!, api, call.params.get('app_auth_token'));
  if (!acting.ok) return acting;
  call.actingFor = acting.value.agent ? acting.value.app : undefined;
  if (call.params.get('auth_token')?.trim()) return err(E.invalidAuthToken);
  return ok(acting.value);
}

/** How each delegation problem is answered (§7). */
const DELEGATION_ERRORS = { invalid: E.invalidAppAuthToken, expired: E.appAuthTokenExpired, 'no-api': E.appAuthTokenNoApi } as const;

/**
 * Who a verified call acts for, on /gateway.do and /v3 alike: without an app_auth_token the
 * caller itself; with one, the merchant it names, the caller becoming the acting ISV (§7).
 */
export async function delegation(
  services: Services,
  caller: AppRecord,
  api: ApiMethod,
  appAuthToken: string | undefined,
): Promise<Result<VerifiedCall, AlipayError>> {
  const token = appAuthToken?.trim();
  if (!token) return ok({ app: caller, api });
  if (!api.contract.delegable) return err(E.notSupportAppAuth);
  const merchant = await actingFor(services, caller.appId, token, api.contract.method);
  if (!merchant.ok) return err(DELEGATION_ERRORS[merchant.error]);
  return ok({ app: merchant.value, api, agent: caller });
}

async function firstFailure(call: GatewayCall, services: Services, hooks: readonly GatewayHook[]): Promise<AlipayError | undefined> {
  const { params, charset, method, app } = call;
  if (!charset) return E.invalidCharset;
  if (!method) return E.missingMethod;
  if (!params.get('app_id')?.trim()) return E.missingAppId;
  if (!app) return E.invalidAppId;
  if (app.status !== 'active') return { ...E.invalidAppId, subMsg: '无效的AppID参数（应用已停用）' };
  const skewMs = services.config.timestampSkewSeconds * 1000;
  const common = checkCommonParams(params, (ms) => services.time.isNear(ms, skewMs));
  if (!common.ok) return common.error;
  // "未配置对应签名算法的公钥": the app holds no key for the sign_type it used.
  if (!app.publicKeyPem || app.signType !== common.value.signType) return E.missingSignatureConfig;
  const signed = await verifySignature(params, charset, common.value.sign, cachedPublicKey(app.publicKeyPem), common.value.signType);
  call.signContent = signed.content;
  call.signatureValid = signed.ok;
  if (!signed.ok) return invalidSignatureFor(quotableSignContent(signed.content, params));
  for (const h of hooks) {
    const refused = h.checkCredentials?.(call);
    if (refused) return refused;
  }
  const opened = openContent(call, hooks);
  if (!opened.ok) return opened.error;
  call.bizText = opened.value;
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
  signType: SignType,
): Promise<{ ok: boolean; content: string }> {
  const content = requestSignContent(params);
  if (await verifyBase64(encodeText(content, charset), sign, key, signType)) return { ok: true, content };
  if (hasEmptyValues(params)) {
    const withEmpty = requestSignContent(params, true);
    if (await verifyBase64(encodeText(withEmpty, charset), sign, key, signType)) return { ok: true, content: withEmpty };
  }
  return { ok: false, content };
}

/** biz_content as sent, or decrypted by the hook that handles its encrypt_type (§4). */
function openContent(call: GatewayCall, hooks: readonly GatewayHook[]): Result<string, AlipayError> {
  const text = call.params.get('biz_content') ?? '';
  const encryptType = call.params.get('encrypt_type')?.trim() || undefined;
  for (const h of hooks) {
    const opened = h.openContent?.(call, encryptType, text);
    if (opened) return opened;
  }
  if (!encryptType) return ok(text);
  return err(encryptType === 'AES' ? E.encryptKeyMissing : E.invalidEncryptType);
}
