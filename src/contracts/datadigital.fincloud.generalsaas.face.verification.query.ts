import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { certifyId, faceErrors } from './face-fields.js';

/** need_alive_photo: documented default N; Y asks for the photo [inferred]; booleans accepted too. */
const needAlivePhoto = z
  .union([z.enum(['Y', 'N', 'y', 'n', 'true', 'false']), z.boolean()])
  .transform((v) => v === true || v === 'Y' || v === 'y' || v === 'true')
  .optional();

/**
 * App/SDK flow, step 2 (§5): certify_state PROCESSING (unfinished) / SUCCESS / FAIL; scores are
 * doubles written as strings; meta_info is a real nested object (OpenCertifyMetaInfo).
 */
export const faceVerificationQueryContract = defineContract({
  method: 'datadigital.fincloud.generalsaas.face.verification.query',
  kind: 'api',
  request: z.object({ certify_id: certifyId, need_alive_photo: needAlivePhoto }),
  response: z.object({
    ...successHead,
    certify_state: z.enum(['PROCESSING', 'SUCCESS', 'FAIL']),
    score: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .optional(),
    quality: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .optional(),
    attack_flag: z.enum(['true', 'false']).optional(),
    alive_photo: z.string().optional(),
    meta_info: z.object({ device_type: z.enum(['harmony', 'ios', 'android', 'h5']) }),
  }),
  errors: faceErrors('ILLEGAL_ARGUMENT_FORMAT', 'OPEN_CERTIFY_BILL_NOT_EXIST'),
  parameterError: 'ILLEGAL_ARGUMENT_FORMAT',
});
