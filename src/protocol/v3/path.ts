/** A v3 path segment: method names are lower-case words joined by dots (`/v3/alipay/user/...`). */
const SEGMENT = /^[A-Za-z0-9_]+$/;

const PREFIX = '/v3/';

/**
 * `/v3/alipay/user/certify/open/initialize` → `alipay.user.certify.open.initialize`; undefined
 * for a path that cannot name a method (empty or odd segments, a trailing slash).
 */
export function methodOfPath(path: string): string | undefined {
  if (!path.startsWith(PREFIX)) return undefined;
  const segments = path.slice(PREFIX.length).split('/');
  if (segments.length < 2 || !segments.every((s) => SEGMENT.test(s))) return undefined;
  const method = segments.join('.');
  return method.length <= 128 ? method : undefined;
}

/** The request target split at `?`: the query without its `?` ('' when none). */
export function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf('?');
  return q === -1 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

/** Query parameters as the SDK writes them (URLSearchParams, UTF-8); the first occurrence wins. */
export function queryParams(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(query)) if (!params.has(k)) params.set(k, v);
  return params;
}
