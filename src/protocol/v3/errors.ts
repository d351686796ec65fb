import type { AlipayError } from '../../errors/alipay-error.js';

/**
 * An OpenAPI v3 failure: an HTTP status and the JSON body `{"code","message"}` that the Node SDK
 * turns into `AlipayRequestError(message, { code })` (alipay-sdk `#curl`, status >= 400).
 */
export interface V3Error {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const v3Error = (status: number, code: string, message: string): V3Error => ({ status, code, message });

/**
 * The protocol-level failures of the v3 framing. Codes are Alipay's v3 common codes (the
 * `CommonErrorType.code` enum of the official v3 SDKs); statuses follow the v3 error-code page
 * (400 for bad parameters, 401 for signature and authorisation, 404 for an unknown resource,
 * 500 for a system error). Messages reuse the v2 gateway's sub_msg wording where one exists.
 */
export const V3Errors = {
  // The live gateway answers a request without any Authorization header with missing-timestamp.
  missingTimestamp: v3Error(400, 'missing-timestamp', '缺少时间戳参数'),
  invalidTimestamp: v3Error(400, 'invalid-timestamp', '非法的时间戳参数'),
  illegalTimestamp: v3Error(400, 'illegal-timestamp', '时间戳超出允许的时间窗口'),
  missingAppId: v3Error(400, 'missing-app-id', '缺少appId参数'),
  invalidAppId: v3Error(400, 'invalid-app-id', '无效的AppID参数'),
  disabledApp: v3Error(400, 'invalid-app-id', '无效的AppID参数（应用已停用）'),
  missingNonce: v3Error(400, 'invalid-parameter', '缺少nonce参数'),
  invalidSignatureType: v3Error(400, 'invalid-signature-type', '无效的签名类型，仅支持ALIPAY-SHA256withRSA'),
  missingSignatureConfig: v3Error(400, 'missing-signature-config', '应用未配置对应签名算法的公钥或者证书'),
  missingAppCertSn: v3Error(400, 'missing-app-cert-sn', '缺少应用公钥证书序列号'),
  appCertNotExist: v3Error(400, 'app-cert-not-exist', '应用公钥证书不存在，app_cert_sn与应用的证书不匹配'),
  missingSignature: v3Error(401, 'missing-signature', '缺少签名参数'),
  invalidSignature: v3Error(401, 'invalid-signature', '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配'),
  invalidMethod: v3Error(404, 'invalid-method', '不存在的方法名'),
  invalidHttpMethod: v3Error(400, 'invalid-http-method', '接口不支持该HTTP方法'),
  invalidContentType: v3Error(400, 'invalid-content-type', '不支持的Content-Type'),
  illegalJson: v3Error(400, 'illegal-json', '请求体不是合法的JSON对象'),
  invalidEncryptType: v3Error(400, 'invalid-encrypt-type', '无效的加密类型'),
  encryptKeyMissing: v3Error(400, 'decryption-error-not-valid-encrypt-key', '解密出错, 未配置加密密钥或加密密钥格式错误'),
  decryptionFailed: v3Error(400, 'decryption-error-unknown', '解密出错, 未知错误'),
  // Alipay spells it "unknow-error" (v2 isp.unknow-error, v3 CommonErrorType UNKNOW_ERROR).
  unknownError: v3Error(500, 'unknow-error', '系统繁忙'),
} as const satisfies Record<string, V3Error>;

/** v2 gateway code → v3 HTTP status (the v3 error page groups its codes the same way). */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  '20000': 500,
  '20001': 401,
  '40001': 400,
  '40002': 400,
  '40003': 400,
  '40004': 400,
  '40005': 429,
  '40006': 403,
};

/**
 * What a method's handler or contract answered (a v2 AlipayError) in v3 terms: a business
 * failure keeps its sub_code as the code; a gateway sub_code loses its `isv.`/`aop.`/`isp.`
 * prefix, as v3 codes do (`isv.invalid-parameter` → `invalid-parameter`).
 */
export function fromAlipayError(e: AlipayError): V3Error {
  const code = e.code === '40004' ? e.subCode : e.subCode.replace(/^(?:isv|aop|isp)\./, '');
  return v3Error(STATUS_OF_CODE[e.code] ?? 400, code, e.subMsg);
}
