import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { certifyId, faceErrors } from './face-fields.js';

/** H5 flow, step 2: an ordinary API call (not a page method) answering the URL to open (§2). */
export const faceCertifyVerifyContract = defineContract({
  method: 'datadigital.fincloud.generalsaas.face.certify.verify',
  kind: 'api',
  request: z.object({ certify_id: certifyId }),
  response: z.object({ ...successHead, certify_url: z.string().url() }),
  errors: faceErrors('ILLEGAL_ARGUMENT_FORMAT', 'OPEN_CERTIFY_BILL_NOT_EXIST'),
  parameterError: 'ILLEGAL_ARGUMENT_FORMAT',
});
