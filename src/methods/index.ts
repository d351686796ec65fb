import { riskAuthenticationCancel } from './alipay.security.risk.authentication.cancel.js';
import { riskAuthenticationInitialize } from './alipay.security.risk.authentication.initialize.js';
import { riskAuthenticationQuery } from './alipay.security.risk.authentication.query.js';
import type { ApiMethod } from './types.js';
import { zhimaCertificationCertify } from './zhima.customer.certification.certify.js';
import { zhimaCertificationInitialize } from './zhima.customer.certification.initialize.js';
import { zhimaCertificationQuery } from './zhima.customer.certification.query.js';

/** The one table of API methods: adding a method is adding a file and a line here. */
export const METHODS: readonly ApiMethod[] = [
  zhimaCertificationInitialize,
  zhimaCertificationCertify,
  zhimaCertificationQuery,
  riskAuthenticationInitialize,
  riskAuthenticationQuery,
  riskAuthenticationCancel,
];

export type MethodRegistry = ReadonlyMap<string, ApiMethod>;

export const defaultRegistry = (): MethodRegistry => new Map(METHODS.map((m) => [m.name, m]));
