import type { Family } from '../store/store.js';
import type { FamilyAdapter } from './family.js';
import { zhimaFamily } from './zhima.js';

/** The families sharing the verification session; the risk family registers here too. */
export const FAMILIES: Record<Family, FamilyAdapter | undefined> = {
  zhima: zhimaFamily,
  risk: undefined,
};

export function familyOf(family: Family): FamilyAdapter {
  const adapter = FAMILIES[family];
  if (!adapter) throw new Error(`no adapter for family ${family}`);
  return adapter;
}
