import { createHash, randomBytes } from 'node:crypto';
import { err, ok, type Result } from '../errors/alipay-error.js';
import type { Services } from '../services.js';
import type { AppAuthGrant } from '../store/app-auth.js';
import type { AppRecord } from '../store/store.js';
import { formatShanghaiTimestamp } from './clock.js';

/** Lifetimes Alipay answers (docs/alipay-openapi-v2.md §7), seconds. */
export const TOKEN_SECONDS = 31_536_000;
export const REFRESH_SECONDS = 32_140_800;
/** An app_auth_code is good for one exchange within a day. */
const CODE_MS = 24 * 3_600_000;
/** After a refresh the old app_auth_token keeps working for 10 minutes, as Alipay's does. */
const REFRESH_GRACE_MS = 10 * 60_000;

/** What alipay.open.auth.token.app and `aopgate auth grant` hand the ISV, once. */
export interface IssuedToken {
  app_auth_token: string;
  app_refresh_token: string;
  auth_app_id: string;
  user_id: string;
  expires_in: number;
  re_expires_in: number;
}

/** `yyyyMMBB` + 32 hex, the 40-character shape of Alipay's tokens. */
const newToken = (now: number) => `${formatShanghaiTimestamp(now).slice(0, 7).replace('-', '')}BB${randomBytes(16).toString('hex')}`;

/** The merchant's Alipay user id (2088 + 12 digits), stable per merchant app. */
const merchantUserId = (appId: string) =>
  `2088${(BigInt(`0x${createHash('sha256').update(appId).digest('hex').slice(0, 15)}`) % 10n ** 12n).toString().padStart(12, '0')}`;

export async function issueToken(services: Services, isvAppId: string, merchantAppId: string, methods: string[] | null): Promise<IssuedToken> {
  const now = services.clock();
  const grant: AppAuthGrant = {
    isvAppId,
    merchantAppId,
    userId: merchantUserId(merchantAppId),
    methods,
    expiresAt: now + TOKEN_SECONDS * 1000,
    reExpiresAt: now + REFRESH_SECONDS * 1000,
  };
  const token = newToken(now);
  const refresh = newToken(now);
  await services.store.appAuth.saveToken(services.box.digest(token), services.box.digest(refresh), grant, now);
  return {
    app_auth_token: token,
    app_refresh_token: refresh,
    auth_app_id: merchantAppId,
    user_id: grant.userId,
    expires_in: TOKEN_SECONDS,
    re_expires_in: REFRESH_SECONDS,
  };
}

/** A one-time code the ISV exchanges through alipay.open.auth.token.app (what the merchant's consent page would give it). */
export async function issueCode(services: Services, isvAppId: string, merchantAppId: string, methods: string[] | null): Promise<string> {
  const code = randomBytes(16).toString('hex');
  await services.store.appAuth.saveCode(services.box.digest(code), { isvAppId, merchantAppId, methods, expiresAt: services.clock() + CODE_MS });
  return code;
}

export async function exchangeCode(services: Services, isvAppId: string, code: string): Promise<Result<IssuedToken, 'code-invalid'>> {
  const grant = await services.store.appAuth.useCode(services.box.digest(code), isvAppId, services.clock());
  return grant ? ok(await issueToken(services, isvAppId, grant.merchantAppId, grant.methods)) : err('code-invalid');
}

export async function refreshToken(services: Services, isvAppId: string, refresh: string): Promise<Result<IssuedToken, 'invalid' | 'spent'>> {
  const now = services.clock();
  const old = await services.store.appAuth.spendRefresh(services.box.digest(refresh), isvAppId, now, now + REFRESH_GRACE_MS);
  if (old === undefined) return err('invalid');
  if (old === 'spent') return err('spent');
  return ok(await issueToken(services, isvAppId, old.merchantAppId, old.methods));
}

export type DelegationProblem = 'invalid' | 'expired' | 'no-api';

/**
 * The merchant an ISV acts for with this token and method: the token must be the ISV's, live,
 * and (when the merchant narrowed it) cover the method; the merchant app must be active.
 */
export async function actingFor(services: Services, isvAppId: string, token: string, method: string): Promise<Result<AppRecord, DelegationProblem>> {
  const grant = await services.store.appAuth.findToken(services.box.digest(token));
  if (!grant || grant.isvAppId !== isvAppId) return err('invalid');
  if (grant.expiresAt <= services.clock()) return err('expired');
  if (grant.methods && !grant.methods.includes(method)) return err('no-api');
  const merchant = await services.store.getApp(grant.merchantAppId);
  return merchant && merchant.status === 'active' ? ok(merchant) : err('invalid');
}
