import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { CERTIFY_OPEN_ERRORS, certifyIdBiz, certifyResultFields } from './certify-open-fields.js';

const { ILLEGAL_ARGUMENT_FORMAT, OPEN_CERTIFY_BILL_NOT_EXIST } = CERTIFY_OPEN_ERRORS;

/** 支付宝身份验证, step 3: passed is "T"/"F" (not zhima's "true"/"false"); unfinished is "F", not an error. */
export const certifyOpenQueryContract = defineContract({
  method: 'alipay.user.certify.open.query',
  kind: 'api',
  request: certifyIdBiz,
  response: z.object({ ...successHead, ...certifyResultFields }),
  errors: { ILLEGAL_ARGUMENT_FORMAT, OPEN_CERTIFY_BILL_NOT_EXIST },
  parameterError: 'ILLEGAL_ARGUMENT_FORMAT',
});
