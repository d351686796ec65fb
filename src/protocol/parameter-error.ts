import type { z } from 'zod';
import { NOT_JSON, type Contract } from '../contracts/contract.js';
import { alipayError, type AlipayError } from '../errors/alipay-error.js';

/** The real gateway's wording for a bad business field (a capture of the live gateway): 参数有误。参数[x]不是有效的入参 */
export function invalidParameter(field: string): AlipayError {
  return alipayError('40004', 'INVALID_PARAMETER', `参数有误。参数[${field}]不是有效的入参`);
}

/** Names the first offending field, dotted through JSON-in-JSON (`identity_param.cert_no`). */
export function fieldOf(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = (issue?.path ?? []).filter((p) => p !== 'value' && p !== 'text').map(String);
  // An unrecognized key inside a union reports no path of its own; fall back to the field name.
  return path.length > 0 ? path.join('.') : 'biz_content';
}

/** How the method's contract answers a biz_content that breaks its schema. */
export function schemaError(contract: Contract, error: z.ZodError): AlipayError {
  const malformed = contract.malformedJsonError && error.issues.some((i) => i.message === NOT_JSON);
  const code = malformed ? contract.malformedJsonError! : contract.parameterError;
  if (code === 'INVALID_PARAMETER') return invalidParameter(fieldOf(error));
  return alipayError('40004', code, contract.errors[code]!);
}

/** biz_content nested deeper than MAX_JSON_DEPTH: the contract's parameter error, naming biz_content. */
export function nestedTooDeep(contract: Contract): AlipayError {
  const code = contract.parameterError;
  return code === 'INVALID_PARAMETER' ? invalidParameter('biz_content') : alipayError('40004', code, contract.errors[code]!);
}
