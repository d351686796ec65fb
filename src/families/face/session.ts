import { err, ok, type AlipayError, type Result } from '../../errors/alipay-error.js';
import { refresh } from '../../domain/verification.js';
import type { Services } from '../../services.js';
import type { AppRecord, SessionRecord } from '../../store/store.js';

/**
 * No source states a lifetime for this family; like alipay.user.certify.open.* a certify_id is
 * usable about 23 h (docs/families/face.md §6.4), then EXPIRED. Results stay queryable.
 */
export const FACE_TTL_MS = 23 * 3600 * 1000;

/** The hosted page a certify_id is verified on (certify_url, page_url, web_url). */
export const pageUrl = (services: Services, s: SessionRecord): string => `${services.publicUrl}/verify/${s.id}`;

/**
 * Looks a session up by certify_id, scoped to the calling app and to one flow (scene = biz_code),
 * with expiry applied; anything else is `notFound` (an id of the other flow too, §6.3).
 */
export async function findFace(
  services: Services,
  app: AppRecord,
  certifyId: string,
  scene: string,
  notFound: AlipayError,
): Promise<Result<SessionRecord, AlipayError>> {
  const session = await services.store.findSession('face', { appId: app.appId, externalId: certifyId });
  if (!session || session.scene !== scene) return err(notFound);
  return ok(await refresh(services, session));
}

/**
 * H5 result (§3): T only when passed. An unfinished session is F without a reason (clients read
 * a missing reason as "pending"); a failed, expired or cancelled one is F with its reason.
 */
export function passedAndReason(s: SessionRecord): { passed: 'T' | 'F'; fail_reason?: string } {
  if (s.state === 'PASSED') return { passed: 'T' };
  if (s.state === 'INIT' || s.state === 'PROCESSING') return { passed: 'F' };
  return { passed: 'F', fail_reason: s.failedReason ?? '认证未通过' };
}

/** App result (§5): INIT/PROCESSING → PROCESSING; PASSED → SUCCESS; FAILED/EXPIRED/CANCELLED → FAIL. */
export function certifyState(s: SessionRecord): 'PROCESSING' | 'SUCCESS' | 'FAIL' {
  if (s.state === 'PASSED') return 'SUCCESS';
  if (s.state === 'INIT' || s.state === 'PROCESSING') return 'PROCESSING';
  return 'FAIL';
}
