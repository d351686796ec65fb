import type { FamilyModule } from '../family.js';
import { riskFamily } from './adapter.js';
import { riskCancel } from './cancel.js';
import { riskInitialize } from './initialize.js';
import { riskQuery } from './query.js';

/** 身份安全: alipay.security.risk.authentication.initialize → (page or QR code) → query / cancel. */
export const risk: FamilyModule = {
  adapter: riskFamily,
  methods: [riskInitialize, riskQuery, riskCancel],
};
