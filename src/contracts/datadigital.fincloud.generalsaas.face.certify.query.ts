import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { certifyId, faceErrors } from './face-fields.js';

/**
 * H5 flow, step 3 (§3): passed T/F (F also while unfinished); identity_info and material_info
 * are JSON text, "{}" when empty; fail_reason only when there is one.
 */
export const faceCertifyQueryContract = defineContract({
  method: 'datadigital.fincloud.generalsaas.face.certify.query',
  kind: 'api',
  request: z.object({ certify_id: certifyId }),
  response: z.object({
    ...successHead,
    passed: z.enum(['T', 'F']),
    fail_reason: z.string().optional(),
    identity_info: z.string(),
    material_info: z.string(),
  }),
  errors: faceErrors('ILLEGAL_ARGUMENT_FORMAT', 'OPEN_CERTIFY_BILL_NOT_EXIST'),
  parameterError: 'ILLEGAL_ARGUMENT_FORMAT',
});
