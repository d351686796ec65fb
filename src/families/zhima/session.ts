import { businessError } from '../../contracts/contract.js';
import { zhimaQueryContract } from '../../contracts/zhima.customer.certification.query.js';
import { err, ok, type AlipayError, type Result } from '../../errors/alipay-error.js';
import { refresh } from '../../domain/verification.js';
import type { Services } from '../../services.js';
import type { AppRecord, SessionRecord } from '../../store/store.js';

/** The gateway's answer for a biz_no that does not exist or belongs to another app (a real capture). */
export const illegalInvoke = businessError(zhimaQueryContract, 'ILLEGAL_INVOKE');

/** Looks a certification up by biz_no, scoped to the calling app, with expiry applied. */
export async function findCertification(services: Services, app: AppRecord, bizNo: string): Promise<Result<SessionRecord, AlipayError>> {
  const session = await services.store.findSession('zhima', { appId: app.appId, externalId: bizNo });
  return session ? ok(await refresh(services, session)) : err(illegalInvoke);
}

/** What query (and certify called as an API) say about a session, per docs/identity-apis.md §2.6. */
export function passedAndReason(s: SessionRecord): { passed: 'true' | 'false'; failed_reason: string } {
  if (s.state === 'PASSED') return { passed: 'true', failed_reason: '' };
  if (s.state === 'INIT' || s.state === 'PROCESSING') return { passed: 'false', failed_reason: '认证未完成，请返回重新认证' };
  return { passed: 'false', failed_reason: s.failedReason ?? '认证未通过' };
}
