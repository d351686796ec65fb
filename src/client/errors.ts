/** What an Alipay call failed with, at the client's API boundary. */
export interface AopErrorFields {
  /** Gateway code (`40004`…) for v2; the v3 body's `code` for v3; `SIGNATURE_INVALID`, `HTTP_ERROR`… for client-side failures. */
  code: string;
  subCode?: string | undefined;
  subMsg?: string | undefined;
  /** `trace_id` (v2) or `alipay-trace-id` (v3) response header: what Alipay support asks for. */
  traceId?: string | undefined;
  /** v3 only: the HTTP status of the answer. */
  httpStatus?: number | undefined;
}

/** A failed call: a business or gateway error answered by Alipay, or an answer the client refused. */
export class AopError extends Error {
  readonly code: string;
  readonly subCode: string | undefined;
  readonly subMsg: string | undefined;
  readonly traceId: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(message: string, fields: AopErrorFields, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AopError';
    this.code = fields.code;
    this.subCode = fields.subCode;
    this.subMsg = fields.subMsg;
    this.traceId = fields.traceId;
    this.httpStatus = fields.httpStatus;
  }
}

/** Client-side codes (never answered by Alipay itself). */
export const ClientCodes = {
  signatureInvalid: 'SIGNATURE_INVALID',
  invalidResponse: 'INVALID_RESPONSE',
  decryptionFailed: 'DECRYPTION_FAILED',
  http: 'HTTP_ERROR',
  timeout: 'TIMEOUT',
} as const;

export type Result<T, E = AopError> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });
