import { businessError } from '../../contracts/contract.js';
import { certifyOpenInitializeContract as contract } from '../../contracts/alipay.user.certify.open.initialize.js';
import { err, ok } from '../../errors/alipay-error.js';
import { newHexId } from '../../domain/ids.js';
import { refusedAtInitialize } from '../../domain/magic.js';
import { openSession } from '../../domain/verification.js';
import { defineMethod } from '../../protocol/method.js';
import { CERTIFY_ID_TTL_MS } from './session.js';

export const certifyOpenInitialize = defineMethod({
  contract,
  async handle(b, ctx) {
    const identity = { ...b.identity_param.value, ...(b.face_contrast_picture ? { face_contrast_picture: b.face_contrast_picture } : {}) };
    // Sandbox magic 998: Alipay's opaque refusal, so merchants can test that branch (docs/magic-values.md).
    if (refusedAtInitialize(identity.cert_no)) return err(businessError(contract, 'unknown-sub-code'));
    const config = b.merchant_config.value;
    const details = { merchant_config: b.merchant_config.text };
    const opened = await openSession(ctx, {
      family: 'certify-open',
      externalId: newHexId(),
      merchantRef: b.outer_order_no,
      content: { details, biz_code: b.biz_code, identity },
      scene: b.biz_code,
      identity,
      details,
      returnUrl: config.return_url?.trim() || null,
      ttlMs: CERTIFY_ID_TTL_MS,
    });
    // Same outer_order_no: a client retry gets the first certify_id; different content is refused.
    if (!opened.ok) return err(businessError(contract, 'ILLEGAL_ARGUMENT_FORMAT', '参数异常，outer_order_no已被使用'));
    return ok({ code: '10000', msg: 'Success', certify_id: opened.value.externalId });
  },
});
