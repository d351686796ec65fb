import { SEED_CERT_NO, SEED_NAME } from '../support/identity.js';

import { corrupt, uniqueRef, type ScenarioTable } from './common.js';
import type { TestApp } from '../support/client.js';
import type { TestGateway } from '../support/harness.js';

const INIT = 'alipay.user.certify.open.initialize';
const biz = (certNo = SEED_CERT_NO) => ({
  outer_order_no: uniqueRef('OC'),
  biz_code: 'FACE',
  identity_param: { identity_type: 'CERT_INFO', cert_type: 'IDENTITY_CARD', cert_name: SEED_NAME, cert_no: certNo },
  merchant_config: { return_url: '' },
});
const certifyId = async (gw: TestGateway, app: TestApp) => String((await gw.call(app, INIT, biz())).node.certify_id);
const corrupted = async (gw: TestGateway, app: TestApp) => {
  const id = await certifyId(gw, app);
  await corrupt(gw, id);
  return id;
};

/** alipay.user.certify.open.*: one scenario per declared sub_code. */
export const certifyOpenScenarios: ScenarioTable = {
  [INIT]: {
    ILLEGAL_ARGUMENT_FORMAT: (gw, app) => gw.call(app, INIT, { ...biz(), biz_code: 'PALM' }),
    'unknown-sub-code': (gw, app) => gw.call(app, INIT, { ...biz(), merchant_config: '{"return_url":' }),
    SYSTEM_ERROR: async (gw, app) => {
      const first = biz();
      await corrupt(gw, String((await gw.call(app, INIT, first)).node.certify_id));
      return gw.call(app, INIT, first);
    },
  },
  'alipay.user.certify.open.certify': {
    ILLEGAL_ARGUMENT_FORMAT: (gw, app) => gw.call(app, 'alipay.user.certify.open.certify', { certify_id: '' }),
    OPEN_CERTIFY_BILL_NOT_EXIST: (gw, app) => gw.call(app, 'alipay.user.certify.open.certify', { certify_id: 'f'.repeat(32) }),
    SYSTEM_ERROR: async (gw, app) => gw.call(app, 'alipay.user.certify.open.certify', { certify_id: await corrupted(gw, app) }),
  },
  'alipay.user.certify.open.query': {
    ILLEGAL_ARGUMENT_FORMAT: (gw, app) => gw.call(app, 'alipay.user.certify.open.query', { certify_id: 'x'.repeat(33) }),
    OPEN_CERTIFY_BILL_NOT_EXIST: (gw, app) => gw.call(app, 'alipay.user.certify.open.query', { certify_id: 'f'.repeat(32) }),
    SYSTEM_ERROR: async (gw, app) => gw.call(app, 'alipay.user.certify.open.query', { certify_id: await corrupted(gw, app) }),
  },
};
