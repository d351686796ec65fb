import { certificateValidAt } from '../../domain/platform-ca.js';
import { GatewayErrors as E } from '../../errors/gateway-errors.js';
import type { Services } from '../../services.js';
import type { GatewayHook } from '../hooks.js';

/**
 * Public-key-certificate mode (docs/alipay-openapi-v2.md §5): a call carrying `app_cert_sn` or
 * `alipay_root_cert_sn` must name the app's certificate (within its validity) and a root bundle
 * holding aopgate's root; its answers carry `alipay_cert_sn`, the platform certificate's SN,
 * between the node and `sign`. Sub-codes follow the v3 names with the `isv.` prefix (§3).
 */
export function certificateMode(services: Services): GatewayHook {
  return {
    name: 'certificates',
    checkCredentials(call) {
      const appSn = call.params.get('app_cert_sn')?.trim();
      const rootSn = call.params.get('alipay_root_cert_sn')?.trim();
      if (!appSn && !rootSn) return undefined;
      call.certMode = true;
      if (!appSn) return E.missingAppCertSn;
      if (!rootSn) return E.missingRootCertSn;
      const app = call.app!;
      if (!app.certPem || app.certSn !== appSn) return E.appCertNotExist;
      if (!certificateValidAt(app.certPem, services.clock())) return E.appCertExpired;
      if (!services.caRoot || !rootSn.split('_').includes(services.caRoot.sn)) return E.invalidRootCertSn;
      return undefined;
    },
    envelopeFields(call) {
      const sn = services.platform.certSn;
      return call.certMode && sn ? [['alipay_cert_sn', sn]] : [];
    },
  };
}
