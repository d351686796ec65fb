import { decodeBytes, normalizeCharset, type Charset } from './charset.js';
import { percentDecode, splitForm } from './form.js';
import { boundaryOf, parseMultipart } from './multipart.js';

/** What the HTTP layer hands the protocol core: the raw bytes, nothing interpreted yet. */
export interface RawRequest {
  /** The query string without the leading `?`. */
  query: string;
  body?: Buffer | undefined;
  contentType?: string | undefined;
  /** A browser navigation (pageExecute GET URL or auto-submitted form), not an SDK API call. */
  navigation?: boolean | undefined;
}

export interface Intake {
  params: Map<string, string>;
  /** Undefined when the client named a charset we do not speak. */
  charset: Charset | undefined;
  /** More pairs than `maxParams` arrived: only the first ones were read. */
  truncated: boolean;
}

/** Key and value as bytes in the (not yet known) request charset. */
type RawPair = [key: Buffer, value: Buffer];

const formPairs = (raw: Buffer | string): RawPair[] => splitForm(raw).map(([k, v]) => [percentDecode(k), percentDecode(v)]);

/**
 * Merges the query string and the body into one parameter map, as the SDKs split parameters
 * between the two differently (docs/alipay-openapi-v2.md §1.2). The first occurrence of a key
 * wins: .NET sends `charset` in both places with the same value.
 */
export function readParams(req: RawRequest, maxParams = Infinity): Intake {
  const pairs = formPairs(req.query);
  if (req.body && req.body.length > 0) {
    const boundary = /^multipart\//i.test(req.contentType ?? '') ? boundaryOf(req.contentType ?? '') : undefined;
    // File parts are not signed and no method reads them yet; text parts are parameters. Anything
    // else is read as a form: SDKs label it urlencoded, hand-rolled clients may not.
    const more: RawPair[] = boundary
      ? (parseMultipart(req.body, boundary)?.fields ?? []).map(([name, value]) => [Buffer.from(name, 'latin1'), value])
      : formPairs(req.body);
    // One at a time: a spread of 100,000+ pairs into push() overflows the call stack.
    for (const p of more) pairs.push(p);
  }
  const truncated = pairs.length > maxParams;
  if (truncated) pairs.length = maxParams;
  // charset is ASCII in every SDK, so it can be read before anything else is decoded.
  const rawCharset = pairs.find(([k]) => k.equals(CHARSET_KEY))?.[1].toString('latin1');
  const charset = normalizeCharset(rawCharset);
  const params = new Map<string, string>();
  for (const [k, v] of pairs) {
    const key = decodeBytes(k, charset ?? 'utf-8');
    if (!params.has(key)) params.set(key, decodeBytes(v, charset ?? 'utf-8'));
  }
  return { params, charset, truncated };
}

const CHARSET_KEY = Buffer.from('charset');
