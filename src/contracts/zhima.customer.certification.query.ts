import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { requiredString } from './fields.js';

/** JSON-in-JSON answers are strings even when empty (docs/identity-apis.md §2.6). */
export const zhimaQueryContract = defineContract({
  method: 'zhima.customer.certification.query',
  kind: 'api',
  request: z.object({ biz_no: requiredString(32) }),
  response: z.object({
    ...successHead,
    passed: z.enum(['true', 'false']),
    failed_reason: z.string(),
    identity_info: z.string(),
    attribute_info: z.string(),
    channel_statuses: z.string(),
  }),
  errors: {
    ILLEGAL_INVOKE: '无效的调用',
  },
});
