import { businessError } from '../../contracts/contract.js';
import { zhimaCertifyContract as contract } from '../../contracts/zhima.customer.certification.certify.js';
import { err, ok } from '../../errors/alipay-error.js';
import { applyMagic, startSession } from '../../domain/verification.js';
import { defineMethod } from '../../protocol/method.js';
import { zhimaFamily } from './adapter.js';
import { findCertification, passedAndReason } from './session.js';

/**
 * The merchant's pageExecute URL (or auto-submitting form) sends the browser here; we answer
 * with a redirect to the hosted verification page. Called as a plain API it returns the
 * certification's current result, as the SDK's CertifyResponse expects.
 */
export const zhimaCertify = defineMethod({
  contract,
  async handle(b, { app, services }) {
    const found = await findCertification(services, app, b.biz_no);
    if (!found.ok) return found;
    const session = await applyMagic(services, zhimaFamily, found.value);
    return ok({ code: '10000', msg: 'Success', biz_no: session.externalId, ...passedAndReason(session) });
  },
  async page(b, { app, services, params }) {
    const found = await findCertification(services, app, b.biz_no);
    if (!found.ok) return found;
    const started = await startSession(services, found.value, params.get('return_url')?.trim() || null);
    if (!started.ok) {
      const why = started.error === 'expired' ? '认证已过期，请重新初始化' : '该biz_no已完成认证，请重新初始化';
      return err(businessError(contract, 'BIZ_ERROR', why));
    }
    return ok({ redirect: `${services.publicUrl}/verify/${started.value.id}` });
  },
});
