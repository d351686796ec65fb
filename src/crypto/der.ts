/**
 * A minimal ASN.1 DER writer (and an even smaller reader), just enough to build and inspect X.509
 * certificates: Node's `crypto` parses certificates but cannot create them, and aopgate takes no
 * ASN.1 dependency for the handful of types a certificate needs.
 */

const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Context-specific class bits; 0x20 marks a constructed encoding (an explicit tag wraps a whole element). */
const CONTEXT = 0x80;
const CONSTRUCTED = 0x20;

/** Tags above 30 need the multi-byte tag form, which nothing in a certificate uses. */
const MAX_LOW_TAG_NUMBER = 30;

export class DerError extends Error {}

// ---------------------------------------------------------------------------------------------------------------------
// Writer

/** Short form below 128; otherwise 0x80 | count of big-endian length bytes, then the bytes (X.690 §8.1.3). */
export function encodeLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new DerError(`invalid DER length ${length}`);
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One tag-length-value element. */
export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export const sequence = (...elements: Buffer[]): Buffer => tlv(TAG.sequence, Buffer.concat(elements));

/** SET OF: DER orders the elements by their encodings (X.690 §11.6), so callers need not. */
export const setOf = (...elements: Buffer[]): Buffer => tlv(TAG.set, Buffer.concat([...elements].sort(Buffer.compare)));

/**
 * A non-negative INTEGER in its minimal two's-complement form: big-endian magnitude, plus a leading
 * 0x00 when the top bit is set (it would otherwise read as negative). Negative values are never
 * needed in a certificate, so they are refused rather than half-supported.
 */
export function integer(value: bigint): Buffer {
  if (value < 0n) throw new DerError('negative INTEGER is not supported');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const magnitude = Buffer.from(hex, 'hex');
  const needsSignByte = (magnitude[0] ?? 0) & 0x80;
  return tlv(TAG.integer, needsSignByte ? Buffer.concat([Buffer.from([0]), magnitude]) : magnitude);
}

/** An arc in base 128, seven bits per byte, high bit set on every byte but the last. */
function base128(arc: bigint): number[] {
  const bytes = [Number(arc & 0x7fn)];
  for (let rest = arc >> 7n; rest > 0n; rest >>= 7n) bytes.unshift(Number(rest & 0x7fn) | 0x80);
  return bytes;
}

/** OBJECT IDENTIFIER from dotted form; the first two arcs share one sub-identifier (40·a + b). */
export function oid(dotted: string): Buffer {
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(dotted)) throw new DerError(`invalid OID ${dotted}`);
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first = 0n, second = 0n, ...rest] = arcs;
  if (first < 2n && second > 39n) throw new DerError(`invalid OID ${dotted}`);
  return tlv(TAG.oid, Buffer.from([first * 40n + second, ...rest].flatMap(base128)));
}

export const nullValue = (): Buffer => tlv(TAG.null, Buffer.alloc(0));

export function boolean(value: boolean): Buffer {
  // DER fixes TRUE as 0xff (BER would accept any non-zero byte).
  return tlv(TAG.boolean, Buffer.from([value ? 0xff : 0x00]));
}

/** BIT STRING: a leading byte counts the unused low bits of the last byte. */
export function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0)) {
    throw new DerError(`invalid BIT STRING unused bit count ${unusedBits}`);
  }
  return tlv(TAG.bitString, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

export const octetString = (bytes: Buffer): Buffer => tlv(TAG.octetString, bytes);

/** PrintableString's alphabet (X.680 §41.4): letters, digits, space and '()+,-./:=? */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

export function printableString(value: string): Buffer {
  if (!PRINTABLE.test(value)) throw new DerError(`not a PrintableString: ${JSON.stringify(value)}`);
  return tlv(TAG.printableString, Buffer.from(value, 'ascii'));
}

export const utf8String = (value: string): Buffer => tlv(TAG.utf8String, Buffer.from(value, 'utf8'));

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * RFC 5280 §4.1.2.5: UTCTime for the years 1950–2049, GeneralizedTime otherwise, always in UTC
 * ("Z") and to the second. Milliseconds are dropped: DER forbids fractions in UTCTime, and
 * RFC 5280 forbids them in GeneralizedTime.
 */
export function time(date: Date): Buffer {
  if (Number.isNaN(date.getTime())) throw new DerError('invalid Date');
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new DerError(`year ${year} cannot be encoded`);
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  if (year >= 1950 && year <= 2049) return tlv(TAG.utcTime, Buffer.from(`${pad(year % 100)}${rest}`, 'ascii'));
  return tlv(TAG.generalizedTime, Buffer.from(`${pad(year, 4)}${rest}`, 'ascii'));
}

function contextTag(tagNumber: number, constructed: boolean): number {
  if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > MAX_LOW_TAG_NUMBER) throw new DerError(`unsupported tag number ${tagNumber}`);
  return CONTEXT | (constructed ? CONSTRUCTED : 0) | tagNumber;
}

/** [n] EXPLICIT: a constructed context-specific element wrapping the whole inner encoding. */
export const explicit = (tagNumber: number, element: Buffer): Buffer => tlv(contextTag(tagNumber, true), element);

/** [n] IMPLICIT over a primitive type: the context tag replaces the inner tag, content bytes as given. */
export const implicitPrimitive = (tagNumber: number, content: Buffer): Buffer => tlv(contextTag(tagNumber, false), content);

// ---------------------------------------------------------------------------------------------------------------------
// Reader

/** Where one element sits in a buffer; `content` is a view of its value bytes. */
export interface DerElement {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset just past the element. */
  readonly end: number;
  readonly content: Buffer;
}

export const isSequence = (element: DerElement): boolean => element.tag === TAG.sequence;

function readLength(der: Buffer, offset: number): { length: number; next: number } {
  const first = der[offset];
  if (first === undefined) throw new DerError('truncated DER length');
  if (first < 0x80) return { length: first, next: offset + 1 };
  const count = first & 0x7f;
  // 0x80 is BER's indefinite length, which DER forbids; more than 4 bytes cannot be a real certificate.
  if (count === 0 || count > 4) throw new DerError('unsupported DER length form');
  if (offset + 1 + count > der.length) throw new DerError('truncated DER length');
  return { length: der.readUIntBE(offset + 1, count), next: offset + 1 + count };
}

/** The element starting at `offset` (tag, length and bounds checked). */
export function readElement(der: Buffer, offset = 0): DerElement {
  const tag = der[offset];
  if (tag === undefined) throw new DerError('truncated DER element');
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not supported');
  const { length, next } = readLength(der, offset + 1);
  const end = next + length;
  if (end > der.length) throw new DerError('DER element runs past the end of its buffer');
  return { tag, start: offset, end, content: der.subarray(next, end) };
}

/** The elements directly inside a constructed element (SEQUENCE, SET, explicit tag). */
export function readChildren(parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < parent.content.length;) {
    const child = readElement(parent.content, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** Dotted form of an OBJECT IDENTIFIER element. */
export function readOid(element: DerElement): string {
  if (element.tag !== TAG.oid || element.content.length === 0) throw new DerError('not an OBJECT IDENTIFIER');
  const subIdentifiers: bigint[] = [];
  let current = 0n;
  for (const byte of element.content) {
    current = (current << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      subIdentifiers.push(current);
      current = 0n;
    }
  }
  if ((element.content[element.content.length - 1] ?? 0) & 0x80) throw new DerError('truncated OBJECT IDENTIFIER');
  const [head = 0n, ...rest] = subIdentifiers;
  const first = head < 80n ? head / 40n : 2n;
  return [first, head - first * 40n, ...rest].join('.');
}

/** The bytes of a BIT STRING element, without its unused-bit count. */
export function readBitStringBytes(element: DerElement): Buffer {
  if (element.tag !== TAG.bitString || element.content.length === 0) throw new DerError('not a BIT STRING');
  return element.content.subarray(1);
}
