/**
 * The merchant's side of Alipay's notification signature, written independently of the
 * gateway's code: sorted `k=v` joined with `&`, `sign` always out, empty values dropped, and
 * `sign_type` out too unless `keepSignType` (docs/alipay-openapi-v2.md §8 — Alipay uses both).
 */
export function v1SignContent(fields: Readonly<Record<string, string>>, keepSignType = false): string {
  return Object.keys(fields)
    .filter((k) => k !== 'sign' && (keepSignType || k !== 'sign_type') && fields[k] !== '')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
}
