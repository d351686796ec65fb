import { createPublicKey, verify } from 'node:crypto';
import iconv from 'iconv-lite';

/**
 * Client-side reading of a gateway response, as the Java SDK does it (JsonConverter +
 * AlipaySignature.extractSignContent): find the node name (else `error_response`), skip to its
 * `{` (or the quoted ciphertext of an encrypted node), match braces string- and escape-aware. Used for our gateway and for the real Alipay
 * responses in test/fixtures/vectors alike, so both are read by the same code.
 */
export function extractSignedNode(body: string, nodeName: string): string | undefined {
  let at = body.indexOf(`"${nodeName}"`);
  if (at === -1) at = body.indexOf('"error_response"');
  if (at === -1) return undefined;
  // An encrypted node is a string: Java signs it from the opening quote at index+len+2 to the closing one (§4).
  const nameEnd = body.indexOf(':', at) + 1;
  if (body[nameEnd] === '"') {
    const close = body.indexOf('"', nameEnd + 1);
    return close === -1 ? undefined : body.slice(nameEnd, close + 1);
  }
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

export const nodeNameOf = (method: string) => `${method.replaceAll('.', '_')}_response`;

export function publicKeyFrom(text: string) {
  const t = text.trim();
  return t.startsWith('-----') ? createPublicKey(t) : createPublicKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'spki' });
}

export interface ReadResponse {
  node: Record<string, unknown>;
  nodeText: string;
  sign: string | undefined;
  signatureValid: boolean;
  /** The whole parsed body. */
  root: Record<string, unknown>;
}

/** Decodes, extracts the node, and verifies `sign` over the node bytes in the response charset. */
export function readResponse(
  body: Buffer,
  method: string | undefined,
  platformKey: string,
  signType: 'RSA2' | 'RSA' = 'RSA2',
  charset = 'utf-8',
): ReadResponse {
  const text = charset.toLowerCase() === 'utf-8' ? body.toString('utf8') : iconv.decode(body, charset);
  const root = JSON.parse(text) as Record<string, unknown>;
  const nodeName = method ? nodeNameOf(method) : 'error_response';
  const nodeText = extractSignedNode(text, nodeName);
  if (nodeText === undefined) throw new Error(`no ${nodeName} in ${text}`);
  const sign = typeof root.sign === 'string' ? root.sign : undefined;
  const bytes = charset.toLowerCase() === 'utf-8' ? Buffer.from(nodeText, 'utf8') : iconv.encode(nodeText, charset);
  const signatureValid = sign !== undefined && verify(signType === 'RSA2' ? 'sha256' : 'sha1', bytes, publicKeyFrom(platformKey), Buffer.from(sign, 'base64'));
  return { node: JSON.parse(nodeText), nodeText, sign, signatureValid, root };
}
