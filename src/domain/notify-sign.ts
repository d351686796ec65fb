/**
 * The "V1" string-to-sign of notifications and return_url redirects: `sign` and `sign_type`
 * left out, empty values dropped (docs/alipay-openapi-v2.md §8; verified with the real
 * trade_status_sync notification in test/fixtures/vectors).
 */
export function notifySignContent(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}
