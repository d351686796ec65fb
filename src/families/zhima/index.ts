import type { FamilyModule } from '../family.js';
import { zhimaFamily } from './adapter.js';
import { zhimaCertify } from './certify.js';
import { zhimaInitialize } from './initialize.js';
import { zhimaQuery } from './query.js';

/** 芝麻认证: zhima.customer.certification.initialize → certify (page) → query. */
export const zhima: FamilyModule = {
  adapter: zhimaFamily,
  methods: [zhimaInitialize, zhimaCertify, zhimaQuery],
};
