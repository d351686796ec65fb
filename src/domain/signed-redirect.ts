import { formatShanghaiTimestamp } from './clock.js';
import { notifySignContent } from './notify-sign.js';
import { signBase64 } from '../crypto/rsa.js';
import type { AppRecord } from '../store/store.js';
import type { Services } from '../services.js';

/**
 * Signs parameters the way Alipay signs notifications ("V1": all non-empty parameters but
 * `sign` and `sign_type`, sorted, k=v joined by &, UTF-8) with the platform key, so merchants
 * verify them with the Alipay public key they already configured (SDK checkNotifySign/rsaCheckV1).
 * Empty values are dropped before signing and sending: PHP's verifier does not skip them (§8).
 */
async function signV1(
  services: Services,
  app: AppRecord,
  fields: Record<string, string>,
  alongside: Record<string, string> = {},
): Promise<Record<string, string>> {
  const params: Record<string, string> = { ...fields, sign_type: app.signType };
  for (const k of Object.keys(params)) if (params[k] === '') delete params[k];
  const sign = await signBase64(Buffer.from(notifySignContent({ ...alongside, ...params }), 'utf8'), services.platform.privateKey, app.signType);
  return { ...params, sign };
}

/** The outcome handed to a return URL (zhima return_url, risk call_back_url). */
export function signedParams(
  services: Services,
  app: AppRecord,
  fields: Record<string, string>,
  /** Parameters that travel beside ours (the return URL's own query): covered by the signature, not returned. */
  alongside: Record<string, string> = {},
): Promise<Record<string, string>> {
  const base = { app_id: app.appId, charset: 'utf-8', version: '1.0', timestamp: formatShanghaiTimestamp(services.clock()) };
  return signV1(services, app, { ...base, ...fields }, alongside);
}

/** An asynchronous notification's form parameters, shaped like Alipay's (notify_id, notify_time, notify_type…). */
export function signedNotification(
  services: Services,
  app: AppRecord,
  notifyId: string,
  notifyType: string,
  fields: Record<string, string>,
  /** The ISV that acted for the app (§7): it is app_id, the merchant auth_app_id. */
  agentAppId?: string | null,
): Promise<Record<string, string>> {
  const base = {
    notify_id: notifyId,
    notify_time: formatShanghaiTimestamp(services.clock()),
    notify_type: notifyType,
    app_id: agentAppId ?? app.appId,
    auth_app_id: app.appId,
    charset: 'utf-8',
    version: '1.0',
  };
  return signV1(services, app, { ...base, ...fields });
}

/**
 * Appends the signed outcome to a return URL, keeping its own query and fragment. String
 * surgery on purpose: return URLs may use app schemes (alipays://, xl://) that URL() mangles.
 */
export function appendQuery(url: string, params: Record<string, string>): string {
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? '' : url.slice(hash);
  const sep = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${sep}${new URLSearchParams(params).toString()}${fragment}`;
}

/**
 * The query a return URL already carries. The outcome's signature covers these too, so a
 * merchant verifies everything that arrives on its return URL in one go (SDK checkNotifySign).
 */
export function existingQuery(url: string): Record<string, string> {
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  const q = base.indexOf('?');
  return q === -1 ? {} : Object.fromEntries(new URLSearchParams(base.slice(q + 1)));
}
