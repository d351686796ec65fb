import type { AlipayError } from '../errors/alipay-error.js';
import type { GatewayCall } from './call.js';
import { ERROR_NODE, nodeNameOf } from './envelope.js';
import { readParams, type RawRequest } from './intake.js';
import type { MethodRegistry } from './method.js';

const METHOD_SYNTAX = /^[A-Za-z0-9_.]{1,128}$/;

/** Stage 1: raw bytes → parameters, charset, method and the node name the answer will carry. */
export function decode(raw: RawRequest, registry: MethodRegistry, traceId: string, startedAt: bigint, rejection?: AlipayError): GatewayCall {
  const { params, charset } = readParams(raw);
  const method = params.get('method')?.trim() || undefined;
  const usable = method !== undefined && METHOD_SYNTAX.test(method);
  return {
    traceId,
    startedAt,
    raw,
    params,
    charset,
    responseCharset: charset ?? 'utf-8',
    method,
    appId: params.get('app_id')?.trim() || undefined,
    nodeName: usable ? nodeNameOf(method) : ERROR_NODE,
    // Only a browser navigating to a page method gets HTML; every other call gets the JSON envelope.
    pageMode: Boolean(raw.navigation && usable && registry.get(method)?.contract.kind === 'page'),
    rejection,
  };
}
