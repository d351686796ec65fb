import type { FamilyAdapter } from '../domain/family.js';
import type { ApiMethod } from '../protocol/method.js';

/** A family folder's export: the adapter the shared flow uses and the methods it adds to the gateway. */
export interface FamilyModule {
  /** Families with verification sessions declare how they differ; the open platform's methods have none. */
  adapter?: FamilyAdapter;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each method has its own contract type
  methods: ReadonlyArray<ApiMethod<any>>;
}
