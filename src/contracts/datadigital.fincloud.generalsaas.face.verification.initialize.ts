import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import {
  certName,
  certNo,
  FACE_VERIFICATION_BIZ_CODE,
  FACE_VERIFICATION_CERT_TYPES,
  faceErrors,
  faceReserveStrategy,
  outerOrderNo,
  phoneNo,
} from './face-fields.js';

/** App/SDK flow, step 1 (§4): flat fields; answers the certify_id and the H5 URLs (page_url deprecated, web_url current). */
export const faceVerificationInitializeContract = defineContract({
  method: 'datadigital.fincloud.generalsaas.face.verification.initialize',
  kind: 'api',
  request: z.object({
    outer_order_no: outerOrderNo(64),
    biz_code: z.literal(FACE_VERIFICATION_BIZ_CODE),
    identity_type: z.literal('CERT_INFO'),
    cert_type: z.enum(FACE_VERIFICATION_CERT_TYPES),
    cert_name: certName,
    cert_no: certNo,
    phone_no: phoneNo,
    /** Country/region code (example CAN); only meaningful for foreigners' cards, so never required here. */
    nation: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2,3}$/)
      .optional(),
    face_reserve_strategy: faceReserveStrategy,
  }),
  response: z.object({ ...successHead, certify_id: z.string().length(32), page_url: z.string().url(), web_url: z.string().url() }),
  errors: faceErrors('ILLEGAL_ARGUMENT_FORMAT', 'OUTER_ORDER_NO_CONFLICT', 'BIZ_ERROR'),
  parameterError: 'ILLEGAL_ARGUMENT_FORMAT',
});
