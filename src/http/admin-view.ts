import { maskCertNo, maskMobile, maskName } from '../domain/mask.js';
import type { SessionRecord } from '../store/store.js';

const MASKS: Record<string, (v: string) => string> = {
  cert_name: maskName,
  user_name: maskName,
  cert_no: maskCertNo,
  operator_cert_no: maskCertNo,
  user_id: maskCertNo,
  mobile_no: maskMobile,
};

/** A session as admin views show it: identity masked field by field, never raw. */
export function maskedSession(s: SessionRecord) {
  const identity: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.identity)) {
    if (typeof v !== 'string') continue;
    identity[k] = MASKS[k] ? MASKS[k](v) : v;
  }
  return {
    family: s.family,
    id: s.externalId,
    app_id: s.appId,
    merchant_ref: s.merchantRef,
    scene: s.scene,
    state: s.state,
    failed_reason: s.failedReason,
    identity,
    created_at: new Date(s.createdAt).toISOString(),
    started_at: s.startedAt === null ? null : new Date(s.startedAt).toISOString(),
    finished_at: s.finishedAt === null ? null : new Date(s.finishedAt).toISOString(),
    expires_at: new Date(s.expiresAt).toISOString(),
  };
}
