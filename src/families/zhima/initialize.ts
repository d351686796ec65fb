import { businessError } from '../../contracts/contract.js';
import { ZHIMA_SCENES, zhimaInitializeContract as contract } from '../../contracts/zhima.customer.certification.initialize.js';
import { err, ok } from '../../errors/alipay-error.js';
import { newBizNo } from '../../domain/ids.js';
import { refusedAtInitialize } from '../../domain/magic.js';
import { openSession } from '../../domain/verification.js';
import { defineMethod } from '../../protocol/method.js';

export const zhimaInitialize = defineMethod({
  contract,
  async handle(b, ctx) {
    const { app, services } = ctx;
    if (!app.products.includes(b.product_code)) return err(businessError(contract, 'ARRANGEMENT_ERROR'));
    if (!app.scenes.includes(b.biz_code) || !(ZHIMA_SCENES as readonly string[]).includes(b.biz_code)) {
      return err(businessError(contract, 'UNSUPPORTED_BIZ_CODE'));
    }
    if (refusedAtInitialize(b.identity_param.value.cert_no)) return err(businessError(contract, 'BIZ_ERROR'));
    const details = {
      product_code: b.product_code,
      merchant_config: b.merchant_config?.text ?? '{}',
      ext_biz_param: b.ext_biz_param?.text ?? '{}',
      linked_merchant_id: b.linked_merchant_id ?? null,
    };
    const opened = await openSession(ctx, {
      family: 'zhima',
      externalId: newBizNo(services.clock()),
      merchantRef: b.transaction_id,
      content: { ...details, biz_code: b.biz_code, identity_param: b.identity_param.value, picture: b.face_contrast_picture ?? null },
      scene: b.biz_code,
      // The comparison photo is personal data: it travels with the sealed identity, never in details.
      identity: { ...b.identity_param.value, ...(b.face_contrast_picture ? { face_contrast_picture: b.face_contrast_picture } : {}) },
      details,
      returnUrl: null,
      ttlMs: services.config.sessionTtlSeconds * 1000,
    });
    // Same transaction_id: a client retry gets the first biz_no; different content is a conflict.
    if (!opened.ok) return err(businessError(contract, 'TRANSACTION_ERROR'));
    return ok({ code: '10000', msg: 'Success', biz_no: opened.value.externalId });
  },
});
