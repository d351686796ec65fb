import { alipayCertDownloadContract } from './alipay.open.app.alipaycert.download.js';
import { authTokenAppContract } from './alipay.open.auth.token.app.js';
import { riskCancelContract } from './alipay.security.risk.authentication.cancel.js';
import { riskInitializeContract } from './alipay.security.risk.authentication.initialize.js';
import { riskQueryContract } from './alipay.security.risk.authentication.query.js';
import { certifyOpenCertifyContract } from './alipay.user.certify.open.certify.js';
import { certifyOpenInitializeContract } from './alipay.user.certify.open.initialize.js';
import { certifyOpenQueryContract } from './alipay.user.certify.open.query.js';
import type { Contract } from './contract.js';
import { faceCertifyInitializeContract } from './datadigital.fincloud.generalsaas.face.certify.initialize.js';
import { faceCertifyQueryContract } from './datadigital.fincloud.generalsaas.face.certify.query.js';
import { faceCertifyVerifyContract } from './datadigital.fincloud.generalsaas.face.certify.verify.js';
import { faceVerificationInitializeContract } from './datadigital.fincloud.generalsaas.face.verification.initialize.js';
import { faceVerificationQueryContract } from './datadigital.fincloud.generalsaas.face.verification.query.js';
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
  [certifyOpenInitializeContract.method]: certifyOpenInitializeContract,
  [certifyOpenCertifyContract.method]: certifyOpenCertifyContract,
  [certifyOpenQueryContract.method]: certifyOpenQueryContract,
  [faceCertifyInitializeContract.method]: faceCertifyInitializeContract,
  [faceCertifyVerifyContract.method]: faceCertifyVerifyContract,
  [faceCertifyQueryContract.method]: faceCertifyQueryContract,
  [faceVerificationInitializeContract.method]: faceVerificationInitializeContract,
  [faceVerificationQueryContract.method]: faceVerificationQueryContract,
  [authTokenAppContract.method]: authTokenAppContract,
  [alipayCertDownloadContract.method]: alipayCertDownloadContract,
} as const satisfies Record<string, Contract>;
