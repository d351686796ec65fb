import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { jsonObject, optionalString, requiredString } from './fields.js';
import { isValidResidentId } from './resident-id.js';

/** Scenes Zhima certification knows (docs/identity-apis.md §6.1); an app signs a subset. */
export const ZHIMA_SCENES = ['FACE', 'SMART_FACE', 'FACE_SDK', 'CERT_PHOTO', 'CERT_PHOTO_FACE'] as const;

/** Certificate types besides the resident ID, checked leniently (§7: formats vary by issue year). */
const OTHER_CERT_TYPES = [
  'PASSPORT',
  'HOME_VISIT_PERMIT_HK_MC',
  'HOME_VISIT_PERMIT_TAIWAN',
  'RESIDENCE_PERMIT_HK_MC',
  'RESIDENCE_PERMIT_TAIWAN',
  'PERMANENT_RESIDENCE_FOREIGNER',
];

const identityParam = z
  .object({
    identity_type: z.enum(['CERT_INFO', 'SMS_MOBILE_NO', 'USER_ID']),
    cert_type: optionalString(32),
    cert_name: optionalString(64),
    cert_no: optionalString(32),
    principal_id: optionalString(64),
    mobile_no: optionalString(32),
    user_id: optionalString(32),
  })
  .superRefine((v, ctx) => {
    const bad = (field: string) => ctx.addIssue({ code: 'custom', path: [field], message: 'invalid' });
    if (v.identity_type === 'CERT_INFO') {
      if (v.cert_type !== 'IDENTITY_CARD' && !OTHER_CERT_TYPES.includes(v.cert_type ?? '')) return bad('cert_type');
      if (!v.cert_name?.trim()) return bad('cert_name');
      if (!v.cert_no) return bad('cert_no');
      const certOk = v.cert_type === 'IDENTITY_CARD' ? isValidResidentId(v.cert_no) : /^[0-9A-Za-z()]{1,32}$/.test(v.cert_no);
      if (!certOk) return bad('cert_no');
    }
    if (v.identity_type === 'USER_ID' && !/^2088\d{12}$/.test(v.user_id ?? '')) return bad('user_id');
    if (v.mobile_no !== undefined && !/^\+?\d{5,20}$/.test(v.mobile_no)) return bad('mobile_no');
  });

/** Fields and limits of the seed document (test/fixtures/seeds/zhima.customer.certification.initialize.json). */
export const zhimaInitializeContract = defineContract({
  method: 'zhima.customer.certification.initialize',
  kind: 'api',
  request: z.object({
    transaction_id: requiredString(32).regex(/^\w+$/),
    product_code: requiredString(32),
    biz_code: requiredString(32),
    identity_param: jsonObject(4096, identityParam),
    merchant_config: jsonObject(1024, z.record(z.string(), z.unknown())).optional(),
    ext_biz_param: jsonObject(4096, z.record(z.string(), z.unknown())).optional(),
    linked_merchant_id: optionalString(16),
    /** Base64 face photo to compare against (in the SDK model, not in the seed document). */
    face_contrast_picture: optionalString(1_048_576),
  }),
  response: z.object({ ...successHead, biz_no: z.string().length(32) }),
  /** Business error table of the seed document, sub_msg verbatim. */
  errors: {
    SYSTEM_ERROR: '系统繁忙',
    INVALID_PARAMETER: '参数有误。',
    BIZ_ERROR: '业务异常,认证初始化失败',
    ARRANGEMENT_ERROR: '合约异常',
    TRANSACTION_ERROR: '交易订单异常',
    UNSUPPORTED_BIZ_CODE: '不支持的认证场景',
  },
});
