import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { CERTIFY_OPEN_ERRORS, certifyIdBiz } from './certify-open-fields.js';

const { ILLEGAL_ARGUMENT_FORMAT, OPEN_CERTIFY_BILL_NOT_EXIST } = CERTIFY_OPEN_ERRORS;

/**
 * 支付宝身份验证, step 2, a page method: opened in a browser (pageExecute) it leads to the hosted
 * page. Its response class has no business fields.
 */
export const certifyOpenCertifyContract = defineContract({
  method: 'alipay.user.certify.open.certify',
  kind: 'page',
  request: certifyIdBiz,
  response: z.object(successHead),
  errors: { ILLEGAL_ARGUMENT_FORMAT, OPEN_CERTIFY_BILL_NOT_EXIST },
  parameterError: 'ILLEGAL_ARGUMENT_FORMAT',
});
