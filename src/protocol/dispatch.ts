import { SealedDataError } from '../crypto/secretbox.js';
import { err, ok, type AlipayError, type Result } from '../errors/alipay-error.js';
import { GatewayErrors as E } from '../errors/gateway-errors.js';
import type { Services } from '../services.js';
import type { GatewayCall } from './call.js';
import type { ResponseNode } from './envelope.js';
import type { CallContext, PageReply } from './method.js';
import { nestedTooDeep, schemaError } from './parameter-error.js';
import { jsonTooDeep } from '../contracts/json-limits.js';
import type { VerifiedCall } from './verify.js';

/** A handler answered a business sub_code its contract does not declare: a bug, not an answer. */
export class UndeclaredErrorBug extends Error {}

/** biz_content → the contract's request schema; a missing biz_content is an empty object (its fields then fail as missing). */
function parseBiz(call: GatewayCall, verified: VerifiedCall): Result<unknown, AlipayError> {
  const bizText = call.bizText ?? '';
  // Checked before parsing: a deep bomb is one linear scan, answered as the parameter error it is.
  if (jsonTooDeep(bizText)) return err(nestedTooDeep(verified.api.contract));
  let bizJson: unknown = {};
  if (bizText.trim() !== '') {
    try {
      bizJson = JSON.parse(bizText);
    } catch {
      bizJson = undefined;
    }
  }
  if (typeof bizJson !== 'object' || bizJson === null || Array.isArray(bizJson)) return err(E.invalidBizContent);
  const parsed = verified.api.contract.request.safeParse(bizJson);
  return parsed.success ? ok(parsed.data) : err(schemaError(verified.api.contract, parsed.error));
}

/**
 * Runs the handler and holds it to its contract: a 40004 must be in the closed error table,
 * and stored data that cannot be unsealed is the contract's SYSTEM_ERROR, not a crash.
 */
async function run<T>(call: GatewayCall, verified: VerifiedCall, work: () => Promise<Result<T, AlipayError>>): Promise<Result<T, AlipayError>> {
  const { errors } = verified.api.contract;
  let result: Result<T, AlipayError>;
  try {
    result = await work();
  } catch (e) {
    if (e instanceof SealedDataError && errors.SYSTEM_ERROR)
      return err({ code: '40004', msg: 'Business Failed', subCode: 'SYSTEM_ERROR', subMsg: errors.SYSTEM_ERROR });
    throw e;
  }
  if (!result.ok && result.error.code === '40004' && !(result.error.subCode in errors)) {
    throw new UndeclaredErrorBug(`${call.method} answered undeclared ${result.error.subCode}`);
  }
  return result;
}

const contextOf = (call: GatewayCall, verified: VerifiedCall, services: Services): CallContext => ({
  app: verified.app,
  agent: verified.agent,
  services,
  params: call.params,
  traceId: call.traceId,
});

/** Stage 3 (API): the handler's node, or the business error it answered. */
export async function dispatch(call: GatewayCall, verified: VerifiedCall, services: Services): Promise<Result<ResponseNode, AlipayError>> {
  const biz = parseBiz(call, verified);
  if (!biz.ok) return biz;
  return run(call, verified, () => verified.api.handle(biz.value, contextOf(call, verified, services)) as Promise<Result<ResponseNode, AlipayError>>);
}

/** Stage 3 (page): what a browser navigating to a page method gets. */
export async function dispatchPage(call: GatewayCall, verified: VerifiedCall, services: Services): Promise<Result<PageReply, AlipayError>> {
  const biz = parseBiz(call, verified);
  if (!biz.ok) return biz;
  return run(call, verified, () => verified.api.page!(biz.value, contextOf(call, verified, services)));
}
