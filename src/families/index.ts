import type { FamilyAdapter, PiiField } from '../domain/family.js';
import { registryOf, type ApiMethod, type MethodRegistry } from '../protocol/method.js';
import type { FamilyModule } from './family.js';
import { certifyOpen } from './certify-open/index.js';
import { face } from './face/index.js';
import { open } from './open/index.js';
import { risk } from './risk/index.js';
import { zhima } from './zhima/index.js';

/** Every family the gateway serves. Adding a family is adding its folder and one entry here. */
export const FAMILIES: readonly FamilyModule[] = [zhima, risk, certifyOpen, face, open];

export const ADAPTERS: readonly FamilyAdapter[] = FAMILIES.flatMap((f) => (f.adapter ? [f.adapter] : []));

export const METHODS: readonly ApiMethod[] = FAMILIES.flatMap((f) => f.methods);

export const defaultRegistry = (): MethodRegistry => registryOf(METHODS);

/** Every identity field any family declares as personal data: the log redaction list. */
export const PII_FIELDS: readonly string[] = [...new Set(ADAPTERS.flatMap((a) => Object.keys(a.pii)))];

/** Every scene any family knows: what an app may sign. */
export const KNOWN_SCENES: readonly string[] = [...new Set(ADAPTERS.flatMap((a) => a.scenes))];

/** Every declared PII field with how it is masked, across families (journal masking). */
export const PII_KINDS: Readonly<Record<string, PiiField>> = Object.assign({}, ...ADAPTERS.map((a) => a.pii));
