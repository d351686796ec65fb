import { businessError } from '../../contracts/contract.js';
import { alipayCertDownloadContract as contract } from '../../contracts/alipay.open.app.alipaycert.download.js';
import { err, ok } from '../../errors/alipay-error.js';
import { platformCertificate } from '../../domain/platform-ca.js';
import { defineMethod } from '../../protocol/method.js';

/** Any platform certificate ever issued, by SN: a client still holding an old one gets it after a key rotation. */
export const alipayCertDownload = defineMethod({
  contract,
  async handle(b, { services }) {
    const cert = await platformCertificate(services, b.alipay_cert_sn.trim());
    if (!cert) return err(businessError(contract, 'CERT_NOT_EXIST'));
    return ok({ code: '10000', msg: 'Success', alipay_cert_content: Buffer.from(cert.certPem, 'utf8').toString('base64') });
  },
});
