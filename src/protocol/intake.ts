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
}

/** Key and value as bytes in the (not yet known) request charset. */
type RawPair = [key: Buffer, value: Buffer];

const formPairs = (raw: Buffer | string): RawPair[] => splitForm(raw).map(([k, v]) => [percentDecode(k), percentDecode(v)]);

/**
 * Merges the query string and the body into one parameter map, as the SDKs split parameters
 * between the two differently (docs/alipay-openapi-v2.md §1.2). The first occurrence of a key
 * wins: .NET sends `charset` in both places with the same value.
 */
export function readParams(req: RawRequest): Intake {
  const pairs = formPairs(req.query);
  if (req.body && req.body.length > 0) {
    const boundary = /^multipart\//i.test(req.contentType ?? '') ? boundaryOf(req.contentType ?? '') : undefined;
    if (boundary) {
      // File parts are not signed and no method reads them yet; text parts are parameters.
      for (const [name, value] of parseMultipart(req.body, boundary)?.fields ?? []) pairs.push([Buffer.from(name, 'latin1'), value]);
    } else {
      // Anything else is read as a form: SDKs label it urlencoded, hand-rolled clients may not.
      pairs.push(...formPairs(req.body));
    }
  }
  // charset is ASCII in every SDK, so it can be read before anything else is decoded.
  const rawCharset = pairs.find(([k]) => k.equals(CHARSET_KEY))?.[1].toString('latin1');
  const charset = normalizeCharset(rawCharset);
  const params = new Map<string, string>();
  for (const [k, v] of pairs) {
    const key = decodeBytes(k, charset ?? 'utf-8');
    if (!params.has(key)) params.set(key, decodeBytes(v, charset ?? 'utf-8'));
  }
  return { params, charset };
}

const CHARSET_KEY = Buffer.from('charset');
