import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { CERTIFY_OPEN_ERRORS, certifyOpenInitializeBiz } from './certify-open-fields.js';

const { ILLEGAL_ARGUMENT_FORMAT, 'unknown-sub-code': unknown } = CERTIFY_OPEN_ERRORS;

/** 支付宝身份验证, step 1: opens a verification and answers its certify_id. */
export const certifyOpenInitializeContract = defineContract({
  method: 'alipay.user.certify.open.initialize',
  kind: 'api',
  request: certifyOpenInitializeBiz,
  response: z.object({ ...successHead, certify_id: z.string().length(32) }),
  errors: { ILLEGAL_ARGUMENT_FORMAT, 'unknown-sub-code': unknown },
  // Bad values, a biz_code outside the set, an outer_order_no too long: all one code here.
  parameterError: 'ILLEGAL_ARGUMENT_FORMAT',
  // Badly escaped nested JSON gets Alipay's opaque answer (a capture quoted in a Java integration).
  malformedJsonError: 'unknown-sub-code',
});
