import { businessError } from '../../contracts/contract.js';
import { faceCertifyQueryContract as contract } from '../../contracts/datadigital.fincloud.generalsaas.face.certify.query.js';
import { FACE_CERTIFY_BIZ_CODE } from '../../contracts/face-fields.js';
import { ok } from '../../errors/alipay-error.js';
import { defineMethod } from '../../protocol/method.js';
import { findFace, passedAndReason } from './session.js';

/** H5 flow: passed T/F; identity_info is "currently returned empty" and material_info normally empty (§3). */
export const faceCertifyQuery = defineMethod({
  contract,
  async handle(b, { app, services }) {
    const found = await findFace(services, app, b.certify_id, FACE_CERTIFY_BIZ_CODE, businessError(contract, 'OPEN_CERTIFY_BILL_NOT_EXIST'));
    if (!found.ok) return found;
    return ok({ code: '10000', msg: 'Success', ...passedAndReason(found.value), identity_info: '{}', material_info: '{}' });
  },
});
