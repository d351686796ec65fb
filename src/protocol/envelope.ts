import { escapeUnencodable, encodeText, type Charset } from './charset.js';

export type NodeValue = string | number | boolean | null | NodeValue[] | { [k: string]: NodeValue };
export type ResponseNode = Record<string, NodeValue>;

/** `alipay.foo.bar` → `alipay_foo_bar_response`, the node name every SDK looks for. */
export const nodeNameOf = (method: string): string => `${method.replaceAll('.', '_')}_response`;

/** The legacy failure node, used only when the request has no `method` (§2.2). */
export const ERROR_NODE = 'error_response';

export type Signer = (content: Buffer) => Promise<string>;

/** The node serialised once, compactly, in what the response charset can carry. */
export function serializeNode(node: ResponseNode, charset: Charset): string {
  // JSON.stringify never emits `\/`, which Python and Node could not verify (§10).
  return escapeUnencodable(JSON.stringify(node), charset);
}

export interface Envelope {
  nodeName: string;
  /**
   * The node's value exactly as framed and signed: a JSON object's text, or (content
   * encryption) a JSON string literal holding the ciphertext, quotes included (§4).
   */
  content: string;
  /** Fields framed between the node and `sign`, in order (certificate mode: `alipay_cert_sn`, §5.3). */
  fields?: ReadonlyArray<readonly [string, string]>;
}

/**
 * Frames `{"<node>":<content>[,"<field>":"…"],"sign":"…"}` compactly. The content's exact bytes
 * are both signed and spliced into the body: PHP and Python cut the signed text out of the body
 * by offsets and look for the sign right after the node (§2.3).
 */
export async function frameResponse(envelope: Envelope, charset: Charset, signer?: Signer): Promise<Buffer> {
  let text = `{${JSON.stringify(envelope.nodeName)}:${envelope.content}`;
  for (const [k, v] of envelope.fields ?? []) text += `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
  text += signer ? `,"sign":${JSON.stringify(await signer(encodeText(envelope.content, charset)))}}` : '}';
  return encodeText(text, charset);
}
