import { createPublicKey, X509Certificate } from 'node:crypto';
import { certificateSn, issueCertificate, newSerial, type DistinguishedName } from '../crypto/certificates.js';
import { cachedPrivateKey, generateRsaKeyPair, parsePublicKey, type RsaKeyPair } from '../crypto/rsa.js';
import type { Services } from '../services.js';
import type { AppRecord, PlatformCert } from '../store/store.js';

/**
 * aopgate's own small CA for public-key-certificate mode (docs/alipay-openapi-v2.md §5): an
 * RSA-signed root, a certificate for the platform key, and one per app that asks. DNs are ASCII
 * with CN last and serials below 2^127, so every SDK computes the same SNs.
 */
const ROOT_DN: DistinguishedName = [
  ['C', 'CN'],
  ['O', 'aopgate'],
  ['OU', 'Certification Authority'],
  ['CN', 'aopgate Root CA'],
];
const PLATFORM_DN: DistinguishedName = [
  ['C', 'CN'],
  ['O', 'aopgate'],
  ['OU', 'Alipay Open Platform'],
  ['CN', 'aopgate platform RSA2'],
];
const appDn = (appId: string): DistinguishedName => [
  ['C', 'CN'],
  ['O', 'aopgate'],
  ['OU', 'Merchant Apps'],
  ['CN', appId],
];

const ROOT_SECRET = 'ca_root';
const DAY = 86_400_000;

export interface CaRoot {
  certPem: string;
  /** alipay_root_cert_sn of a bundle holding only this root. */
  sn: string;
}

interface StoredRoot {
  privateKeyPem: string;
  certPem: string;
}

/** The root, made on first start (first writer wins when several processes start at once). */
async function loadRoot(services: Services, rootKey?: Promise<RsaKeyPair>): Promise<StoredRoot> {
  const stored = await services.store.getSecret(ROOT_SECRET);
  if (stored) return JSON.parse(stored) as StoredRoot;
  const pair = await (rootKey ?? generateRsaKeyPair());
  const key = cachedPrivateKey(pair.privateKeyPem);
  const now = services.clock();
  const certPem = issueCertificate({
    subject: ROOT_DN,
    issuer: ROOT_DN,
    serial: newSerial(),
    publicKey: createPublicKey(key),
    issuerKey: key,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 30 * 365 * DAY),
    ca: true,
  });
  return JSON.parse(await services.store.putSecretOnce(ROOT_SECRET, JSON.stringify({ privateKeyPem: pair.privateKeyPem, certPem }))) as StoredRoot;
}

function issueLeaf(root: StoredRoot, subject: DistinguishedName, publicKeyPem: string, now: number): string {
  return issueCertificate({
    subject,
    issuer: ROOT_DN,
    serial: newSerial(),
    publicKey: parsePublicKey(publicKeyPem),
    issuerKey: cachedPrivateKey(root.privateKeyPem),
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 5 * 365 * DAY),
    ca: false,
  });
}

/**
 * Makes sure the root exists and the current platform key has a certificate; sets
 * services.platform.certSn (the `alipay_cert_sn` of answers) and services.caRoot.
 */
export async function ensurePlatformCertificate(services: Services, rootKey?: Promise<RsaKeyPair>): Promise<void> {
  const root = await loadRoot(services, rootKey);
  services.caRoot = { certPem: root.certPem, sn: certificateSn(root.certPem) };
  const publicKeyPem = services.platform.publicKeyPem;
  let cert = await services.store.platformCertFor(publicKeyPem);
  if (!cert) {
    const certPem = issueLeaf(root, PLATFORM_DN, publicKeyPem, services.clock());
    // Another instance may certify the key meanwhile: whichever certificate was stored first is the one.
    cert = await services.store.putPlatformCertOnce({ sn: certificateSn(certPem), certPem, publicKeyPem, createdAt: services.clock() });
  }
  services.platform.certSn = cert.sn;
}

/** Issues (or re-issues) an app's certificate from its public key and records it on the app. */
export async function issueAppCertificate(services: Services, app: AppRecord): Promise<{ certPem: string; sn: string }> {
  if (!app.publicKeyPem) throw new Error(`app ${app.appId} has no public key to certify`);
  const root = await loadRoot(services);
  const certPem = issueLeaf(root, appDn(app.appId), app.publicKeyPem, services.clock());
  const sn = certificateSn(certPem);
  await services.store.updateApp(app.appId, { certPem, certSn: sn });
  return { certPem, sn };
}

/** The three files a certificate-mode SDK is configured with, under the names Alipay's console gives them, and their SNs. */
export interface CertificateKit {
  appCertSn: string;
  alipayCertSn: string;
  alipayRootCertSn: string;
  app: { file: string; pem: string };
  alipay: { file: string; pem: string };
  root: { file: string; pem: string };
}

/** Issues the app's certificate and gathers it with the current platform certificate and the root. */
export async function certificateKit(services: Services, app: AppRecord): Promise<CertificateKit> {
  const issued = await issueAppCertificate(services, app);
  const platform = await services.store.getPlatformCert(services.platform.certSn!);
  const root = services.caRoot!;
  return {
    appCertSn: issued.sn,
    alipayCertSn: platform!.sn,
    alipayRootCertSn: root.sn,
    app: { file: `appCertPublicKey_${app.appId}.crt`, pem: issued.certPem },
    alipay: { file: 'alipayCertPublicKey_RSA2.crt', pem: platform!.certPem },
    root: { file: 'alipayRootCert.crt', pem: root.certPem },
  };
}

/** The platform certificate an SDK asks for by SN (alipay.open.app.alipaycert.download). */
export const platformCertificate = (services: Services, sn: string): Promise<PlatformCert | undefined> => services.store.getPlatformCert(sn);

/** Whether a certificate is inside its validity at `now`. */
export function certificateValidAt(certPem: string, now: number): boolean {
  const cert = new X509Certificate(certPem);
  return Date.parse(cert.validFrom) <= now && now <= Date.parse(cert.validTo);
}
