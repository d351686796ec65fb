import type { KeyObject } from 'node:crypto';
import { aesDecrypt } from '../crypto/aes.js';
import { decodeText, type Charset } from './charset.js';
import { AopError, ClientCodes, fail, ok, type Result } from './errors.js';
import { verifyBytes, type SignType } from './signature.js';

/** How to open one /gateway.do answer. */
export interface V2ResponseCheck {
  method: string;
  charset: Charset;
  publicKey: KeyObject;
  signType: SignType;
  /** Set when the request was encrypted: the node is then Base64 ciphertext. */
  aesKey?: string | undefined;
  /** Certificate mode: the `alipay_cert_sn` the answer must name. */
  alipayCertSn?: string | undefined;
  traceId?: string | undefined;
}

export type ResponseNode = Record<string, unknown>;

/** `alipay.user.certify.open.query` → `alipay_user_certify_open_query_response`. */
export const nodeNameOf = (method: string): string => `${method.replace(/\./g, '_')}_response`;

const SIGN_MARK = Buffer.from(',"sign":"', 'latin1');
const CERT_SN_MARK = Buffer.from(',"alipay_cert_sn":"', 'latin1');

/**
 * The exact bytes the platform signed (docs/alipay-openapi-v2.md §2.3): from after `{"<node>":`
 * to before `,"sign":"` (or `,"alipay_cert_sn":"…"` when it sits between). Found by byte search
 * on ASCII marks, so GBK text inside the node cannot shift the cut; the last `,"sign":"` is the
 * real one, since only Base64 follows it.
 */
export function signedBytesOf(body: Buffer, nodeName: string): Buffer | undefined {
  const head = Buffer.from(`{"${nodeName}":`, 'latin1');
  const start = body.indexOf(head);
  if (start === -1 || body.subarray(0, start).toString('latin1').trim() !== '') return undefined;
  let end = body.lastIndexOf(SIGN_MARK);
  if (end === -1) return undefined;
  const certAt = body.lastIndexOf(CERT_SN_MARK, end);
  if (certAt !== -1 && /^[0-9a-zA-Z_]*"$/.test(body.subarray(certAt + CERT_SN_MARK.length, end).toString('latin1'))) end = certAt;
  return body.subarray(start + head.length, end);
}

interface Envelope {
  nodeName: string;
  node: unknown;
  sign: string | undefined;
  certSn: string | undefined;
}

function parseEnvelope(body: Buffer, check: V2ResponseCheck): Result<Envelope> {
  let root: unknown;
  try {
    root = JSON.parse(decodeText(body, check.charset));
  } catch {
    return fail(invalid(`not JSON: ${preview(body)}`, check));
  }
  if (typeof root !== 'object' || root === null) return fail(invalid(`not a JSON object: ${preview(body)}`, check));
  const fields = root as Record<string, unknown>;
  const own = nodeNameOf(check.method);
  // error_response: the legacy failure node, answered when the gateway could not read the method (§2.2).
  const nodeName = own in fields ? own : 'error_response' in fields ? 'error_response' : undefined;
  if (!nodeName) return fail(invalid(`no ${own} in the answer: ${preview(body)}`, check));
  const sign = typeof fields.sign === 'string' && fields.sign !== '' ? fields.sign : undefined;
  const certSn = typeof fields.alipay_cert_sn === 'string' ? fields.alipay_cert_sn : undefined;
  return ok({ nodeName, node: fields[nodeName], sign, certSn });
}

/**
 * Verify, then decrypt, then read the code (§2, §4). The signature is checked before anything of
 * the node is believed; an unsigned answer is accepted only as a failure (the gateway cannot sign
 * for an app it does not know), never as a success.
 */
export async function openV2Response(body: Buffer, check: V2ResponseCheck): Promise<Result<ResponseNode>> {
  const parsed = parseEnvelope(body, check);
  if (!parsed.ok) return parsed;
  const { nodeName, node, sign, certSn } = parsed.value;
  if (sign === undefined) {
    if (isObject(node) && node.code !== '10000') return fail(businessError(node, check));
    return fail(badSignature('the answer is not signed', check));
  }
  if (check.alipayCertSn !== undefined && certSn !== undefined && certSn !== check.alipayCertSn) {
    return fail(badSignature(`signed by certificate ${certSn}, expected ${check.alipayCertSn}`, check));
  }
  const signed = signedBytesOf(body, nodeName);
  if (!signed || !(await verifyBytes(signed, sign, check.publicKey, check.signType))) return fail(badSignature('response signature does not verify', check));
  const opened = typeof node === 'string' ? decryptNode(node, check) : ok(node);
  if (!opened.ok) return opened;
  if (!isObject(opened.value)) return fail(invalid(`${nodeName} is not an object`, check));
  if (opened.value.code !== '10000') return fail(businessError(opened.value, check));
  return ok(opened.value);
}

function decryptNode(ciphertext: string, check: V2ResponseCheck): Result<unknown> {
  if (!check.aesKey)
    return fail(new AopError('the answer is encrypted but no aesKey is configured', { code: ClientCodes.decryptionFailed, traceId: check.traceId }));
  const plain = aesDecrypt(ciphertext, check.aesKey);
  if (!plain) return fail(new AopError('the answer does not decrypt with aesKey', { code: ClientCodes.decryptionFailed, traceId: check.traceId }));
  try {
    return ok(JSON.parse(decodeText(plain, check.charset)));
  } catch {
    return fail(new AopError('the decrypted answer is not JSON', { code: ClientCodes.decryptionFailed, traceId: check.traceId }));
  }
}

const isObject = (v: unknown): v is ResponseNode => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const preview = (body: Buffer) => body.subarray(0, 200).toString('utf8');

function businessError(node: ResponseNode, check: V2ResponseCheck): AopError {
  const code = str(node.code) ?? 'UNKNOWN';
  const subCode = str(node.sub_code);
  const subMsg = str(node.sub_msg);
  return new AopError(`${check.method}: ${code} ${str(node.msg) ?? ''}${subCode ? ` (${subCode}: ${subMsg ?? ''})` : ''}`, {
    code,
    subCode,
    subMsg,
    traceId: check.traceId,
  });
}

const badSignature = (why: string, check: V2ResponseCheck) =>
  new AopError(`${check.method}: ${why}`, { code: ClientCodes.signatureInvalid, traceId: check.traceId });
const invalid = (why: string, check: V2ResponseCheck) => new AopError(`${check.method}: ${why}`, { code: ClientCodes.invalidResponse, traceId: check.traceId });
