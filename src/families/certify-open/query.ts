import { certifyOpenQueryContract as contract } from '../../contracts/alipay.user.certify.open.query.js';
import { ok } from '../../errors/alipay-error.js';
import { defineMethod } from '../../protocol/method.js';
import { OPEN_STATES } from '../../store/store.js';
import { passedFlag } from './adapter.js';
import { findCertify } from './session.js';

/**
 * passed "T" or "F" (unfinished is "F", not an error); fail_reason only once it failed.
 * identity_info and material_info are empty in ordinary scenes, as Alipay documents.
 */
export const certifyOpenQuery = defineMethod({
  contract,
  async handle(b, { app, services }) {
    const found = await findCertify(services, app, b.certify_id);
    if (!found.ok) return found;
    const s = found.value;
    const failed = s.state !== 'PASSED' && !OPEN_STATES.includes(s.state);
    return ok({
      code: '10000',
      msg: 'Success',
      passed: passedFlag(s),
      ...(failed ? { fail_reason: s.failedReason ?? '认证未通过' } : {}),
      identity_info: '{}',
      material_info: '{}',
    });
  },
});
