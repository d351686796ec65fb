import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { CERTIFY_OPEN_ERRORS, certifyIdBiz } from './certify-open-fields.js';

const { ILLEGAL_ARGUMENT_FORMAT, OPEN_CERTIFY_BILL_NOT_EXIST } = CERTIFY_OPEN_ERRORS;

/** 支付宝身份验证, step 3: passed is "T"/"F" (not zhima's "true"/"false"); unfinished is "F", not an error. */
export const certifyOpenQueryContract = defineContract({
  method: 'alipay.user.certify.open.query',
  kind: 'api',
  request: certifyIdBiz,
  response: z.object({
    ...successHead,
    passed: z.enum(['T', 'F']),
    fail_reason: z.string().optional(),
    identity_info: z.string(),
    material_info: z.string(),
  }),
  errors: { ILLEGAL_ARGUMENT_FORMAT, OPEN_CERTIFY_BILL_NOT_EXIST },
  parameterError: 'ILLEGAL_ARGUMENT_FORMAT',
});
