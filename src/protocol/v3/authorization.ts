/**
 * The v3 `Authorization` header and the byte strings both sides sign
 * (alipay-sdk `#curl`, https://opendocs.alipay.com/open-v3/054q58).
 */

/** The only scheme the SDKs send: RSA2 (SHA256withRSA) over the string below. */
export const AUTH_SCHEME = 'ALIPAY-SHA256withRSA';

export interface AuthParams {
  /** Everything between the scheme and `,sign=`, exactly as sent: it is the first line signed. */
  authString: string;
  appId?: string | undefined;
  appCertSn?: string | undefined;
  nonce?: string | undefined;
  timestamp?: string | undefined;
  sign?: string | undefined;
}

export type ParsedAuthorization = { kind: 'absent' } | { kind: 'other-scheme' } | { kind: 'ok'; params: AuthParams };

const SIGN_SEPARATOR = ',sign=';

/**
 * `ALIPAY-SHA256withRSA app_id=…,[app_cert_sn=…,]nonce=…,timestamp=…[,extra…],sign=…`. The sign
 * comes last and Base64 has no comma, so the signed authString is everything before the last
 * `,sign=`; an SDK's `additionalAuthInfo` pairs stay in it untouched.
 */
export function parseAuthorization(header: string | undefined): ParsedAuthorization {
  const value = header?.trim();
  if (!value) return { kind: 'absent' };
  const space = value.indexOf(' ');
  if (space === -1 || value.slice(0, space) !== AUTH_SCHEME) return { kind: 'other-scheme' };
  const rest = value.slice(space + 1).trim();
  const cut = rest.lastIndexOf(SIGN_SEPARATOR);
  const authString = cut === -1 ? rest : rest.slice(0, cut);
  const sign = cut === -1 ? undefined : rest.slice(cut + SIGN_SEPARATOR.length);
  const pairs = pairsOf(authString);
  return {
    kind: 'ok',
    params: {
      authString,
      appId: pairs.get('app_id'),
      appCertSn: pairs.get('app_cert_sn'),
      nonce: pairs.get('nonce'),
      timestamp: pairs.get('timestamp'),
      sign: sign || undefined,
    },
  };
}

/** `k=v,k=v` → map; the first occurrence of a key wins, empty values count as absent. */
function pairsOf(authString: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const item of authString.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    const key = item.slice(0, eq).trim();
    const val = item.slice(eq + 1).trim();
    if (val !== '' && !pairs.has(key)) pairs.set(key, val);
  }
  return pairs;
}

export interface SignedRequest {
  authString: string;
  /** Upper-case HTTP method. */
  httpMethod: string;
  /** Path and query exactly as they arrived on the request line. */
  pathAndQuery: string;
  /** The body bytes as sent (for content encryption: the Base64 ciphertext). */
  body: Buffer;
  appAuthToken?: string | undefined;
}

/**
 * `authString\nMETHOD\npath?query\nbody\n[app_auth_token\n]`, as bytes: the body is spliced in
 * raw, so what is verified is exactly what was sent, whatever its encoding.
 */
export function requestSignContent(r: SignedRequest): Buffer {
  const parts = [Buffer.from(`${r.authString}\n${r.httpMethod}\n${r.pathAndQuery}\n`, 'utf8'), r.body, Buffer.from('\n', 'utf8')];
  if (r.appAuthToken !== undefined) parts.push(Buffer.from(`${r.appAuthToken}\n`, 'utf8'));
  return Buffer.concat(parts);
}

/** `timestamp\nnonce\nbody\n`: what the platform key signs and the SDK verifies on every answer. */
export function responseSignContent(timestamp: string, nonce: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`, 'utf8'), body, Buffer.from('\n', 'utf8')]);
}
