import type { FamilyAdapter } from '../domain/family.js';
import { maskIdentity } from '../domain/mask.js';
import type { FaultRule } from '../store/faults.js';
import type { JournalEntry } from '../store/journal.js';
import type { AttemptRecord, OutboxRow } from '../store/outbox.js';
import type { AppRecord, SessionRecord } from '../store/store.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A session as admin views show it: identity masked field by field, never raw. */
export function maskedSession(family: FamilyAdapter, s: SessionRecord) {
  return {
    family: s.family,
    admin_path: family.adminPath,
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
    acting_isv: s.agentAppId ?? null,
    /** The transitions with their times, oldest first. */
    history: [
      { state: 'INIT', at: iso(s.createdAt) },
      ...(s.startedAt !== null ? [{ state: 'PROCESSING', at: iso(s.startedAt) }] : []),
      ...(s.finishedAt !== null ? [{ state: s.state, at: iso(s.finishedAt) }] : []),
    ],
  };
}

/** A notification with every attempt, as GET /admin/notifications shows it (no identity data travels in one). */
export function notificationView(n: OutboxRow, attempts: readonly AttemptRecord[]) {
  return {
    notify_id: n.id,
    app_id: n.appId,
    notify_type: n.payload.notify_type ?? null,
    url: n.url,
    status: n.status,
    attempt_count: n.attempts,
    max_attempts: n.maxAttempts,
    next_attempt_at: n.status === 'PENDING' ? iso(n.nextAttemptAt) : null,
    created_at: iso(n.createdAt),
    delivered_at: iso(n.deliveredAt),
    payload: n.payload,
    attempts: attempts.map((a) => ({
      time: iso(a.attemptedAt),
      drill: a.drill,
      http_status: a.httpStatus,
      response_head: a.responseHead,
      error: a.error,
      latency_ms: a.latencyMs,
      accepted: a.accepted,
      // The point of the forged-signature drill: a merchant that said `success` to a forgery.
      ...(a.drill === 'forged-signature' ? { accepted_forgery: a.accepted } : {}),
    })),
  };
}

/** An app as the admin API shows it: settings and its public key, never anything secret. */
export function appView(a: AppRecord) {
  return {
    app_id: a.appId,
    name: a.name,
    sign_type: a.signType,
    status: a.status,
    products: a.products,
    scenes: a.scenes,
    notify_url: a.notifyUrl,
    drills: a.drills,
    app_public_key: a.publicKeyPem,
    created_at: iso(a.createdAt),
  };
}

/** A journal entry as GET /admin/journal answers it (already masked when stored). */
export function journalView(e: JournalEntry) {
  return {
    time: iso(e.time),
    trace_id: e.traceId,
    protocol: e.protocol,
    app_id: e.appId,
    method: e.method,
    code: e.code,
    sub_code: e.subCode,
    latency_ms: Math.round(e.latencyMs * 100) / 100,
    signature_valid: e.signatureValid,
    ...e.detail,
  };
}

export function faultView(r: FaultRule) {
  return {
    id: r.id,
    app_id: r.appId,
    method: r.method,
    action: r.action,
    code: r.code,
    sub_code: r.subCode,
    sub_msg: r.subMsg,
    latency_ms: r.latencyMs,
    probability: r.probability,
    remaining: r.remaining,
    source: r.source,
    created_at: iso(r.createdAt),
  };
}
