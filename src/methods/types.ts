import type { z } from 'zod';
import type { AlipayError, Result } from '../errors/alipay-error.js';
import type { ResponseNode } from '../gateway/envelope.js';
import type { AppRecord } from '../store/store.js';
import type { Services } from '../services.js';

/** What a handler may read of the call beyond its biz_content. */
export interface CallContext {
  app: AppRecord;
  services: Services;
  /** Every request parameter, decoded (return_url, notify_url…). */
  params: ReadonlyMap<string, string>;
  traceId: string;
}

/**
 * An Alipay API method, declared: its name, the biz_content schema (types, required flags and
 * max lengths of the seed document), the business sub_codes it may answer with, and the handler.
 * The gateway core reads only this shape; it imports no method.
 */
export interface ApiMethod<Biz = any> {
  name: string;
  /** `page` methods are navigated to by a browser (pageExecute) and answer with HTML or a redirect. */
  kind: 'api' | 'page';
  biz: z.ZodType<Biz>;
  /** Business sub_code → default sub_msg, as in the seed's 业务错误码 table. */
  errors: Readonly<Record<string, string>>;
  /** The JSON answer: what `execute`/`exec` gets (for a page method called as an API, too). */
  handle(biz: Biz, ctx: CallContext): Promise<Result<ResponseNode, AlipayError>>;
  /** Page methods only: the answer to a browser navigating to the gateway (pageExecute URL or form). */
  page?(biz: Biz, ctx: CallContext): Promise<Result<PageReply, AlipayError>>;
}

/** A browser-facing answer: a redirect (HTTP 302) or a whole HTML document. */
export type PageReply = { redirect: string } | { html: string };
