import type { z } from 'zod';
import { err, ok } from '../errors/alipay-error.js';
import { cancelSession } from '../domain/verification.js';
import { lookupBiz } from './risk-authentication-fields.js';
import { bizError, bizResult, findAuthentication, RISK_ERRORS } from './risk-session.js';
import type { ApiMethod } from './types.js';

const REFUSED = {
  finished: '认证已结束，无法取消',
  expired: '认证已过期，无法取消',
  cancelled: '认证已取消',
} as const;

/** Moves an unfinished authentication to CANCELLED; idempotent; a finished one is a BIZ_ERROR. */
export const riskAuthenticationCancel: ApiMethod<z.infer<typeof lookupBiz>> = {
  name: 'alipay.security.risk.authentication.cancel',
  kind: 'api',
  biz: lookupBiz,
  errors: RISK_ERRORS,
  async handle(b, { app, services }) {
    const found = await findAuthentication(services, app, b.token_id, b.biz_id);
    if (!found.ok) return found;
    const cancelled = await cancelSession(services, found.value);
    if (!cancelled.ok) return err(bizError(REFUSED[cancelled.error]));
    return ok({ code: '10000', msg: 'Success', biz_result: bizResult(services, cancelled.value) });
  },
};
