import { businessError } from '../../contracts/contract.js';
import { faceCertifyInitializeContract as contract } from '../../contracts/datadigital.fincloud.generalsaas.face.certify.initialize.js';
import { FACE_CERTIFY_BIZ_CODE } from '../../contracts/face-fields.js';
import { err, ok } from '../../errors/alipay-error.js';
import { newHexId } from '../../domain/ids.js';
import { refusedAtInitialize } from '../../domain/magic.js';
import { openSession } from '../../domain/verification.js';
import { defineMethod } from '../../protocol/method.js';
import { FACE_TTL_MS } from './session.js';

/**
 * H5 flow: opens a session for the identity; merchant_config.return_url becomes the session's
 * return URL (where the hosted page sends the browser with the signed outcome). outer_order_no is
 * idempotent per app: the same content gets the same certify_id, other content a conflict.
 */
export const faceCertifyInitialize = defineMethod({
  contract,
  async handle(b, ctx) {
    const id = b.identity_param.value;
    if (refusedAtInitialize(id.cert_no)) return err(businessError(contract, 'BIZ_ERROR'));
    // PII (name, ID number, phone, picture) lives only in the sealed identity, never in details.
    const identity: Record<string, string> = { identity_type: id.identity_type, cert_type: id.cert_type, cert_name: id.cert_name, cert_no: id.cert_no };
    if (id.phone_no) identity.phone_no = id.phone_no;
    if (b.face_contrast_picture) identity.face_contrast_picture = b.face_contrast_picture;
    const config = b.merchant_config.value;
    const returnUrl = config.return_url?.trim() || null;
    const details = { flow: 'certify', face_reserve_strategy: config.face_reserve_strategy ?? 'reserve' };
    const opened = await openSession(ctx, {
      family: 'face',
      externalId: newHexId(),
      merchantRef: b.outer_order_no,
      content: { biz_code: b.biz_code, identity, details, returnUrl },
      scene: FACE_CERTIFY_BIZ_CODE,
      identity,
      details,
      returnUrl,
      ttlMs: FACE_TTL_MS,
    });
    if (!opened.ok) return err(businessError(contract, 'OUTER_ORDER_NO_CONFLICT'));
    return ok({ code: '10000', msg: 'Success', certify_id: opened.value.externalId });
  },
});
