import { certifyOpenCertifyContract as contract } from '../../contracts/alipay.user.certify.open.certify.js';
import { ok } from '../../errors/alipay-error.js';
import { applyMagic } from '../../domain/verification.js';
import { defineMethod } from '../../protocol/method.js';
import { certifyOpenFamily } from './adapter.js';
import { findCertify } from './session.js';

/**
 * Opened in a browser, the signed URL leads to the hosted page, which then returns to
 * merchant_config.return_url. Called as an API it answers the bare Success node its response
 * class expects, after applying a magic outcome so API-only tests need no browser.
 */
export const certifyOpenCertify = defineMethod({
  contract,
  async handle(b, { app, services }) {
    const found = await findCertify(services, app, b.certify_id);
    if (!found.ok) return found;
    await applyMagic(services, certifyOpenFamily, found.value);
    return ok({ code: '10000', msg: 'Success' });
  },
  async page(b, { app, services }) {
    const found = await findCertify(services, app, b.certify_id);
    if (!found.ok) return found;
    // The page itself tells a finished or expired verification apart; no error page here.
    return ok({ redirect: `${services.publicUrl}/verify/${found.value.id}` });
  },
});
