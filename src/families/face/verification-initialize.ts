import { businessError } from '../../contracts/contract.js';
import { faceVerificationInitializeContract as contract } from '../../contracts/datadigital.fincloud.generalsaas.face.verification.initialize.js';
import { FACE_VERIFICATION_BIZ_CODE } from '../../contracts/face-fields.js';
import { err, ok } from '../../errors/alipay-error.js';
import { newHexId } from '../../domain/ids.js';
import { refusedAtInitialize } from '../../domain/magic.js';
import { openSession } from '../../domain/verification.js';
import { defineMethod } from '../../protocol/method.js';
import { FACE_TTL_MS, pageUrl } from './session.js';

/**
 * App/SDK flow: flat request; answers certify_id plus page_url and web_url, both the hosted page
 * (aopgate has no client SDK to hand the id to). The request has no return URL field; aopgate
 * takes the common `return_url` parameter if the call carries one (an aopgate extension).
 */
export const faceVerificationInitialize = defineMethod({
  contract,
  async handle(b, ctx) {
    const { services, params } = ctx;
    if (refusedAtInitialize(b.cert_no)) return err(businessError(contract, 'BIZ_ERROR'));
    // PII (name, ID number, phone) lives only in the sealed identity, never in details.
    const identity: Record<string, string> = { identity_type: b.identity_type, cert_type: b.cert_type, cert_name: b.cert_name, cert_no: b.cert_no };
    if (b.phone_no) identity.phone_no = b.phone_no;
    if (b.nation) identity.nation = b.nation.toUpperCase();
    const details = { flow: 'verification', face_reserve_strategy: b.face_reserve_strategy ?? 'reserve' };
    const returnUrl = params.get('return_url')?.trim();
    const opened = await openSession(ctx, {
      family: 'face',
      externalId: newHexId(),
      merchantRef: b.outer_order_no,
      content: { biz_code: b.biz_code, identity, details },
      scene: FACE_VERIFICATION_BIZ_CODE,
      identity,
      details,
      returnUrl: returnUrl && URL.canParse(returnUrl) ? returnUrl : null,
      ttlMs: FACE_TTL_MS,
    });
    if (!opened.ok) return err(businessError(contract, 'OUTER_ORDER_NO_CONFLICT'));
    const url = pageUrl(services, opened.value);
    return ok({ code: '10000', msg: 'Success', certify_id: opened.value.externalId, page_url: url, web_url: url });
  },
});
