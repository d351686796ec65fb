import { AlipaySdk, type AlipaySdkConfig } from 'alipay-sdk';
import type { TestApp } from './client.js';

/** The official Node SDK pointed at a gateway, configured as a merchant would (PKCS#8 key). */
export function officialSdk(gatewayUrl: string, app: TestApp, alipayPublicKey: string, extra: Partial<AlipaySdkConfig> = {}): AlipaySdk {
  return new AlipaySdk({
    appId: app.appId,
    privateKey: app.privateKeyPem,
    keyType: 'PKCS8',
    signType: app.signType,
    alipayPublicKey,
    gateway: `${gatewayUrl}/gateway.do`,
    ...extra,
  });
}
