import { z } from 'zod';
import { isValidResidentId } from './resident-id.js';

/**
 * Shared pieces of the 人脸核身 contracts, datadigital.fincloud.generalsaas.face.* (docs/families/face.md).
 * No SDK class gives max lengths for this family; the limits below come from description text
 * (outer_order_no 32 / 64) or mirror alipay.user.certify.open.* (§4 of docs/identity-apis.md).
 */

/** The only H5 scene documented (§1). */
export const FACE_CERTIFY_BIZ_CODE = 'FUTURE_TECH_BIZ_FACE_SDK';
/** The only app/SDK scene documented (§4). */
export const FACE_VERIFICATION_BIZ_CODE = 'DATA_DIGITAL_BIZ_CODE_FACE_VERIFICATION';
export const FACE_SCENES = [FACE_CERTIFY_BIZ_CODE, FACE_VERIFICATION_BIZ_CODE] as const;

/** Certificate types of face.verification.initialize (spelled unlike user.certify's RESIDENCE_PERMIT_…). */
export const FACE_VERIFICATION_CERT_TYPES = ['IDENTITY_CARD', 'RESIDENCE_HK_MC', 'RESIDENCE_TAIWAN'] as const;

/** Merchant order ids: letters and digits ("32-length letters+digits"); `_` tolerated as elsewhere. */
export const outerOrderNo = (max: number) => z.string().trim().min(1).max(max).regex(/^\w+$/);

/** A certify_id as handed out: 32 characters. */
export const certifyId = z.string().trim().min(1).max(32);

export const certName = z.string().trim().min(1).max(64);

/**
 * Resident ID numbers and the HK/Macau/Taiwan residence permits share GB 11643's 18-character
 * format (permits start 810000/820000/830000), so one check serves every accepted cert_type.
 */
export const certNo = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .refine((v) => isValidResidentId(v), 'invalid');

export const phoneNo = z
  .string()
  .regex(/^\+?\d{5,20}$/)
  .optional();

export const faceReserveStrategy = z.enum(['reserve', 'never']).optional();

/** Base64 text (whitespace tolerated), at most 1 MiB of it — the user.certify limit. */
export const base64Picture = z
  .string()
  .max(1_048_576)
  .regex(/^[A-Za-z0-9+/=\s]+$/);

/**
 * Business errors (40004 Business Failed). Nothing in the SDK sources lists sub_codes for this
 * family (docs/families/face.md §6.3), so every entry is [inferred]: the wild codes of the sister
 * product alipay.user.certify.open.* (ILLEGAL_ARGUMENT_FORMAT, OPEN_CERTIFY_BILL_NOT_EXIST,
 * unknown-sub-code) plus aopgate's own names for the idempotency conflict and the magic refusal.
 */
export const FACE_ERRORS = {
  /** [inferred, wild for user.certify] bad, missing or too long values; wrong biz_code/cert_type/identity_type. */
  ILLEGAL_ARGUMENT_FORMAT: '参数异常',
  /** [inferred, wild for user.certify] identity_param / merchant_config text that is not JSON. */
  'unknown-sub-code': '未知的错误码UNKNOWN_ERROR',
  /** [inferred, wild for user.certify] unknown certify_id, another app's, or one of the other flow. */
  OPEN_CERTIFY_BILL_NOT_EXIST: '无效的certify_id',
  /** [inferred, aopgate's name] outer_order_no already used by this app for a request with other content. */
  OUTER_ORDER_NO_CONFLICT: '商户请求唯一标识outer_order_no重复，且请求内容不一致',
  /** [inferred] the identity is refused at initialize (magic sequence 998, docs/magic-values.md). */
  BIZ_ERROR: '业务异常,人脸核身初始化失败',
} as const;

/** The error table of one method: the listed codes of FACE_ERRORS. */
export function faceErrors<K extends keyof typeof FACE_ERRORS>(...codes: K[]): Pick<typeof FACE_ERRORS, K> {
  return Object.fromEntries(codes.map((c) => [c, FACE_ERRORS[c]])) as Pick<typeof FACE_ERRORS, K>;
}
