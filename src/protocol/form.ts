/**
 * Splits `application/x-www-form-urlencoded` bytes into raw pairs, still percent-encoded.
 * Decoding waits until the request charset is known (percent-escapes are bytes in that charset).
 */
export function splitForm(raw: Buffer | string): Array<[Buffer, Buffer]> {
  const buf = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
  const pairs: Array<[Buffer, Buffer]> = [];
  let start = 0;
  while (start <= buf.length) {
    let end = buf.indexOf(0x26 /* & */, start);
    if (end === -1) end = buf.length;
    if (end > start) {
      const part = buf.subarray(start, end);
      const eq = part.indexOf(0x3d /* = */);
      pairs.push(eq === -1 ? [part, Buffer.alloc(0)] : [part.subarray(0, eq), part.subarray(eq + 1)]);
    }
    start = end + 1;
  }
  return pairs;
}

const hexValue = (b: number): number => (b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x41 && b <= 0x46 ? b - 0x37 : b >= 0x61 && b <= 0x66 ? b - 0x57 : -1);

/**
 * `+` is a space and `%XX` a byte, as every SDK's encoder (Java URLEncoder, PHP urlencode,
 * Python quote_plus, .NET UrlEncode) produces. A malformed escape is kept literally: the
 * signature check then fails cleanly instead of the request crashing.
 */
export function percentDecode(raw: Buffer): Buffer {
  if (raw.indexOf(0x25) === -1 && raw.indexOf(0x2b) === -1) return raw;
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x2b) {
      out[n++] = 0x20;
    } else if (b === 0x25 && i + 2 < raw.length) {
      const hi = hexValue(raw[i + 1]!);
      const lo = hexValue(raw[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo;
        i += 2;
      } else {
        out[n++] = b;
      }
    } else {
      out[n++] = b;
    }
  }
  return out.subarray(0, n);
}
