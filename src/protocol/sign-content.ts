import { createHash } from 'node:crypto';

/**
 * The string-to-sign of a request: every parameter but `sign`, values that are empty or
 * whitespace-only dropped (Java StringUtils.isEmpty), keys sorted by code unit, `k=v` joined
 * with `&`, raw decoded values (docs/alipay-openapi-v2.md §1.3).
 */
export function requestSignContent(params: ReadonlyMap<string, string>, keepEmpty = false): string {
  const keys: string[] = [];
  for (const [k, v] of params) {
    if (k === 'sign') continue;
    if (!keepEmpty && v.trim() === '') continue;
    keys.push(k);
  }
  keys.sort();
  return keys.map((k) => `${k}=${params.get(k)}`).join('&');
}

/**
 * The string-to-sign as quoted back in `isv.invalid-signature` (the live gateway quotes its own).
 * biz_content carries identity data, which never appears in an error message: its value is
 * replaced by its length and SHA-256 prefix so a merchant can still compare it with what it signed.
 */
export function quotableSignContent(content: string, params: ReadonlyMap<string, string>): string {
  const biz = params.get('biz_content');
  if (biz === undefined || biz.trim() === '') return content;
  const digest = createHash('sha256').update(biz, 'utf8').digest('hex').slice(0, 16);
  return content.replace(`biz_content=${biz}`, `biz_content=<hidden: ${biz.length} chars, sha256 ${digest}…>`);
}

/** Whether any parameter would be dropped as empty: only then is the lenient retry worth it. */
export function hasEmptyValues(params: ReadonlyMap<string, string>): boolean {
  for (const [k, v] of params) if (k !== 'sign' && v.trim() === '') return true;
  return false;
}
