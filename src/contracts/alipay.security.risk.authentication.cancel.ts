import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { lookupBiz, RISK_ERRORS } from './risk-fields.js';

/** Moves an unfinished authentication to CANCELLED; idempotent. */
export const riskCancelContract = defineContract({
  method: 'alipay.security.risk.authentication.cancel',
  kind: 'api',
  request: lookupBiz,
  response: z.object({ ...successHead, biz_result: z.string().max(5000) }),
  errors: RISK_ERRORS,
});
