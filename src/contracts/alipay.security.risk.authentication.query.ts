import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { lookupBiz, RISK_ERRORS } from './risk-fields.js';

/** Current task_list status of an authentication, by token_id and/or biz_id. */
export const riskQueryContract = defineContract({
  method: 'alipay.security.risk.authentication.query',
  kind: 'api',
  request: lookupBiz,
  response: z.object({ ...successHead, biz_result: z.string().max(5000) }),
  errors: RISK_ERRORS,
});
