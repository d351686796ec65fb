import type { z } from 'zod';
import { ok } from '../errors/alipay-error.js';
import { lookupBiz } from './risk-authentication-fields.js';
import { bizResult, findAuthentication, RISK_ERRORS } from './risk-session.js';
import type { ApiMethod } from './types.js';

/** Current task_list status of an authentication, by token_id and/or biz_id. */
export const riskAuthenticationQuery: ApiMethod<z.infer<typeof lookupBiz>> = {
  name: 'alipay.security.risk.authentication.query',
  kind: 'api',
  biz: lookupBiz,
  errors: RISK_ERRORS,
  async handle(b, { app, services }) {
    const found = await findAuthentication(services, app, b.token_id, b.biz_id);
    if (!found.ok) return found;
    return ok({ code: '10000', msg: 'Success', biz_result: bizResult(services, found.value) });
  },
};
