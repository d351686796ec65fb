import { businessError } from '../../contracts/contract.js';
import { faceCertifyVerifyContract as contract } from '../../contracts/datadigital.fincloud.generalsaas.face.certify.verify.js';
import { FACE_CERTIFY_BIZ_CODE } from '../../contracts/face-fields.js';
import { ok } from '../../errors/alipay-error.js';
import { defineMethod } from '../../protocol/method.js';
import { findFace, pageUrl } from './session.js';

/**
 * H5 flow: an ordinary API answering the hosted page's URL. Opening that page starts the session
 * (and applies the magic outcomes); a finished or expired session's page says so.
 */
export const faceCertifyVerify = defineMethod({
  contract,
  async handle(b, { app, services }) {
    const found = await findFace(services, app, b.certify_id, FACE_CERTIFY_BIZ_CODE, businessError(contract, 'OPEN_CERTIFY_BILL_NOT_EXIST'));
    if (!found.ok) return found;
    return ok({ code: '10000', msg: 'Success', certify_url: pageUrl(services, found.value) });
  },
});
