import { err, ok, type Result } from '../errors/alipay-error.js';
import { newHexId } from './ids.js';
import { magicOutcome } from './magic.js';
import { isHttpUrl, notificationFor } from './notification.js';
import type { FamilyAdapter } from './family.js';
import type { Services } from '../services.js';
import { OPEN_STATES, type AppRecord, type SessionRecord } from '../store/store.js';

/**
 * The verification session lifecycle shared by every API family:
 *
 *   INIT ──start──▶ PROCESSING ──complete──▶ PASSED | FAILED
 *     └──────────────┴── lifetime over ──▶ EXPIRED      (cancel ──▶ CANCELLED)
 *
 * Every transition is one conditional UPDATE (store.transitionSession), so a repeated or
 * concurrent completion cannot flip a result: the first writer wins, later identical requests
 * are answered with the stored result, conflicting ones are refused. Expiry is applied lazily,
 * whenever a session is read, against the injected clock.
 */
export type Outcome = { passed: true } | { passed: false; reason: string };

export type SessionInput = Omit<
  SessionRecord,
  | 'id'
  | 'appId'
  | 'agentAppId'
  | 'state'
  | 'failedReason'
  | 'createdAt'
  | 'updatedAt'
  | 'startedAt'
  | 'finishedAt'
  | 'expiresAt'
  | 'requestDigest'
  | 'notifyUrl'
> & {
  ttlMs: number;
  /** What makes a retry the same request; kept only as a keyed digest (it holds PII). */
  content: unknown;
};

/** The calling app and its request, as a handler's CallContext carries them. */
export interface Caller {
  services: Services;
  app: AppRecord;
  /** The ISV acting for `app` (app_auth_token); its notifications name it as app_id. */
  agent?: AppRecord | undefined;
  params: ReadonlyMap<string, string>;
}

/**
 * The call's `notify_url` common parameter (docs/alipay-openapi-v2.md §1), kept when it is an
 * http(s) URL of at most 256 characters; anything else is ignored, as the app's URL then applies.
 */
function callNotifyUrl(params: ReadonlyMap<string, string>): string | null {
  const url = params.get('notify_url')?.trim();
  return url && url.length <= 256 && isHttpUrl(url) ? url : null;
}

/**
 * Opens a session, idempotent on (app, family, merchantRef): the same content again gets the
 * first session back (a client retry), other content under the same reference is a conflict.
 * Race-safe through the store's unique constraint.
 */
export async function openSession(caller: Caller, input: SessionInput): Promise<Result<SessionRecord, 'conflict'>> {
  const { services, app } = caller;
  const now = services.clock();
  const { ttlMs, content, ...rest } = input;
  const requestDigest = services.box.digest(JSON.stringify(content));
  const outcome = await services.store.createSession({
    ...rest,
    appId: app.appId,
    agentAppId: caller.agent?.appId ?? null,
    notifyUrl: callNotifyUrl(caller.params),
    requestDigest,
    id: newHexId(),
    state: 'INIT',
    failedReason: null,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + ttlMs,
    startedAt: null,
    finishedAt: null,
  });
  if (outcome.created) return ok(outcome.record);
  return outcome.existing.requestDigest === requestDigest ? ok(outcome.existing) : err('conflict');
}

/** The session as it stands now: an open session past its lifetime becomes EXPIRED first. */
export async function refresh(services: Services, session: SessionRecord): Promise<SessionRecord> {
  const now = services.clock();
  if (!OPEN_STATES.includes(session.state) || now < session.expiresAt) return session;
  const expired = await services.store.transitionSession(session.id, OPEN_STATES, 'EXPIRED', now, { failedReason: '认证已过期' });
  return expired ?? (await services.store.getSession(session.id)) ?? session;
}

export type SessionProblem = 'finished' | 'expired' | 'cancelled';

function problemOf(s: SessionRecord): SessionProblem {
  return s.state === 'EXPIRED' ? 'expired' : s.state === 'CANCELLED' ? 'cancelled' : 'finished';
}

/** The user reached the hosted page (or the certify URL): INIT/PROCESSING → PROCESSING. */
export async function startSession(services: Services, session: SessionRecord, returnUrl?: string | null): Promise<Result<SessionRecord, SessionProblem>> {
  const current = await refresh(services, session);
  if (!OPEN_STATES.includes(current.state)) return err(problemOf(current));
  const patch = returnUrl !== undefined ? { returnUrl } : {};
  const started = await services.store.transitionSession(current.id, OPEN_STATES, 'PROCESSING', services.clock(), patch);
  if (started) return ok(started);
  return err(problemOf((await services.store.getSession(current.id)) ?? current));
}

/**
 * Finishes a session with an outcome. Idempotent: asking again for the outcome it already has
 * returns it; asking for a different one, or finishing an expired/cancelled one, is refused.
 */
export async function completeSession(
  services: Services,
  family: FamilyAdapter,
  session: SessionRecord,
  outcome: Outcome,
): Promise<Result<SessionRecord, SessionProblem>> {
  const current = await refresh(services, session);
  const target = outcome.passed ? 'PASSED' : 'FAILED';
  const reason = outcome.passed ? null : outcome.reason;
  if (OPEN_STATES.includes(current.state)) {
    const app = await services.store.getApp(current.appId);
    const finished = { ...current, state: target, failedReason: reason } as SessionRecord;
    const notification = app ? await notificationFor(services, family, finished, app) : undefined;
    const done = await services.store.transitionSession(current.id, OPEN_STATES, target, services.clock(), { failedReason: reason }, notification);
    if (done) {
      if (notification) services.wakeDelivery();
      return ok(done);
    }
  }
  const latest = (await services.store.getSession(current.id)) ?? current;
  if (latest.state === target && (outcome.passed || latest.failedReason === reason)) return ok(latest);
  return err(problemOf(latest));
}

/** Applies a magic outcome (docs/magic-values.md) if the identity carries one; `hold` keeps it open. */
export async function applyMagic(services: Services, family: FamilyAdapter, session: SessionRecord): Promise<SessionRecord> {
  const magic = magicOutcome(session.identity[family.certNoField]);
  if (!magic || magic.kind === 'hold' || magic.kind === 'refuse' || !OPEN_STATES.includes(session.state)) return session;
  const outcome: Outcome = magic.kind === 'pass' ? { passed: true } : { passed: false, reason: magic.reason };
  const result = await completeSession(services, family, session, outcome);
  return result.ok ? result.value : ((await services.store.getSession(session.id)) ?? session);
}

/** Cancels an open session; cancelling a cancelled one again is a no-op success. */
export async function cancelSession(services: Services, session: SessionRecord): Promise<Result<SessionRecord, SessionProblem>> {
  const current = await refresh(services, session);
  if (current.state === 'CANCELLED') return ok(current);
  if (!OPEN_STATES.includes(current.state)) return err(problemOf(current));
  const cancelled = await services.store.transitionSession(current.id, OPEN_STATES, 'CANCELLED', services.clock(), { failedReason: '用户或商户已取消' });
  if (cancelled) return ok(cancelled);
  const latest = (await services.store.getSession(current.id)) ?? current;
  return latest.state === 'CANCELLED' ? ok(latest) : err(problemOf(latest));
}
