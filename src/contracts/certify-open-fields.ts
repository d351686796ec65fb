import { z } from 'zod';
import { jsonObject, optionalString, requiredString } from './fields.js';
import { isValidResidentId } from './resident-id.js';

/**
 * biz_content shapes of alipay.user.certify.open.* (docs/families/certify-open.md, from the SDK
 * model classes OpenCertifyIdentityParam and OpenCertifyMerchantConfig). identity_param and
 * merchant_config arrive as objects (Java bizModel, Python) or as JSON strings (hand-written
 * bizContent, .NET): both are accepted, as Alipay does.
 */
export const CERTIFY_OPEN_BIZ_CODES = ['FACE', 'CERT_PHOTO', 'CERT_PHOTO_FACE', 'SMART_FACE'] as const;

export const CERTIFY_OPEN_CERT_TYPES = [
  'IDENTITY_CARD',
  'HOME_VISIT_PERMIT_HK_MC',
  'HOME_VISIT_PERMIT_TAIWAN',
  'RESIDENCE_PERMIT_HK_MC',
  'RESIDENCE_PERMIT_TAIWAN',
  'PERMANENT_RESIDENCE_FOREIGNER',
] as const;

const identityParam = z
  .object({
    /** CERT_INFO: the user verifies themself; AGENT_CERT_INFO: someone verifies on their behalf. */
    identity_type: z.enum(['CERT_INFO', 'AGENT_CERT_INFO']),
    cert_type: z.enum(CERTIFY_OPEN_CERT_TYPES),
    cert_name: requiredString(64),
    cert_no: requiredString(32),
    phone_no: z
      .string()
      .regex(/^\+?\d{5,20}$/)
      .optional(),
    cert_digest: optionalString(128),
    facial_picture_front: optionalString(1_048_576),
    open_id: optionalString(128),
    user_id: z
      .string()
      .regex(/^2088\d{12}$/)
      .optional(),
  })
  .superRefine((v, ctx) => {
    // Other certificates' formats vary by issue year (docs/identity-apis.md §7): checked leniently.
    const ok = v.cert_type === 'IDENTITY_CARD' ? isValidResidentId(v.cert_no) : /^[0-9A-Za-z()]{1,32}$/.test(v.cert_no);
    if (!ok) ctx.addIssue({ code: 'custom', path: ['cert_no'], message: 'invalid' });
  });

/** Python's SDK drops falsy values, so an absent flag means false and an absent return_url means "". */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional();

const merchantConfig = z.object({
  return_url: z.string().max(1024).optional(),
  face_reserve_strategy: z.enum(['reserve', 'never']).optional(),
  facial_picture_level: optionalString(32),
  out_put_facial_picture: flag,
  auth_scope: optionalString(64),
  auth_type: optionalString(64),
  linked_merchant_app_id: optionalString(32),
  linked_merchant_name: optionalString(128),
  linked_merchant_logo_url: optionalString(1024),
});

export const certifyOpenInitializeBiz = z.object({
  outer_order_no: requiredString(32).regex(/^[0-9A-Za-z_]+$/),
  biz_code: z.enum(CERTIFY_OPEN_BIZ_CODES),
  identity_param: jsonObject(4096, identityParam),
  merchant_config: jsonObject(4096, merchantConfig),
  face_contrast_picture: optionalString(1_048_576),
});

export const certifyIdBiz = z.object({ certify_id: requiredString(32) });

/**
 * The query answer both 支付宝身份验证 and 人脸核身 (H5) give: passed "T"/"F" (not zhima's
 * "true"/"false"; unfinished is "F"), fail_reason once there is one, JSON-text identity_info and
 * material_info ("{}" when empty, as in ordinary scenes).
 */
export const certifyResultFields = {
  passed: z.enum(['T', 'F']),
  fail_reason: z.string().optional(),
  identity_info: z.string(),
  material_info: z.string(),
};

/** What Alipay answers in this family (docs/identity-apis.md §4.4), sub_msg as seen. */
export const CERTIFY_OPEN_ERRORS = {
  ILLEGAL_ARGUMENT_FORMAT: '参数异常',
  'unknown-sub-code': '未知的错误码UNKNOWN_ERROR',
  OPEN_CERTIFY_BILL_NOT_EXIST: '无效的certify_id',
} as const;
