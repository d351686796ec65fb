import type { FamilyAdapter } from '../domain/family.js';
import { maskIdentity } from '../domain/mask.js';
import type { SessionRecord } from '../store/store.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A session as admin views show it: identity masked field by field, never raw. */
export function maskedSession(family: FamilyAdapter, s: SessionRecord) {
  return {
    family: s.family,
    id: s.externalId,
    app_id: s.appId,
    merchant_ref: s.merchantRef,
    scene: s.scene,
    state: s.state,
    failed_reason: s.failedReason,
    identity: maskIdentity(s.identity, family.pii),
    created_at: iso(s.createdAt),
    started_at: iso(s.startedAt),
    finished_at: iso(s.finishedAt),
    expires_at: iso(s.expiresAt),
  };
}
