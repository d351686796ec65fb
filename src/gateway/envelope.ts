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
