import { X509Certificate, createHash, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  integer,
  isSequence,
  nullValue,
  octetString,
  oid,
  printableString,
  readBitStringBytes,
  readChildren,
  readElement,
  readOid,
  sequence,
  setOf,
  time,
  utf8String,
  type DerElement,
} from './der.js';

/**
 * A small X.509 certificate authority (the certificates of Alipay's "public-key certificate" mode)
 * and Alipay's certificate SN, the value apps send as `app_cert_sn` / `alipay_root_cert_sn`.
 */

export class CertificateError extends Error {}

export type AttributeType = 'C' | 'ST' | 'L' | 'O' | 'OU' | 'CN';

/** Attributes in ENCODED order (the reverse of the RFC 2253 string), one attribute per RDN. */
export type DistinguishedName = ReadonlyArray<readonly [type: AttributeType, value: string]>;

const ATTRIBUTE_OID: Record<AttributeType, string> = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
};

const OID = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

/** Signature algorithms of the PKCS#1 arc: the SDKs keep only these root certificates when computing the root SN. */
const RSA_SIGNATURE_ARC = '1.2.840.113549.1.1';

/** Serials are kept below 2^127 so that, with DER's sign byte, they never exceed RFC 5280's 20 octets and stay positive. */
const SERIAL_LIMIT = 1n << 127n;

// ---------------------------------------------------------------------------------------------------------------------
// Distinguished names

/**
 * Printable ASCII only, none of RFC 2253's special characters, no edge spaces. The SDKs build the SN
 * from a DN string without escaping (and some parsers escape where others do not), so a value that
 * would need escaping gives different SNs in different SDKs: refuse it at issue time.
 */
function assertPlainAttributeValue(type: AttributeType, value: string): void {
  if (value.length === 0) throw new CertificateError(`${type} must not be empty`);
  if (!/^[\x20-\x7e]+$/.test(value)) throw new CertificateError(`${type} must be printable ASCII: ${JSON.stringify(value)}`);
  if (/[,+"\\<>;#=]/.test(value)) throw new CertificateError(`${type} must not contain any of ,+"\\<>;#=: ${JSON.stringify(value)}`);
  if (value.trim() !== value) throw new CertificateError(`${type} must not start or end with a space: ${JSON.stringify(value)}`);
  if (type === 'C' && !/^[A-Z]{2}$/.test(value)) throw new CertificateError(`C must be a two-letter ISO 3166 code: ${JSON.stringify(value)}`);
}

/** countryName is a PrintableString (RFC 5280 Appendix A); every other attribute a UTF8String (RFC 5280 §4.1.2.4). */
function encodeAttribute(type: AttributeType, value: string): Buffer {
  assertPlainAttributeValue(type, value);
  const encodedValue = type === 'C' ? printableString(value) : utf8String(value);
  return setOf(sequence(oid(ATTRIBUTE_OID[type]), encodedValue));
}

function encodeName(name: DistinguishedName): Buffer {
  if (name.length === 0) throw new CertificateError('a distinguished name needs at least one attribute');
  return sequence(...name.map(([type, value]) => encodeAttribute(type, value)));
}

// ---------------------------------------------------------------------------------------------------------------------
// Issuing

export interface IssueOptions {
  subject: DistinguishedName;
  issuer: DistinguishedName;
  serial: bigint;
  publicKey: KeyObject;
  /** The issuer's RSA private key; the subject's own key for a self-signed root. */
  issuerKey: KeyObject;
  /** For the authority key identifier; derived from `issuerKey` when omitted. */
  issuerPublicKey?: KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  hash?: 'sha256';
}

/** A random positive serial below 2^127 (RFC 5280 asks for at least 64 bits of entropy; this has 127). */
export function newSerial(): bigint {
  for (;;) {
    const bytes = randomBytes(16);
    bytes[0] = (bytes[0] ?? 0) & 0x7f;
    const serial = BigInt(`0x${bytes.toString('hex')}`);
    if (serial !== 0n) return serial;
  }
}

function assertSerial(serial: bigint): void {
  if (serial <= 0n) throw new CertificateError('serial must be positive');
  if (serial >= SERIAL_LIMIT) throw new CertificateError('serial must be below 2^127');
}

function assertValidity(notBefore: Date, notAfter: Date): void {
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) throw new CertificateError('validity dates must be valid Dates');
  if (notAfter.getTime() <= notBefore.getTime()) throw new CertificateError('notAfter must be later than notBefore');
}

/** The subject's key as it goes into the certificate; a private key is accepted and reduced to its public half. */
function publicKeyOf(key: KeyObject): KeyObject {
  if (key.type === 'secret') throw new CertificateError('a certificate needs an asymmetric key, not a secret key');
  return key.type === 'private' ? createPublicKey(key) : key;
}

/** Only plain RSA: an `rsa-pss` key would make `crypto.sign` produce PSS, which sha256WithRSAEncryption is not. */
function assertRsaPrivateKey(key: KeyObject): void {
  if (key.type !== 'private' || key.asymmetricKeyType !== 'rsa') throw new CertificateError('issuerKey must be an RSA private key');
}

const spkiDer = (key: KeyObject): Buffer => key.export({ type: 'spki', format: 'der' });

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's bytes (no tag, length or unused-bit count). */
function keyIdentifier(spki: Buffer): Buffer {
  const [, subjectPublicKey] = readChildren(readElement(spki));
  if (subjectPublicKey === undefined) throw new CertificateError('malformed SubjectPublicKeyInfo');
  return createHash('sha1').update(readBitStringBytes(subjectPublicKey)).digest();
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }; DER omits a FALSE default. */
function extension(extensionOid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(extensionOid), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** cA is DEFAULT FALSE, so a leaf's BasicConstraints is an empty SEQUENCE. */
const basicConstraints = (ca: boolean): Buffer => extension(OID.basicConstraints, true, sequence(...(ca ? [boolean(true)] : [])));

/**
 * KeyUsage bits count from the most significant bit: digitalSignature (0) → 0x80 with 7 unused
 * bits; keyCertSign (5) + cRLSign (6) → 0x06 with 1 unused bit (DER drops trailing zero bits).
 */
const keyUsage = (ca: boolean): Buffer => extension(OID.keyUsage, true, ca ? bitString(Buffer.from([0x06]), 1) : bitString(Buffer.from([0x80]), 7));

const subjectKeyIdentifier = (keyId: Buffer): Buffer => extension(OID.subjectKeyIdentifier, false, octetString(keyId));

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING, … } */
const authorityKeyIdentifier = (keyId: Buffer): Buffer => extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, keyId)));

const signatureAlgorithm = (): Buffer => sequence(oid(OID.sha256WithRSAEncryption), nullValue());

function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** An X.509 v3 certificate signed sha256WithRSAEncryption by `issuerKey`, as PEM. */
export function issueCertificate(opts: IssueOptions): string {
  assertSerial(opts.serial);
  assertValidity(opts.notBefore, opts.notAfter);
  assertRsaPrivateKey(opts.issuerKey);
  const subjectSpki = spkiDer(publicKeyOf(opts.publicKey));
  const issuerSpki = spkiDer(opts.issuerPublicKey ? publicKeyOf(opts.issuerPublicKey) : createPublicKey(opts.issuerKey));
  const tbsCertificate = sequence(
    explicit(0, integer(2n)), // version v3
    integer(opts.serial),
    signatureAlgorithm(),
    encodeName(opts.issuer),
    sequence(time(opts.notBefore), time(opts.notAfter)),
    encodeName(opts.subject),
    subjectSpki,
    explicit(
      3,
      sequence(
        basicConstraints(opts.ca),
        keyUsage(opts.ca),
        subjectKeyIdentifier(keyIdentifier(subjectSpki)),
        authorityKeyIdentifier(keyIdentifier(issuerSpki)),
      ),
    ),
  );
  // RSA keys sign PKCS#1 v1.5 by default, which is what sha256WithRSAEncryption means.
  const signature = sign(opts.hash ?? 'sha256', tbsCertificate, opts.issuerKey);
  return toPem(sequence(tbsCertificate, signatureAlgorithm(), bitString(signature)));
}

// ---------------------------------------------------------------------------------------------------------------------
// Alipay certificate SN

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The certificate blocks of a PEM bundle, in file order; anything between them is ignored. */
export function splitPemBundle(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? [];
}

function pemToDer(pem: string): Buffer {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue } */
function signatureAlgorithmOid(pem: string): string {
  const certificate = readElement(pemToDer(pem));
  const algorithm: DerElement | undefined = isSequence(certificate) ? readChildren(certificate)[1] : undefined;
  const algorithmOid = algorithm && isSequence(algorithm) ? readChildren(algorithm)[0] : undefined;
  if (algorithmOid === undefined) throw new CertificateError('malformed certificate: no signature algorithm');
  return readOid(algorithmOid);
}

const isRsaSigned = (pem: string): boolean => {
  const algorithm = signatureAlgorithmOid(pem);
  return algorithm === RSA_SIGNATURE_ARC || algorithm.startsWith(`${RSA_SIGNATURE_ARC}.`);
};

/**
 * Node prints a name one `TYPE=value` per line in encoded order, escaping RFC 2253 specials with a
 * backslash (and control bytes as `\XX`). The SDKs use the raw value, so undo the escaping.
 */
const unescapeNameValue = (line: string): string =>
  line.replace(/\\([0-9A-F]{2}|[\s\S])/g, (_, escaped: string) => (escaped.length === 2 ? String.fromCharCode(parseInt(escaped, 16)) : escaped));

/** RFC 2253 order (last RDN first), `,` without spaces, as the SDKs build it. */
function issuerDnString(certificate: X509Certificate): string {
  return certificate.issuer.split('\n').map(unescapeNameValue).reverse().join(',');
}

/** Alipay's certificate SN: md5_hex(issuer DN in RFC 2253 order + decimal serial). */
export function certificateSn(pem: string): string {
  const certificate = new X509Certificate(pem);
  const serial = BigInt(`0x${certificate.serialNumber}`).toString(10);
  // An MD5 hex digest is always 32 characters (leading zeros included).
  return createHash('md5')
    .update(`${issuerDnString(certificate)}${serial}`, 'utf8')
    .digest('hex');
}

/** Alipay's root SN: the SNs of the bundle's RSA-signed certificates, in file order, joined by `_`. */
export function rootCertSn(bundlePem: string): string {
  return splitPemBundle(bundlePem).filter(isRsaSigned).map(certificateSn).join('_');
}
