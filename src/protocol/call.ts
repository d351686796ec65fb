import type { AlipayError } from '../errors/alipay-error.js';
import type { AppRecord } from '../store/store.js';
import type { Charset } from './charset.js';
import type { RawRequest } from './intake.js';
import type { ApiMethod } from './method.js';

/**
 * One gateway call as it moves through the stages. Each stage fills in what it learnt; hooks
 * read it (the journal, metrics) and may answer instead of the handler (fault injection).
 */
export interface GatewayCall {
  readonly traceId: string;
  /** process.hrtime.bigint() when the HTTP layer received the request. */
  readonly startedAt: bigint;
  readonly raw: RawRequest;
  // decode
  params: ReadonlyMap<string, string>;
  /** Undefined when the client named a charset the gateway does not speak. */
  charset: Charset | undefined;
  /** The charset the answer is written in. */
  responseCharset: Charset;
  method: string | undefined;
  appId: string | undefined;
  /** `<method>_response`, or `error_response` without a usable method. */
  nodeName: string;
  /** A browser navigating to a page method: it gets HTML or a redirect, not JSON. */
  pageMode: boolean;
  /** Set by the HTTP layer when it could not read the body. */
  rejection?: AlipayError | undefined;
  // verify
  app?: AppRecord | undefined;
  api?: ApiMethod | undefined;
  /** The gateway's own string-to-sign, once computed (for diagnostics). */
  signContent?: string | undefined;
  signatureValid?: boolean | undefined;
  /** biz_content as the handler reads it (a content hook may have decrypted it). */
  bizText?: string | undefined;
  /** Fault injection chose to drop the connection: the HTTP layer sends nothing. */
  drop?: boolean | undefined;
  /** The call came in certificate mode: answers carry `alipay_cert_sn` (§5.3). */
  certMode?: boolean | undefined;
  /** The merchant an ISV acts for through app_auth_token (§7); `app` stays the ISV, who signed. */
  actingFor?: AppRecord | undefined;
  /** biz_content arrived encrypted and was opened: the answer is encrypted too (§4). */
  encrypted?: boolean | undefined;
}
