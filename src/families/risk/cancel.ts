import { riskCancelContract as contract } from '../../contracts/alipay.security.risk.authentication.cancel.js';
import { err, ok } from '../../errors/alipay-error.js';
import { cancelSession } from '../../domain/verification.js';
import { defineMethod } from '../../protocol/method.js';
import { bizError, bizResult, findAuthentication } from './session.js';

const REFUSED = {
  finished: '认证已结束，无法取消',
  expired: '认证已过期，无法取消',
  cancelled: '认证已取消',
} as const;

/** Moves an unfinished authentication to CANCELLED; idempotent; a finished one is a BIZ_ERROR. */
export const riskCancel = defineMethod({
  contract,
  async handle(b, { app, services }) {
    const found = await findAuthentication(services, app, b.token_id, b.biz_id);
    if (!found.ok) return found;
    const cancelled = await cancelSession(services, found.value);
    if (!cancelled.ok) return err(bizError(REFUSED[cancelled.error]));
    return ok({ code: '10000', msg: 'Success', biz_result: bizResult(services, cancelled.value) });
  },
});
