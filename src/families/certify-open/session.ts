import { businessError } from '../../contracts/contract.js';
import { certifyOpenQueryContract } from '../../contracts/alipay.user.certify.open.query.js';
import { err, ok, type AlipayError, type Result } from '../../errors/alipay-error.js';
import { refresh } from '../../domain/verification.js';
import type { Services } from '../../services.js';
import type { AppRecord, SessionRecord } from '../../store/store.js';

/** A certify_id is usable for about 23 hours unfinished (docs/identity-apis.md §4.4); results stay queryable. */
export const CERTIFY_ID_TTL_MS = 23 * 3600_000;

/** Unknown, or another app's: Alipay answers both the same way. */
export const billNotExist = businessError(certifyOpenQueryContract, 'OPEN_CERTIFY_BILL_NOT_EXIST');

export async function findCertify(services: Services, app: AppRecord, certifyId: string): Promise<Result<SessionRecord, AlipayError>> {
  const session = await services.store.findSession('certify-open', { appId: app.appId, externalId: certifyId });
  return session ? ok(await refresh(services, session)) : err(billNotExist);
}
