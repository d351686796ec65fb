/**
 * An Alipay error is a value, not an exception: the pipeline returns it and the responder
 * renders it as `code/msg/sub_code/sub_msg`. `sub_msg` never carries request values (PII).
 */
export interface AlipayError {
  readonly code: string;
  readonly msg: string;
  readonly subCode: string;
  readonly subMsg: string;
}

export type Result<T, E = AlipayError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E = AlipayError>(error: E): Result<never, E> => ({ ok: false, error });

/** The gateway-level `code` → `msg` table (docs/alipay-openapi-v2.md §3, verified strings). */
export const CODE_MSG = {
  '10000': 'Success',
  '20000': 'Service Currently Unavailable',
  '20001': 'Insufficient Token Permissions',
  '40001': 'Missing Required Arguments',
  '40002': 'Invalid Arguments',
  '40003': 'Insufficient Conditions',
  '40004': 'Business Failed',
  '40006': 'Insufficient Permissions',
} as const;

export type AlipayCode = keyof typeof CODE_MSG;

export function alipayError(code: AlipayCode, subCode: string, subMsg: string): AlipayError {
  return { code, msg: CODE_MSG[code], subCode, subMsg };
}

/** Same error, more specific sub_msg (e.g. naming the offending parameter). */
export function withSubMsg(e: AlipayError, subMsg: string): AlipayError {
  return { ...e, subMsg };
}
