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
  /** The sub_code answered for a biz_content field that breaks the schema (default INVALID_PARAMETER). */
  readonly parameterError: Codes;
  /** The sub_code answered when a JSON-in-JSON field does not parse, if the family answers it apart. */
  readonly malformedJsonError?: Codes | undefined;
  /** Whether an ISV may call it for a merchant with an app_auth_token (docs/alipay-openapi-v2.md §7). */
  readonly delegable: boolean;
}

/** Stored data that cannot be read back: every method may answer it, whatever its document lists. */
const SYSTEM_ERROR = { SYSTEM_ERROR: '系统繁忙' } as const;

/** What most families answer for a field that breaks the schema (the gateway core names the field). */
const INVALID_PARAMETER = { INVALID_PARAMETER: '参数有误' } as const;

type Common = keyof typeof SYSTEM_ERROR | keyof typeof INVALID_PARAMETER;

/** The issue message of a JSON-in-JSON field whose text does not parse (some families answer it apart). */
export const NOT_JSON = 'not JSON';

export function defineContract<M extends string, Req extends z.ZodType, Res extends z.ZodType, Codes extends string>(c: {
  method: M;
  kind: 'api' | 'page';
  request: Req;
  response: Res;
  errors: Readonly<Record<Codes, string>>;
  /** Set when the family answers schema failures with its own code instead of INVALID_PARAMETER. */
  parameterError?: NoInfer<Codes>;
  malformedJsonError?: NoInfer<Codes>;
  /** Default true; the open platform's own methods (token exchange, certificates) are not. */
  delegable?: boolean;
  /** False for methods that read no sealed data: they never answer SYSTEM_ERROR. */
  sealedData?: false;
}): Contract<Req, Res, Codes | Common, M> {
  const errors = { ...(c.sealedData === false ? {} : SYSTEM_ERROR), ...(c.parameterError ? {} : INVALID_PARAMETER), ...c.errors } as Record<
    Codes | Common,
    string
  >;
  const { sealedData: _sealedData, ...rest } = c;
  return { ...rest, errors, parameterError: c.parameterError ?? 'INVALID_PARAMETER', delegable: c.delegable ?? true };
}

/** A business failure (40004) named in the contract's table; `subMsg` defaults to the table's. */
export function businessError<C extends Contract>(contract: C, subCode: keyof C['errors'] & string, subMsg?: string): AlipayError {
  return alipayError('40004', subCode, subMsg ?? contract.errors[subCode]!);
}

/** The 10000 head every success node starts with. */
export const successHead = { code: z.literal('10000'), msg: z.literal('Success') };

export type RequestOf<C extends Contract> = z.infer<C['request']>;
export type ResponseOf<C extends Contract> = z.infer<C['response']>;
