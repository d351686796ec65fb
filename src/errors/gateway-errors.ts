import { alipayError } from './alipay-error.js';

/**
 * Every gateway-level error aopgate can emit, with the exact code/sub_code/sub_msg of the
 * reference table (docs/alipay-openapi-v2.md §3). Business (40004) errors live with their methods.
 */
export const GatewayErrors = {
  unknownError: alipayError('20000', 'isp.unknow-error', '系统繁忙'),
  invalidAppAuthToken: alipayError('20001', 'aop.invalid-app-auth-token', '无效的应用授权令牌'),
  appAuthTokenExpired: alipayError('20001', 'aop.app-auth-token-time-out', '应用授权令牌已过期'),
  appAuthTokenNoApi: alipayError('20001', 'aop.invalid-app-auth-token-no-api', '商户未授权当前接口'),
  notSupportAppAuth: alipayError('40002', 'isv.not-support-app-auth', '本接口不支持第三方代理调用'),
  invalidAuthToken: alipayError('20001', 'aop.invalid-auth-token', '无效的访问令牌'),
  missingMethod: alipayError('40001', 'isv.missing-method', '缺少方法名参数'),
  missingSignature: alipayError('40001', 'isv.missing-signature', '缺少签名参数'),
  missingSignatureType: alipayError('40001', 'isv.missing-signature-type', '缺少签名类型参数'),
  missingAppId: alipayError('40001', 'isv.missing-app-id', '缺少appId参数'),
  missingTimestamp: alipayError('40001', 'isv.missing-timestamp', '缺少时间戳参数'),
  missingVersion: alipayError('40001', 'isv.missing-version', '缺少版本参数'),
  invalidParameter: alipayError('40002', 'isv.invalid-parameter', '参数无效'),
  bodyTooLarge: alipayError('40002', 'isv.invalid-parameter', '请求报文超过大小限制'),
  malformedRequest: alipayError('40002', 'isv.invalid-parameter', '请求报文格式错误'),
  tooManyParameters: alipayError('40002', 'isv.invalid-parameter', '请求参数个数超过上限'),
  illegalCharacter: alipayError('40002', 'isv.invalid-parameter', '参数包含非法字符'),
  invalidBizContent: alipayError('40002', 'isv.invalid-parameter', '参数biz_content不是合法的JSON对象'),
  invalidMethod: alipayError('40002', 'isv.invalid-method', '不存在的方法名'),
  invalidFormat: alipayError('40002', 'isv.invalid-format', '无效的数据格式'),
  invalidSignatureType: alipayError('40002', 'isv.invalid-signature-type', '无效的签名类型'),
  invalidSignature: alipayError('40002', 'isv.invalid-signature', '无效签名'),
  invalidEncryptType: alipayError('40002', 'isv.invalid-encrypt-type', '无效的加密类型'),
  invalidAppId: alipayError('40002', 'isv.invalid-app-id', '无效的AppID参数'),
  invalidTimestamp: alipayError('40002', 'isv.invalid-timestamp', '非法的时间戳参数'),
  invalidCharset: alipayError('40002', 'isv.invalid-charset', '字符集错误'),
  missingEncryptType: alipayError('40001', 'isv.decryption-error-missing-encrypt-type', '解密出错，未指定加密算法'),
  /** The real gateway's answer to ciphertext it cannot open (vector decryption_error_…): 40003, a plain node. */
  decryptionFailed: alipayError('40003', 'isv.decryption-error-unknown', '解密出错, 未知错误'),
  missingAppCertSn: alipayError('40001', 'isv.missing-app-cert-sn', '缺少应用公钥证书序列号'),
  missingRootCertSn: alipayError('40001', 'isv.missing-alipay-root-cert-sn', '缺少支付宝根证书序列号'),
  appCertNotExist: alipayError('40002', 'isv.app-cert-not-exist', '应用公钥证书不存在或与序列号不匹配'),
  appCertExpired: alipayError('40002', 'isv.app-cert-expired', '应用公钥证书已经不在有效期内'),
  invalidRootCertSn: alipayError('40002', 'isv.invalid-alipay-root-cert-sn', '无效的支付宝根证书序列号'),
  encryptKeyMissing: alipayError('40002', 'isv.decryption-error-not-valid-encrypt-key', '解密出错, 未配置加密密钥或加密密钥格式错误'),
  missingSignatureConfig: alipayError('40003', 'isv.missing-signature-config', '应用未配置对应签名算法的公钥或者证书'),
} as const;

export type GatewayErrorName = keyof typeof GatewayErrors;

/** The live gateway explains a signature failure by quoting its own string-to-sign. */
export function invalidSignatureFor(signContent: string) {
  return {
    ...GatewayErrors.invalidSignature,
    subMsg: `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${signContent}`,
  };
}
