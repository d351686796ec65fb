import type { ScenarioTable } from './common.js';

/** The open platform's own methods: one scenario per declared sub_code. */
export const openScenarios: ScenarioTable = {
  'alipay.open.app.alipaycert.download': {
    INVALID_PARAMETER: (gw, app) => gw.call(app, 'alipay.open.app.alipaycert.download', {}),
    CERT_NOT_EXIST: (gw, app) => gw.call(app, 'alipay.open.app.alipaycert.download', { alipay_cert_sn: '0'.repeat(32) }),
  },
  'alipay.open.auth.token.app': {
    INVALID_PARAMETER: (gw, app) => gw.call(app, 'alipay.open.auth.token.app', { grant_type: 'password' }),
  },
};
