import { err, ok, withSubMsg, type AlipayError, type Result } from '../errors/alipay-error.js';
import { GatewayErrors as E } from '../errors/gateway-errors.js';
import { isSignType, type SignType } from '../crypto/rsa.js';
import { parseShanghaiTimestamp } from '../domain/clock.js';

export interface CommonParams {
  sign: string;
  signType: SignType;
  timestampMs: number;
}

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/**
 * Checks the protocol parameters that follow app_id, in the order the reference suggests:
 * sign, sign_type, timestamp, version, format (docs/alipay-openapi-v2.md §3, §6).
 */
export function checkCommonParams(params: ReadonlyMap<string, string>, inWindow: (timestampMs: number) => boolean): Result<CommonParams, AlipayError> {
  const sign = params.get('sign');
  if (!present(sign)) return err(E.missingSignature);
  const signType = params.get('sign_type');
  if (!present(signType)) return err(E.missingSignatureType);
  if (!isSignType(signType)) return err(E.invalidSignatureType);
  const timestamp = params.get('timestamp');
  if (!present(timestamp)) return err(E.missingTimestamp);
  const timestampMs = parseShanghaiTimestamp(timestamp);
  if (timestampMs === undefined || !inWindow(timestampMs)) return err(E.invalidTimestamp);
  const version = params.get('version');
  if (!present(version)) return err(E.missingVersion);
  if (version !== '1.0') return err(withSubMsg(E.invalidParameter, '参数version无效，仅支持1.0'));
  const format = params.get('format');
  if (present(format) && format.toLowerCase() !== 'json') return err(E.invalidFormat);
  return ok({ sign, signType, timestampMs });
}
