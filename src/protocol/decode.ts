import type { AlipayError } from '../errors/alipay-error.js';
import { GatewayErrors as E } from '../errors/gateway-errors.js';
import type { GatewayCall } from './call.js';
import { ERROR_NODE, nodeNameOf } from './envelope.js';
import { readParams, type RawRequest } from './intake.js';
import type { MethodRegistry } from './method.js';

const METHOD_SYNTAX = /^[A-Za-z0-9_.]{1,128}$/;

/** Stage 1: raw bytes → parameters, charset, method and the node name the answer will carry. */
export function decode(
  raw: RawRequest,
  registry: MethodRegistry,
  traceId: string,
  startedAt: bigint,
  rejection?: AlipayError,
  maxParams = Infinity,
): GatewayCall {
  const { params, charset, truncated } = readParams(raw, maxParams);
  const method = params.get('method')?.trim() || undefined;
  const appId = params.get('app_id')?.trim() || undefined;
  const usable = method !== undefined && METHOD_SYNTAX.test(method);
  return {
    traceId,
    startedAt,
    raw,
    params,
    charset,
    responseCharset: charset ?? 'utf-8',
    method,
    // A NUL cannot be an app id; never sent to the database (PostgreSQL refuses it in text).
    appId: appId?.includes('\0') ? undefined : appId,
    nodeName: usable ? nodeNameOf(method) : ERROR_NODE,
    // Only a browser navigating to a page method gets HTML; every other call gets the JSON envelope.
    pageMode: Boolean(raw.navigation && usable && registry.get(method)?.contract.kind === 'page'),
    rejection: rejection ?? (truncated ? E.tooManyParameters : hasNul(params) ? E.illegalCharacter : undefined),
  };
}

/** A NUL anywhere (key or value, escaped inside biz_content JSON too): one answer on every backend. */
function hasNul(params: ReadonlyMap<string, string>): boolean {
  for (const [k, v] of params) if (k.includes('\0') || v.includes('\0') || /\\u0000/i.test(v)) return true;
  return false;
}
