import type { TestApp } from '../support/client.js';
import type { TestGateway } from '../support/harness.js';
import { idNumberWithSequence } from '../support/identity.js';
import { riskBiz } from '../support/risk.js';
import { corrupt, uniqueRef, type ScenarioTable } from './common.js';

const RISK_INIT = 'alipay.security.risk.authentication.initialize';

const riskToken = async (gw: TestGateway, app: TestApp, certNo?: string) => {
  const biz = riskBiz({ bizId: uniqueRef('R'), ...(certNo ? { certNo } : {}) });
  return { token: String((await gw.call(app, RISK_INIT, biz)).node.token_id), biz };
};

/** alipay.security.risk.authentication.*: one scenario per declared sub_code. */
export const riskScenarios: ScenarioTable = {
  [RISK_INIT]: {
    INVALID_PARAMETER: (gw, app) => gw.call(app, RISK_INIT, {}),
    BIZ_ERROR: (gw, app) => gw.call(app, RISK_INIT, riskBiz({ bizId: `R${Date.now()}`, certNo: idNumberWithSequence('998') })),
    SYSTEM_ERROR: async (gw, app) => {
      const { token, biz } = await riskToken(gw, app);
      await corrupt(gw, token);
      return gw.call(app, RISK_INIT, biz);
    },
  },
  'alipay.security.risk.authentication.query': {
    INVALID_PARAMETER: (gw, app) => gw.call(app, 'alipay.security.risk.authentication.query', {}),
    BIZ_ERROR: (gw, app) => gw.call(app, 'alipay.security.risk.authentication.query', { token_id: 'f'.repeat(32) }),
    SYSTEM_ERROR: async (gw, app) => {
      const { token } = await riskToken(gw, app);
      await corrupt(gw, token);
      return gw.call(app, 'alipay.security.risk.authentication.query', { token_id: token });
    },
  },
  'alipay.security.risk.authentication.cancel': {
    INVALID_PARAMETER: (gw, app) => gw.call(app, 'alipay.security.risk.authentication.cancel', { biz_id: 'x'.repeat(129) }),
    BIZ_ERROR: (gw, app) => gw.call(app, 'alipay.security.risk.authentication.cancel', { biz_id: 'no-such-biz' }),
    SYSTEM_ERROR: async (gw, app) => {
      const { token } = await riskToken(gw, app);
      await corrupt(gw, token);
      return gw.call(app, 'alipay.security.risk.authentication.cancel', { token_id: token });
    },
  },
};
