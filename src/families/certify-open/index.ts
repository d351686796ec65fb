import type { FamilyModule } from '../family.js';
import { certifyOpenFamily } from './adapter.js';
import { certifyOpenCertify } from './certify.js';
import { certifyOpenInitialize } from './initialize.js';
import { certifyOpenQuery } from './query.js';

/** 支付宝身份验证: alipay.user.certify.open.initialize → certify (page) → query. */
export const certifyOpen: FamilyModule = {
  adapter: certifyOpenFamily,
  methods: [certifyOpenInitialize, certifyOpenCertify, certifyOpenQuery],
};
