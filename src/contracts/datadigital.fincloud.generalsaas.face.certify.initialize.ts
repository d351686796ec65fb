import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { base64Picture, certName, certNo, FACE_CERTIFY_BIZ_CODE, faceErrors, faceReserveStrategy, outerOrderNo, phoneNo } from './face-fields.js';
import { jsonObject } from './fields.js';

/** OpenCertifyIdentifyInfo (docs/families/face.md §1.1): only CERT_INFO / IDENTITY_CARD. */
const identifyInfo = z.object({
  identity_type: z.literal('CERT_INFO'),
  cert_type: z.literal('IDENTITY_CARD'),
  cert_name: certName,
  cert_no: certNo,
  phone_no: phoneNo,
});

/** OpenCertifyMerchantConfigs (§1.2): a missing return_url is "" (no redirect after the page). */
const merchantConfigs = z.object({
  return_url: z
    .string()
    .trim()
    .max(1024)
    .refine((v) => v === '' || URL.canParse(v), 'not a URL')
    .optional(),
  face_reserve_strategy: faceReserveStrategy,
});

/**
 * H5 flow, step 1. identity_param and merchant_config are objects in the current SDK classes and
 * JSON strings in the old .NET model (§6.1): both are accepted.
 */
export const faceCertifyInitializeContract = defineContract({
  method: 'datadigital.fincloud.generalsaas.face.certify.initialize',
  kind: 'api',
  request: z.object({
    outer_order_no: outerOrderNo(32),
    biz_code: z.literal(FACE_CERTIFY_BIZ_CODE),
    identity_param: jsonObject(4096, identifyInfo),
    merchant_config: jsonObject(4096, merchantConfigs),
    face_contrast_picture: base64Picture.optional(),
  }),
  response: z.object({ ...successHead, certify_id: z.string().length(32) }),
  errors: faceErrors('ILLEGAL_ARGUMENT_FORMAT', 'unknown-sub-code', 'OUTER_ORDER_NO_CONFLICT', 'BIZ_ERROR'),
  parameterError: 'ILLEGAL_ARGUMENT_FORMAT',
  malformedJsonError: 'unknown-sub-code',
});
