import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { certificateSn, rootCertSn } from '../crypto/certificates.js';

/**
 * Key material parsed once, when the client is built: every call then signs and verifies with
 * KeyObjects instead of re-reading PEM text (what the official SDK does on each call).
 */

/** PEM (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`), or the bare Base64 the Alipay console hands out. */
export function loadPrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.includes('-----BEGIN')) return createPrivateKey(trimmed);
  const der = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64');
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
  }
}

/** PEM `PUBLIC KEY`, a certificate, or bare Base64 SPKI. */
export function loadPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.includes('-----BEGIN CERTIFICATE')) return new X509Certificate(trimmed).publicKey;
  if (trimmed.includes('-----BEGIN')) return createPublicKey(trimmed);
  return createPublicKey({ key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
}

export interface CertificateMaterial {
  appCertSn: string;
  alipayRootCertSn: string;
  /** SN of the Alipay certificate: what `alipay_cert_sn` / `alipay-sn` must name. */
  alipayCertSn: string;
  alipayPublicKey: KeyObject;
}

/** Public-key certificate mode (docs/alipay-openapi-v2.md §5): the SNs sent and the key answers are verified with. */
export function loadCertificates(certs: { appCert: string; alipayCert: string; alipayRootCert: string }): CertificateMaterial {
  return {
    appCertSn: certificateSn(certs.appCert),
    alipayRootCertSn: rootCertSn(certs.alipayRootCert),
    alipayCertSn: certificateSn(certs.alipayCert),
    alipayPublicKey: new X509Certificate(certs.alipayCert).publicKey,
  };
}
