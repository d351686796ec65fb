import type { z } from 'zod';
import type { Contract } from '../contracts/contract.js';
import type { AlipayError, Result } from '../errors/alipay-error.js';
import type { AppRecord } from '../store/store.js';
import type { Services } from '../services.js';

/** What a handler may read of the call beyond its biz_content. */
export interface CallContext {
  /** The app the call acts for (the merchant, when an ISV calls with app_auth_token). */
  app: AppRecord;
  /** The ISV acting for `app`, if any (§7). */
  agent?: AppRecord | undefined;
  services: Services;
  /** Every request parameter, decoded (return_url, notify_url…). */
  params: ReadonlyMap<string, string>;
  traceId: string;
}

/** A browser-facing answer: a redirect (HTTP 302) or a whole HTML document. */
export type PageReply = { redirect: string } | { html: string };

/** The success node a contract declares, as a handler builds it. */
export type NodeOf<C extends Contract> = z.input<C['response']> & Record<string, unknown>;

/**
 * An API method as the gateway core sees it: a contract (schemas and closed error table, which
 * the core validates against) and the handler of its family. The core imports no method.
 */
export interface ApiMethod<C extends Contract = Contract> {
  contract: C;
  /** The JSON answer: what `execute`/`exec` gets (for a page method called as an API, too). */
  handle(biz: z.output<C['request']>, ctx: CallContext): Promise<Result<NodeOf<C>, AlipayError>>;
  /** Page methods only: the answer to a browser navigating to the gateway (pageExecute URL or form). */
  page?(biz: z.output<C['request']>, ctx: CallContext): Promise<Result<PageReply, AlipayError>>;
}

export type MethodRegistry = ReadonlyMap<string, ApiMethod>;

/** The helper handlers are written with: the contract's types flow into biz and the answer. */
export const defineMethod = <C extends Contract>(m: ApiMethod<C>): ApiMethod<C> => m;

export const registryOf = (methods: readonly ApiMethod[]): MethodRegistry => new Map(methods.map((m) => [m.contract.method, m]));
