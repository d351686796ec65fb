import { z } from 'zod';
import { defineContract, successHead } from './contract.js';
import { requiredString } from './fields.js';

/**
 * 应用支付宝公钥证书下载: what the Java, .NET and PHP SDKs call when an answer names an
 * `alipay_cert_sn` they do not hold (docs/alipay-openapi-v2.md §5.3). The content is Base64 of
 * the PEM text of the certificate chain.
 */
export const alipayCertDownloadContract = defineContract({
  method: 'alipay.open.app.alipaycert.download',
  kind: 'api',
  request: z.object({ alipay_cert_sn: requiredString(64) }),
  response: z.object({ ...successHead, alipay_cert_content: z.string().min(1) }),
  errors: {
    CERT_NOT_EXIST: '证书不存在',
  },
  delegable: false,
  sealedData: false,
});
