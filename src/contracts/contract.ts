import { z } from 'zod';
import { alipayError, type AlipayError } from '../errors/alipay-error.js';

/**
 * What the outside world may know of an API method, with no server code: its name, whether a
 * browser navigates to it, the biz_content schema, the success node's schema and the closed
 * table of business sub_codes it may answer. The gateway validates with it, the tests check
 * real answers against it, and a typed client and the docs can be generated from it.
 */
export interface Contract<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType, Codes extends string = string, M extends string = string> {
  readonly method: M;
  /** `page` methods are opened in a browser (pageExecute) as well as called as APIs. */
  readonly kind: 'api' | 'page';
  readonly request: Req;
  /** The 10000 node, `code` and `msg` included. */
  readonly response: Res;
  /** Business sub_code → default sub_msg (40004). Closed: nothing else is ever answered. */
  readonly errors: Readonly<Record<Codes, string>>;
}

/**
 * Every method can fail these two ways, whatever its document lists: a biz_content field that
 * breaks its schema (answered by the gateway core) and stored data that cannot be read back.
 */
export const COMMON_ERRORS = {
  INVALID_PARAMETER: '参数有误',
  SYSTEM_ERROR: '系统繁忙',
} as const;

type CommonCode = keyof typeof COMMON_ERRORS;

export function defineContract<M extends string, Req extends z.ZodType, Res extends z.ZodType, Codes extends string>(c: {
  method: M;
  kind: 'api' | 'page';
  request: Req;
  response: Res;
  errors: Readonly<Record<Codes, string>>;
}): Contract<Req, Res, Codes | CommonCode, M> {
  return { ...c, errors: { ...COMMON_ERRORS, ...c.errors } as Record<Codes | CommonCode, string> };
}

/** A business failure (40004) named in the contract's table; `subMsg` defaults to the table's. */
export function businessError<C extends Contract>(contract: C, subCode: keyof C['errors'] & string, subMsg?: string): AlipayError {
  return alipayError('40004', subCode, subMsg ?? contract.errors[subCode]!);
}

/** The 10000 head every success node starts with. */
export const successHead = { code: z.literal('10000'), msg: z.literal('Success') };

export type RequestOf<C extends Contract> = z.infer<C['request']>;
export type ResponseOf<C extends Contract> = z.infer<C['response']>;
