import { riskQueryContract as contract } from '../../contracts/alipay.security.risk.authentication.query.js';
import { ok } from '../../errors/alipay-error.js';
import { defineMethod } from '../../protocol/method.js';
import { bizResult, findAuthentication } from './session.js';

/** Current task_list status of an authentication, by token_id and/or biz_id. */
export const riskQuery = defineMethod({
  contract,
  async handle(b, { app, services }) {
    const found = await findAuthentication(services, app, b.token_id, b.biz_id);
    if (!found.ok) return found;
    return ok({ code: '10000', msg: 'Success', biz_result: bizResult(services, found.value) });
  },
});
