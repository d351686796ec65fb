import type { Family } from '../store/store.js';
import type { FamilyAdapter } from './family.js';
import { riskFamily } from './risk.js';
import { zhimaFamily } from './zhima.js';

/** The families sharing the verification session; the risk family registers here too. */
export const FAMILIES: Readonly<Record<Family, FamilyAdapter>> = {
  zhima: zhimaFamily,
  risk: riskFamily,
};

export const familyOf = (family: Family): FamilyAdapter => FAMILIES[family];
