import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { requiredString } from './fields.js';

/**
 * A page method: opened in a browser it leads to the hosted verification page; called as a
 * plain API it answers the certification's current result (the SDK's CertifyResponse).
 */
export const zhimaCertifyContract = defineContract({
  method: 'zhima.customer.certification.certify',
  kind: 'page',
  request: z.object({ biz_no: requiredString(32) }),
  response: z.object({ ...successHead, biz_no: z.string(), passed: z.enum(['true', 'false']), failed_reason: z.string() }),
  errors: {
    ILLEGAL_INVOKE: '无效的调用',
    BIZ_ERROR: '业务异常',
  },
});
