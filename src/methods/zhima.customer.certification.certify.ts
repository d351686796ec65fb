import { z } from 'zod';
import { alipayError, err, ok } from '../errors/alipay-error.js';
import { applyMagic, startSession } from '../domain/verification.js';
import { zhimaFamily } from '../families/zhima.js';
import { requiredString } from './biz-fields.js';
import { findCertification, passedAndReason } from './zhima-session.js';
import type { ApiMethod } from './types.js';

const errors = {
  ILLEGAL_INVOKE: '无效的调用',
  BIZ_ERROR: '业务异常',
} as const;

const biz = z.object({ biz_no: requiredString(32) });

/**
 * A page method: the merchant's pageExecute URL (or auto-submitting form) sends the browser
 * here; we answer with a redirect to the hosted verification page. Called as a plain API it
 * returns the certification's current result, as the SDK's CertifyResponse expects.
 */
export const zhimaCertificationCertify: ApiMethod<z.infer<typeof biz>> = {
  name: 'zhima.customer.certification.certify',
  kind: 'page',
  biz,
  errors,
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
      return err(alipayError('40004', 'BIZ_ERROR', why));
    }
    return ok({ redirect: `${services.publicUrl}/verify/${started.value.id}` });
  },
};
