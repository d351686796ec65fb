import { z } from 'zod';
import { alipayError, err, ok } from '../errors/alipay-error.js';
import { isValidResidentId } from '../domain/resident-id.js';
import { newBizNo } from '../domain/ids.js';
import { openSession } from '../domain/verification.js';
import { jsonObject, optionalString, requiredString } from './biz-fields.js';
import type { ApiMethod } from './types.js';

/** Business error table of the seed (shared/seeds/zhima.customer.certification.initialize.txt). */
const errors = {
  SYSTEM_ERROR: '系统繁忙',
  INVALID_PARAMETER: '参数有误。',
  BIZ_ERROR: '业务异常,认证初始化失败',
  ARRANGEMENT_ERROR: '合约异常',
  TRANSACTION_ERROR: '交易订单异常',
  UNSUPPORTED_BIZ_CODE: '不支持的认证场景',
} as const;

/** Scenes Zhima certification knows (docs/identity-apis.md §6.1); an app signs a subset. */
export const ZHIMA_SCENES = ['FACE', 'SMART_FACE', 'FACE_SDK', 'CERT_PHOTO', 'CERT_PHOTO_FACE'] as const;

/** Certificate types besides the resident ID, checked leniently (§7: formats vary by issue year). */
const OTHER_CERT_TYPES = ['PASSPORT', 'HOME_VISIT_PERMIT_HK_MC', 'HOME_VISIT_PERMIT_TAIWAN', 'RESIDENCE_PERMIT_HK_MC', 'RESIDENCE_PERMIT_TAIWAN', 'PERMANENT_RESIDENCE_FOREIGNER'];

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

const biz = z.object({
  transaction_id: requiredString(32).regex(/^\w+$/),
  product_code: requiredString(32),
  biz_code: requiredString(32),
  identity_param: jsonObject(4096, identityParam),
  merchant_config: jsonObject(1024, z.record(z.string(), z.unknown())).optional(),
  ext_biz_param: jsonObject(4096, z.record(z.string(), z.unknown())).optional(),
  linked_merchant_id: optionalString(16),
});

type Biz = z.infer<typeof biz>;

export const zhimaCertificationInitialize: ApiMethod<Biz> = {
  name: 'zhima.customer.certification.initialize',
  kind: 'api',
  biz,
  errors,
  async handle(b, { app, services }) {
    if (!app.products.includes(b.product_code)) return err(alipayError('40004', 'ARRANGEMENT_ERROR', errors.ARRANGEMENT_ERROR));
    if (!app.scenes.includes(b.biz_code) || !(ZHIMA_SCENES as readonly string[]).includes(b.biz_code)) {
      return err(alipayError('40004', 'UNSUPPORTED_BIZ_CODE', errors.UNSUPPORTED_BIZ_CODE));
    }
    const details = {
      product_code: b.product_code,
      merchant_config: b.merchant_config?.text ?? '{}',
      ext_biz_param: b.ext_biz_param?.text ?? '{}',
      linked_merchant_id: b.linked_merchant_id ?? null,
    };
    const requestDigest = services.box.digest(JSON.stringify({ ...details, biz_code: b.biz_code, identity_param: b.identity_param.value }));
    const outcome = await openSession(services, {
      family: 'zhima',
      appId: app.appId,
      externalId: newBizNo(services.clock()),
      merchantRef: b.transaction_id,
      requestDigest,
      scene: b.biz_code,
      identity: b.identity_param.value,
      details,
      returnUrl: null,
      ttlMs: services.config.sessionTtlSeconds * 1000,
    });
    if (outcome.created) return ok({ code: '10000', msg: 'Success', biz_no: outcome.record.externalId });
    // Same transaction_id: a client retry gets the first biz_no; different content is a conflict.
    if (outcome.existing.requestDigest !== requestDigest) {
      return err(alipayError('40004', 'TRANSACTION_ERROR', errors.TRANSACTION_ERROR));
    }
    return ok({ code: '10000', msg: 'Success', biz_no: outcome.existing.externalId });
  },
};
