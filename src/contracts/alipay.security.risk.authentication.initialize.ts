import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { initializeBiz, RISK_ERRORS } from './risk-fields.js';

/** Fields and limits of the seed document (test/fixtures/seeds/alipay.security.risk.authentication.initialize.json). */
export const riskInitializeContract = defineContract({
  method: 'alipay.security.risk.authentication.initialize',
  kind: 'api',
  request: initializeBiz,
  response: z.object({ ...successHead, token_id: z.string().max(128), biz_result: z.string().max(5000) }),
  errors: RISK_ERRORS,
});
