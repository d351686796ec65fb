import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlipaySdk } from 'alipay-sdk';
import { certificateSn, issueCertificate, newSerial, rootCertSn, splitPemBundle, type DistinguishedName } from '../src/crypto/certificates.js';
import {
  bitString,
  boolean,
  encodeLength,
  explicit,
  integer,
  nullValue,
  oid,
  readBitStringBytes,
  readChildren,
  readElement,
  readOid,
  sequence,
  setOf,
  time,
} from '../src/crypto/der.js';

const vector = (file: string): string => readFileSync(new URL(`./fixtures/vectors/${file}`, import.meta.url), 'utf8');
const hex = (der: Buffer): string => der.toString('hex');
const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
const spki = (key: KeyObject): Buffer => key.export({ type: 'spki', format: 'der' });
const rsaKeyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });

const OPENSSL = '/usr/bin/openssl';
const hasOpenssl = existsSync(OPENSSL);

const ROOT_DN: DistinguishedName = [
  ['C', 'CN'],
  ['O', 'aopgate'],
  ['OU', 'Certification Authority'],
  ['CN', 'aopgate Root CA'],
];
const PLATFORM_DN: DistinguishedName = [
  ['C', 'CN'],
  ['ST', 'Zhejiang'],
  ['L', 'Hangzhou'],
  ['O', 'aopgate'],
  ['OU', 'Alipay Platform'],
  ['CN', 'aopgate platform key'],
];
const APP_DN: DistinguishedName = [
  ['C', 'CN'],
  ['O', 'Example Merchant'],
  ['OU', 'Alipay App'],
  ['CN', '2021000000000001'],
];
const ROOT_DN_RFC2253 = 'CN=aopgate Root CA,OU=Certification Authority,O=aopgate,C=CN';

/** Whole seconds: certificates carry no milliseconds. */
const wholeSeconds = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);
const YEAR_MS = 365 * 24 * 3600 * 1000;

describe('DER writer', () => {
  test('lengths use the short form below 128 and the minimal long form above', () => {
    assert.equal(hex(encodeLength(0)), '00');
    assert.equal(hex(encodeLength(127)), '7f');
    assert.equal(hex(encodeLength(128)), '8180');
    assert.equal(hex(encodeLength(255)), '81ff');
    assert.equal(hex(encodeLength(256)), '820100');
    assert.equal(hex(encodeLength(70000)), '83011170');
    const long = sequence(Buffer.alloc(300));
    assert.equal(hex(long.subarray(0, 4)), '3082012c');
    assert.equal(long.length, 304);
  });

  test('INTEGER is minimal two’s complement with a sign byte when the top bit is set', () => {
    assert.equal(hex(integer(0n)), '020100');
    assert.equal(hex(integer(1n)), '020101');
    assert.equal(hex(integer(127n)), '02017f');
    assert.equal(hex(integer(128n)), '02020080');
    assert.equal(hex(integer(256n)), '02020100');
    assert.equal(hex(integer((1n << 127n) - 1n)), `0210${'7f'}${'ff'.repeat(15)}`);
    assert.equal(hex(integer(1n << 127n)), `021100${'80'}${'00'.repeat(15)}`);
    assert.throws(() => integer(-1n));
  });

  test('OID, NULL, BOOLEAN, BIT STRING and explicit tags', () => {
    assert.equal(hex(oid('1.2.840.113549.1.1.11')), '06092a864886f70d01010b');
    assert.equal(hex(oid('2.5.29.19')), '0603551d13');
    assert.equal(hex(oid('2.999.3')), '0603883703');
    assert.throws(() => oid('1.40'));
    assert.throws(() => oid('1.2.03'));
    assert.equal(hex(nullValue()), '0500');
    assert.equal(hex(boolean(true)), '0101ff');
    assert.equal(hex(boolean(false)), '010100');
    assert.equal(hex(bitString(Buffer.from([0x06]), 1)), '03020106');
    assert.equal(hex(explicit(0, integer(2n))), 'a003020102');
  });

  test('SET OF sorts its elements by encoding', () => {
    assert.equal(hex(setOf(integer(2n), integer(1n))), '3106020101020102');
  });

  test('times: UTCTime for 1950–2049, GeneralizedTime otherwise, seconds only', () => {
    assert.equal(time(new Date('2049-12-31T23:59:59.999Z')).toString('latin1'), '\x17\x0d491231235959Z');
    assert.equal(time(new Date('1950-01-01T00:00:00Z')).toString('latin1'), '\x17\x0d500101000000Z');
    assert.equal(time(new Date('2050-01-01T00:00:00Z')).toString('latin1'), '\x18\x0f20500101000000Z');
    assert.equal(time(new Date('1949-12-31T23:59:59Z')).toString('latin1'), '\x18\x0f19491231235959Z');
    assert.throws(() => time(new Date(Number.NaN)));
  });

  test('the reader walks back what the writer wrote', () => {
    const der = sequence(oid('1.2.840.113549.1.1.11'), nullValue(), bitString(Buffer.from('abc')));
    const [algorithm, , bits] = readChildren(readElement(der));
    assert.ok(algorithm && bits);
    assert.equal(readOid(algorithm), '1.2.840.113549.1.1.11');
    assert.equal(readBitStringBytes(bits).toString(), 'abc');
    assert.equal(readOid(readElement(oid('2.999.3'))), '2.999.3');
    assert.throws(() => readElement(Buffer.from('3005020101', 'hex')), /past the end/);
  });
});

describe('Alipay certificate SN: real vectors', () => {
  test('application public-key certificate', () => {
    assert.equal(certificateSn(vector('appCertPublicKey_2021001161683774.crt')), '866efef280dec9137a87d047ac446315');
  });

  test('Alipay public-key certificate', () => {
    assert.equal(certificateSn(vector('alipayCertPublicKey_RSA2.crt')), '7513daaaa48aa3ba2e4018d84402479c');
  });

  test('root bundle: only the RSA-signed certificates, in file order, joined by _', () => {
    const bundle = vector('alipayRootCert.crt');
    assert.equal(splitPemBundle(bundle).length, 4);
    assert.equal(rootCertSn(bundle), '687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6');
  });

  test('splitPemBundle ignores text around the blocks and accepts CRLF', () => {
    const [first = ''] = splitPemBundle(vector('alipayRootCert.crt'));
    const crlf = first.replace(/\n/g, '\r\n');
    assert.deepEqual(splitPemBundle(`comment\r\n${crlf}\r\ntrailing`), [crlf]);
    assert.deepEqual(splitPemBundle('no certificate here'), []);
  });
});

describe('certificate authority', () => {
  const root = rsaKeyPair();
  const platform = rsaKeyPair();
  const app = rsaKeyPair();
  const notBefore = wholeSeconds(Date.now() - 24 * 3600 * 1000);
  // 30 years reaches past 2049, so the root's notAfter exercises GeneralizedTime.
  const rootNotAfter = wholeSeconds(notBefore.getTime() + 30 * YEAR_MS);
  const leafNotAfter = wholeSeconds(notBefore.getTime() + 5 * YEAR_MS);
  const rootSerial = newSerial();
  const platformSerial = newSerial();
  const appSerial = 0x0123456789abcdefn;

  const rootPem = issueCertificate({
    subject: ROOT_DN,
    issuer: ROOT_DN,
    serial: rootSerial,
    publicKey: root.publicKey,
    issuerKey: root.privateKey,
    notBefore,
    notAfter: rootNotAfter,
    ca: true,
  });
  const leaf = (subject: DistinguishedName, publicKey: KeyObject, serial: bigint, issuer: DistinguishedName = ROOT_DN): string =>
    issueCertificate({ subject, issuer, serial, publicKey, issuerKey: root.privateKey, notBefore, notAfter: leafNotAfter, ca: false });
  const platformPem = leaf(PLATFORM_DN, platform.publicKey, platformSerial);
  const appPem = leaf(APP_DN, app.publicKey, appSerial);

  const rootCert = new X509Certificate(rootPem);
  const platformCert = new X509Certificate(platformPem);
  const appCert = new X509Certificate(appPem);

  let dir = '';
  const paths = { root: '', platform: '', app: '', bundle: '' };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'aopgate-certs-'));
    paths.root = join(dir, 'root.pem');
    paths.platform = join(dir, 'platform.pem');
    paths.app = join(dir, 'app.pem');
    paths.bundle = join(dir, 'bundle.pem');
    writeFileSync(paths.root, rootPem);
    writeFileSync(paths.platform, platformPem);
    writeFileSync(paths.app, appPem);
    // Alipay's real bundle (SM2, RSA, ECDSA, RSA) followed by our root: the SN must skip the non-RSA ones.
    writeFileSync(paths.bundle, `${vector('alipayRootCert.crt').trimEnd()}\n${rootPem}`);
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('PEM armour with 64-column Base64', () => {
    const lines = rootPem.trimEnd().split('\n');
    assert.equal(lines[0], '-----BEGIN CERTIFICATE-----');
    assert.equal(lines.at(-1), '-----END CERTIFICATE-----');
    const body = lines.slice(1, -1);
    assert.ok(body.slice(0, -1).every((line) => line.length === 64));
    assert.ok((body.at(-1)?.length ?? 0) <= 64);
  });

  test('signatures verify with the root key, not with another key', () => {
    assert.equal(rootCert.verify(root.publicKey), true);
    assert.equal(platformCert.verify(root.publicKey), true);
    assert.equal(appCert.verify(root.publicKey), true);
    assert.equal(appCert.verify(app.publicKey), false);
  });

  test('issuer links: leaves are issued by the root, not by each other', () => {
    assert.equal(platformCert.checkIssued(rootCert), true);
    assert.equal(appCert.checkIssued(rootCert), true);
    assert.equal(rootCert.checkIssued(rootCert), true);
    assert.equal(appCert.checkIssued(platformCert), false);
  });

  test('basic constraints: the root is a CA, the leaves are not', () => {
    assert.equal(rootCert.ca, true);
    assert.equal(platformCert.ca, false);
    assert.equal(appCert.ca, false);
  });

  test('validity dates and serials round-trip', () => {
    assert.equal(new Date(rootCert.validFrom).getTime(), notBefore.getTime());
    assert.equal(new Date(rootCert.validTo).getTime(), rootNotAfter.getTime());
    assert.equal(new Date(appCert.validFrom).getTime(), notBefore.getTime());
    assert.equal(new Date(appCert.validTo).getTime(), leafNotAfter.getTime());
    assert.equal(BigInt(`0x${rootCert.serialNumber}`), rootSerial);
    assert.equal(BigInt(`0x${platformCert.serialNumber}`), platformSerial);
    assert.equal(BigInt(`0x${appCert.serialNumber}`), appSerial);
  });

  test('subject and issuer names, in encoded order', () => {
    assert.equal(rootCert.subject, 'C=CN\nO=aopgate\nOU=Certification Authority\nCN=aopgate Root CA');
    assert.equal(rootCert.issuer, rootCert.subject);
    assert.equal(platformCert.subject, 'C=CN\nST=Zhejiang\nL=Hangzhou\nO=aopgate\nOU=Alipay Platform\nCN=aopgate platform key');
    assert.equal(platformCert.issuer, rootCert.subject);
    assert.equal(appCert.subject, 'C=CN\nO=Example Merchant\nOU=Alipay App\nCN=2021000000000001');
    assert.equal(appCert.issuer, rootCert.subject);
  });

  test('the certified public key is the given key', () => {
    assert.deepEqual(spki(rootCert.publicKey), spki(root.publicKey));
    assert.deepEqual(spki(platformCert.publicKey), spki(platform.publicKey));
    assert.deepEqual(spki(appCert.publicKey), spki(app.publicKey));
  });

  test('a private key as publicKey certifies its public half', () => {
    const pem = leaf(APP_DN, app.privateKey, appSerial);
    assert.deepEqual(spki(new X509Certificate(pem).publicKey), spki(app.publicKey));
  });

  test('SN = md5(issuer DN in RFC 2253 order + decimal serial)', () => {
    assert.equal(certificateSn(appPem), md5(`${ROOT_DN_RFC2253}${appSerial.toString(10)}`));
    assert.equal(certificateSn(rootPem), md5(`${ROOT_DN_RFC2253}${rootSerial.toString(10)}`));
    assert.match(certificateSn(platformPem), /^[0-9a-f]{32}$/);
  });

  test('changing one digit of the serial or one letter of the issuer changes the SN', () => {
    const sn = certificateSn(appPem);
    assert.notEqual(certificateSn(leaf(APP_DN, app.publicKey, appSerial + 1n)), sn);
    const otherIssuer: DistinguishedName = ROOT_DN.map(([type, value]) => [type, type === 'CN' ? 'aopgate Root CB' : value] as const);
    assert.notEqual(certificateSn(leaf(APP_DN, app.publicKey, appSerial, otherIssuer)), sn);
    // Same issuer and serial, another subject and key: the SN does not depend on them.
    assert.equal(certificateSn(leaf(PLATFORM_DN, platform.publicKey, appSerial)), sn);
  });

  test('root SN of a bundle skips non-RSA certificates', () => {
    const bundle = readFileSync(paths.bundle, 'utf8');
    assert.equal(rootCertSn(bundle), `687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6_${certificateSn(rootPem)}`);
  });

  test('the official Node SDK computes the same SNs from the files', () => {
    const sdk = new AlipaySdk({
      appId: '2021000000000001',
      privateKey: app.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      appCertPath: paths.app,
      alipayPublicCertPath: paths.platform,
      alipayRootCertPath: paths.bundle,
    });
    assert.equal(sdk.config.appCertSn, certificateSn(appPem));
    assert.equal(sdk.config.alipayCertSn, certificateSn(platformPem));
    assert.equal(sdk.config.alipayRootCertSn, rootCertSn(readFileSync(paths.bundle, 'utf8')));
  });

  test('openssl parses the certificates and verifies the chain', { skip: hasOpenssl ? false : `${OPENSSL} not found` }, () => {
    const text = execFileSync(OPENSSL, ['x509', '-noout', '-text', '-in', paths.root], { encoding: 'utf8' });
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /Signature Algorithm: sha256WithRSAEncryption/);
    assert.match(text, /CA:TRUE/);
    assert.match(text, /Certificate Sign, CRL Sign/);
    const leafText = execFileSync(OPENSSL, ['x509', '-noout', '-text', '-in', paths.app], { encoding: 'utf8' });
    assert.match(leafText, /X509v3 Key Usage: critical\s+Digital Signature\n/);
    assert.doesNotMatch(leafText, /CA:TRUE/);
    assert.equal(keyIdentifierIn(leafText, 'Authority'), keyIdentifierIn(text, 'Subject'));
    assert.equal(keyIdentifierIn(text, 'Subject'), expectedKeyIdentifier(root.publicKey));
    for (const path of [paths.platform, paths.app]) {
      const out = execFileSync(OPENSSL, ['verify', '-CAfile', paths.root, path], { encoding: 'utf8' });
      assert.equal(out.trim(), `${path}: OK`);
    }
  });

  test('refuses a serial that is not positive or not below 2^127', () => {
    assert.throws(() => leaf(APP_DN, app.publicKey, 1n << 127n), /below 2\^127/);
    assert.throws(() => leaf(APP_DN, app.publicKey, 0n), /positive/);
    assert.throws(() => leaf(APP_DN, app.publicKey, -5n), /positive/);
    assert.doesNotThrow(() => leaf(APP_DN, app.publicKey, (1n << 127n) - 1n));
  });

  test('refuses DN values the SDKs would turn into different SNs', () => {
    const withCn = (cn: string): DistinguishedName => [...APP_DN.slice(0, -1), ['CN', cn]];
    assert.throws(() => leaf(withCn('Example, Inc'), app.publicKey, appSerial), /must not contain/);
    assert.throws(() => leaf(withCn('示例商户'), app.publicKey, appSerial), /printable ASCII/);
    assert.throws(() => leaf(withCn('Café'), app.publicKey, appSerial), /printable ASCII/);
    assert.throws(() => leaf(withCn(' padded'), app.publicKey, appSerial), /space/);
    assert.throws(() => leaf(withCn('a=b'), app.publicKey, appSerial), /must not contain/);
    assert.throws(() => leaf(withCn(''), app.publicKey, appSerial), /empty/);
    assert.throws(() => leaf(APP_DN, app.publicKey, appSerial, [['O', 'x+y']]), /must not contain/);
    assert.throws(() => leaf([['C', 'China']], app.publicKey, appSerial), /two-letter/);
  });

  test('refuses a non-RSA issuer key and an empty validity period', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const base = { subject: APP_DN, issuer: ROOT_DN, serial: appSerial, publicKey: app.publicKey, notBefore, notAfter: leafNotAfter, ca: false };
    assert.throws(() => issueCertificate({ ...base, issuerKey: ec.privateKey }), /RSA private key/);
    assert.throws(() => issueCertificate({ ...base, issuerKey: root.publicKey }), /RSA private key/);
    assert.throws(() => issueCertificate({ ...base, issuerKey: root.privateKey, notAfter: notBefore }), /later/);
  });
});

describe('newSerial', () => {
  test('random, positive and below 2^127', () => {
    const serials = Array.from({ length: 64 }, () => newSerial());
    for (const serial of serials) assert.ok(serial > 0n && serial < 1n << 127n);
    assert.equal(new Set(serials).size, serials.length);
  });
});

/** The hex key identifier openssl prints under "X509v3 <kind> Key Identifier" (openssl 1.1 prefixes it with "keyid:"). */
function keyIdentifierIn(text: string, kind: 'Subject' | 'Authority'): string {
  const match = new RegExp(`X509v3 ${kind} Key Identifier:\\s*\\n\\s*(?:keyid:)?([0-9A-F:]+)`).exec(text);
  assert.ok(match?.[1], `no ${kind} Key Identifier in openssl output`);
  return match[1].replace(/:/g, '').toLowerCase();
}

/** RFC 5280 method (1), computed independently of the issuer code: SHA-1 of the subjectPublicKey bits. */
function expectedKeyIdentifier(key: KeyObject): string {
  const [, subjectPublicKey] = readChildren(readElement(spki(key)));
  assert.ok(subjectPublicKey);
  return createHash('sha1').update(readBitStringBytes(subjectPublicKey)).digest('hex');
}
