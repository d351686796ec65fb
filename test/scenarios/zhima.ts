import type { TestApp } from '../support/client.js';
import { buildSignedParams, send } from '../support/client.js';
import { seedInitializeBiz, type TestGateway } from '../support/harness.js';
import { identityParam, idNumberWithSequence } from '../support/identity.js';
import { corrupt, type ScenarioTable } from './common.js';

const ZHIMA_INIT = 'zhima.customer.certification.initialize';

const zhimaBizNo = async (gw: TestGateway, app: TestApp, certNo?: string) =>
  String((await gw.call(app, ZHIMA_INIT, { ...seedInitializeBiz(), ...(certNo ? { identity_param: identityParam(certNo) } : {}) })).node.biz_no);
const finishedBizNo = async (gw: TestGateway, app: TestApp) => {
  const bizNo = await zhimaBizNo(gw, app, idNumberWithSequence('990'));
  await gw.call(app, 'zhima.customer.certification.certify', { biz_no: bizNo });
  return bizNo;
};

/** zhima.customer.certification.*: one scenario per declared sub_code (the app signs FACE only). */
export const zhimaScenarios: ScenarioTable = {
  [ZHIMA_INIT]: {
    INVALID_PARAMETER: (gw, app) => gw.call(app, ZHIMA_INIT, { ...seedInitializeBiz(), biz_code: '' }),
    ARRANGEMENT_ERROR: (gw, app) => gw.call(app, ZHIMA_INIT, { ...seedInitializeBiz(), product_code: 'w0000' }),
    UNSUPPORTED_BIZ_CODE: (gw, app) => gw.call(app, ZHIMA_INIT, { ...seedInitializeBiz(), biz_code: 'CERT_PHOTO' }),
    TRANSACTION_ERROR: async (gw, app) => {
      const first = seedInitializeBiz();
      await gw.call(app, ZHIMA_INIT, first);
      return gw.call(app, ZHIMA_INIT, { ...first, identity_param: identityParam(idNumberWithSequence('123')) });
    },
    BIZ_ERROR: (gw, app) => gw.call(app, ZHIMA_INIT, { ...seedInitializeBiz(), identity_param: identityParam(idNumberWithSequence('998')) }),
    SYSTEM_ERROR: async (gw, app) => {
      const biz = seedInitializeBiz();
      await corrupt(gw, String((await gw.call(app, ZHIMA_INIT, biz)).node.biz_no));
      return gw.call(app, ZHIMA_INIT, biz);
    },
  },
  'zhima.customer.certification.certify': {
    INVALID_PARAMETER: (gw, app) => gw.call(app, 'zhima.customer.certification.certify', {}),
    ILLEGAL_INVOKE: (gw, app) => gw.call(app, 'zhima.customer.certification.certify', { biz_no: 'ZM201611253000000000000000000000' }),
    // Only the page (a browser opening a finished biz_no) refuses; it shows the code on an HTML page.
    BIZ_ERROR: async (gw, app) => {
      const bizNo = await finishedBizNo(gw, app);
      const res = await send(gw.url, buildSignedParams(app, 'zhima.customer.certification.certify', { biz_no: bizNo }), { via: 'get' });
      const subCode = /data-sub-code="([^"]+)"/.exec(res.body.toString('utf8'))?.[1];
      return { node: { code: subCode ? '40004' : 'none', sub_code: subCode }, signatureValid: true };
    },
    SYSTEM_ERROR: async (gw, app) => {
      const bizNo = await zhimaBizNo(gw, app);
      await corrupt(gw, bizNo);
      return gw.call(app, 'zhima.customer.certification.certify', { biz_no: bizNo });
    },
  },
  'zhima.customer.certification.query': {
    INVALID_PARAMETER: (gw, app) => gw.call(app, 'zhima.customer.certification.query', { biz_no: 'x'.repeat(33) }),
    ILLEGAL_INVOKE: (gw, app) => gw.call(app, 'zhima.customer.certification.query', { biz_no: 'ZM201611253000000000000000000000' }),
    SYSTEM_ERROR: async (gw, app) => {
      const bizNo = await zhimaBizNo(gw, app);
      await corrupt(gw, bizNo);
      return gw.call(app, 'zhima.customer.certification.query', { biz_no: bizNo });
    },
  },
};
