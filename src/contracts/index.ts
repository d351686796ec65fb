import { riskCancelContract } from './alipay.security.risk.authentication.cancel.js';
import { riskInitializeContract } from './alipay.security.risk.authentication.initialize.js';
import { riskQueryContract } from './alipay.security.risk.authentication.query.js';
import type { Contract } from './contract.js';
import { zhimaCertifyContract } from './zhima.customer.certification.certify.js';
import { zhimaInitializeContract } from './zhima.customer.certification.initialize.js';
import { zhimaQueryContract } from './zhima.customer.certification.query.js';

export * from './contract.js';
export { riskCancelContract, riskInitializeContract, riskQueryContract, zhimaCertifyContract, zhimaInitializeContract, zhimaQueryContract };

/** Every method contract, by method name: what a typed client and generated docs are built from. */
export const CONTRACTS = {
  [zhimaInitializeContract.method]: zhimaInitializeContract,
  [zhimaCertifyContract.method]: zhimaCertifyContract,
  [zhimaQueryContract.method]: zhimaQueryContract,
  [riskInitializeContract.method]: riskInitializeContract,
  [riskQueryContract.method]: riskQueryContract,
  [riskCancelContract.method]: riskCancelContract,
} as const satisfies Record<string, Contract>;
