import iconv from 'iconv-lite';

/** Charsets the gateway speaks (docs/alipay-openapi-v2.md §6): utf-8, gbk, gb2312, any case. */
export type Charset = 'utf-8' | 'gbk' | 'gb2312';

export function normalizeCharset(raw: string | undefined): Charset | undefined {
  if (raw === undefined || raw === '') return 'utf-8';
  const lower = raw.trim().toLowerCase();
  if (lower === 'utf-8' || lower === 'utf8') return 'utf-8';
  if (lower === 'gbk' || lower === 'gb2312') return lower;
  return undefined;
}

export function decodeBytes(bytes: Buffer, charset: Charset): string {
  return charset === 'utf-8' ? bytes.toString('utf8') : iconv.decode(bytes, charset);
}

export function encodeText(text: string, charset: Charset): Buffer {
  return charset === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, charset);
}

/**
 * Makes JSON text representable in the response charset: characters GBK cannot encode are
 * written as \uXXXX escapes (still valid JSON, and the signature covers the escaped bytes).
 */
export function escapeUnencodable(json: string, charset: Charset): string {
  if (charset === 'utf-8') return json;
  // eslint-disable-next-line no-control-regex
  return json.replace(/[^\x00-\x7f]/g, (ch) => (representable(ch, charset) ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

const representableCache = new Map<string, boolean>();

function representable(ch: string, charset: Charset): boolean {
  const key = charset + ch;
  let yes = representableCache.get(key);
  if (yes === undefined) {
    yes = iconv.decode(iconv.encode(ch, charset), charset) === ch;
    representableCache.set(key, yes);
  }
  return yes;
}
