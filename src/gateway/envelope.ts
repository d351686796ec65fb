import { escapeUnencodable, encodeText, type Charset } from './charset.js';

export type NodeValue = string | number | boolean | null | NodeValue[] | { [k: string]: NodeValue };
export type ResponseNode = Record<string, NodeValue>;

/** `alipay.foo.bar` → `alipay_foo_bar_response`, the node name every SDK looks for. */
export const nodeNameOf = (method: string): string => `${method.replaceAll('.', '_')}_response`;

/** The legacy failure node, used only when the request has no `method` (§2.2). */
export const ERROR_NODE = 'error_response';

export type Signer = (content: Buffer) => Promise<string>;

export interface FramedResponse {
  body: Buffer;
  /** The exact node text that was signed, for logs and tests. */
  nodeText: string;
}

/**
 * Frames `{"<node>":<NODE>,"sign":"…"}` compactly. The node is serialized once and those exact
 * bytes are both signed and spliced into the body: PHP and Python cut the signed text out of
 * the body by offsets and require `,"sign":` right after the node (§2.3).
 */
export async function frameResponse(nodeName: string, node: ResponseNode, charset: Charset, signer?: Signer): Promise<FramedResponse> {
  // JSON.stringify never emits `\/`, which Python and Node could not verify (§10).
  const nodeText = escapeUnencodable(JSON.stringify(node), charset);
  const head = `{${JSON.stringify(nodeName)}:${nodeText}`;
  const tail = signer ? `,"sign":${JSON.stringify(await signer(encodeText(nodeText, charset)))}}` : '}';
  return { body: encodeText(head + tail, charset), nodeText };
}

/**
 * Reads a response the way the Java SDK does (JsonConverter + AlipaySignature.extractSignContent):
 * find the node name, skip to its `{`, match braces string- and escape-aware. Used by our tests
 * to prove the layout against real Alipay responses.
 */
export function extractSignedNode(body: string, nodeName: string): string | undefined {
  let at = body.indexOf(`"${nodeName}"`);
  if (at === -1) at = body.indexOf(`"${ERROR_NODE}"`);
  if (at === -1) return undefined;
  const start = body.indexOf('{', at);
  if (start === -1) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < body.length; i++) {
    const ch = body[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return body.slice(start, i + 1);
  }
  return undefined;
}
