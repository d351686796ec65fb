import type { z } from 'zod';
import type { CONTRACTS } from '../contracts/index.js';

/**
 * Request and response types inferred from the server's own contracts. `import type` only: zod
 * and the contracts are erased from the emitted JavaScript, the client keeps no runtime dependency.
 */
export type Contracts = typeof CONTRACTS;
export type MethodName = keyof Contracts & string;
/** What may be sent: the schema's input (JSON-in-JSON fields as a string or an object). */
export type RequestOf<M extends MethodName> = z.input<Contracts[M]['request']>;
/** The verified success node (`code` 10000 and the method's fields). */
export type ResponseOf<M extends MethodName> = z.output<Contracts[M]['response']>;

/**
 * Methods a browser opens (contracts with `kind: 'page'`). `kind` is not a literal type in the
 * contracts, so the list is written out here; test/client.test.ts checks it against CONTRACTS.
 */
export const PAGE_METHODS = ['zhima.customer.certification.certify', 'alipay.user.certify.open.certify'] as const satisfies readonly MethodName[];
export type PageMethodName = (typeof PAGE_METHODS)[number];

export interface CallOptions {
  /** ISV call on behalf of a merchant (docs/alipay-openapi-v2.md §7). */
  appAuthToken?: string;
  notifyUrl?: string;
  returnUrl?: string;
  /** AES content encryption (§4); needs `aesKey`. */
  encrypt?: boolean;
}
