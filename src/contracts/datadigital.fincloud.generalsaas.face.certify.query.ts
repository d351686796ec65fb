import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { certifyResultFields } from './certify-open-fields.js';
import { certifyId, faceErrors } from './face-fields.js';

/**
 * H5 flow, step 3 (§3): passed T/F (F also while unfinished); identity_info and material_info
 * are JSON text, "{}" when empty; fail_reason only when there is one.
 */
export const faceCertifyQueryContract = defineContract({
  method: 'datadigital.fincloud.generalsaas.face.certify.query',
  kind: 'api',
  request: z.object({ certify_id: certifyId }),
  response: z.object({ ...successHead, ...certifyResultFields }),
  errors: faceErrors('ILLEGAL_ARGUMENT_FORMAT', 'OPEN_CERTIFY_BILL_NOT_EXIST'),
  parameterError: 'ILLEGAL_ARGUMENT_FORMAT',
});
