/**
 * Text ⇄ bytes in the two charsets Alipay speaks. UTF-8 is native; GBK decoding comes from the
 * runtime's ICU (TextDecoder) and GBK encoding from a table built once from that decoder, so the
 * client needs no iconv package.
 */
export type Charset = 'utf-8' | 'gbk';

export const normalizeCharset = (value: string | undefined): Charset => (value?.trim().toLowerCase() === 'gbk' ? 'gbk' : 'utf-8');

const decoders = new Map<Charset, TextDecoder>();

export function decodeText(bytes: Uint8Array, charset: Charset): string {
  let decoder = decoders.get(charset);
  if (!decoder) decoders.set(charset, (decoder = new TextDecoder(charset)));
  return decoder.decode(bytes);
}

/** UTF-16 code unit → GBK double-byte code (lead << 8 | trail); 0 = not in GBK. Built on first GBK use. */
let gbkTable: Uint16Array | undefined;

function buildGbkTable(): Uint16Array {
  const table = new Uint16Array(0x10000);
  const decoder = new TextDecoder('gbk', { fatal: true });
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      let text: string;
      try {
        text = decoder.decode(pair);
      } catch {
        continue;
      }
      // The first pair decoding to a code unit is its canonical encoding.
      if (text.length === 1 && table[text.charCodeAt(0)] === 0) table[text.charCodeAt(0)] = (lead << 8) | trail;
    }
  }
  return table;
}

/** Characters GBK cannot represent become `?`, as Java's String.getBytes does. */
export function encodeText(text: string, charset: Charset): Buffer {
  if (charset === 'utf-8') return Buffer.from(text, 'utf8');
  gbkTable ??= buildGbkTable();
  const out = Buffer.allocUnsafe(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) {
      out[n++] = unit;
      continue;
    }
    const code = gbkTable[unit]!;
    if (code === 0) {
      out[n++] = 0x3f;
      // A surrogate pair is one character: one `?`.
      if (unit >= 0xd800 && unit <= 0xdbff) i++;
      continue;
    }
    out[n++] = code >> 8;
    out[n++] = code & 0xff;
  }
  return out.subarray(0, n);
}

const UNRESERVED = /[A-Za-z0-9.\-*_]/;

/** `application/x-www-form-urlencoded` in the charset: `+` for space, `%XX` per byte otherwise (Java URLEncoder). */
export function formEncode(params: ReadonlyArray<readonly [string, string]>, charset: Charset): string {
  if (charset === 'utf-8') return new URLSearchParams(params as Array<[string, string]>).toString();
  return params.map(([k, v]) => `${percentEncode(k, charset)}=${percentEncode(v, charset)}`).join('&');
}

function percentEncode(text: string, charset: Charset): string {
  let out = '';
  for (const byte of encodeText(text, charset)) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && UNRESERVED.test(ch)) out += ch;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A query string or form body → pairs, percent-escapes read as bytes in the charset the pairs name (`charset=`). */
export function formDecode(query: string): Array<[string, string]> {
  const rawPairs = query
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq === -1 ? ([p, ''] as const) : ([p.slice(0, eq), p.slice(eq + 1)] as const);
    });
  const charsetRaw = rawPairs.find(([k]) => k === 'charset')?.[1];
  const charset = normalizeCharset(charsetRaw === undefined ? undefined : decodeText(percentDecode(charsetRaw), 'utf-8'));
  return rawPairs.map(([k, v]) => [decodeText(percentDecode(k), charset), decodeText(percentDecode(v), charset)]);
}

function percentDecode(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '+') bytes.push(0x20);
    else if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes);
}
