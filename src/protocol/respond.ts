import { signBase64 } from '../crypto/rsa.js';
import type { AlipayError, Result } from '../errors/alipay-error.js';
import type { Services } from '../services.js';
import type { GatewayCall } from './call.js';
import { encodeText, type Charset } from './charset.js';
import { frameResponse, serializeNode, type ResponseNode } from './envelope.js';
import { errorPage } from './error-page.js';
import type { GatewayHook } from './hooks.js';
import type { PageReply } from './method.js';

/** What the HTTP layer writes back, plus what it logs. */
export interface GatewayReply {
  /** json: the signed envelope; html: a page; redirect: 302 to `location`. */
  kind: 'json' | 'html' | 'redirect';
  body: Buffer;
  location?: string;
  charset: Charset;
  code: string;
  subCode: string | undefined;
  /** The node as answered (JSON replies only), for hooks that record calls. */
  node?: ResponseNode;
}

export function errorNode(e: AlipayError): ResponseNode {
  return { code: e.code, msg: e.msg, sub_code: e.subCode, sub_msg: e.subMsg };
}

/**
 * Stage 4 (API): the node framed and signed whenever the app is known (§2.4), content and extra
 * fields shaped by the hooks (encryption, certificate SN).
 */
export async function respondJson(call: GatewayCall, node: ResponseNode, services: Services, hooks: readonly GatewayHook[]): Promise<GatewayReply> {
  const charset = call.responseCharset;
  let content = serializeNode(node, charset);
  const fields: Array<readonly [string, string]> = [];
  for (const h of hooks) {
    if (h.sealContent) content = h.sealContent(call, content);
    if (h.envelopeFields) fields.push(...h.envelopeFields(call));
  }
  const app = call.app;
  const signer = app ? (bytes: Buffer) => signBase64(bytes, services.platform.privateKey, app.signType) : undefined;
  const body = await frameResponse({ nodeName: call.nodeName, content, fields }, charset, signer);
  return { kind: 'json', body, charset, code: String(node.code), subCode: typeof node.sub_code === 'string' ? node.sub_code : undefined, node };
}

/** Stage 4 (page): browsers get a redirect, or an HTML error page naming the code as the real gateway does. */
export function respondPage(call: GatewayCall, page: Result<PageReply, AlipayError>): GatewayReply {
  const charset = call.responseCharset;
  if (!page.ok) return { kind: 'html', body: encodeText(errorPage(page.error), charset), charset, code: page.error.code, subCode: page.error.subCode };
  const ok = { charset, code: '10000', subCode: undefined };
  if ('redirect' in page.value) return { ...ok, kind: 'redirect', location: page.value.redirect, body: Buffer.alloc(0) };
  return { ...ok, kind: 'html', body: encodeText(page.value.html, charset) };
}
