import { buildSignedParams, type TestApp } from './client.js';
import type { TestGateway } from './harness.js';

/** Opens a page method's signed GET URL as a browser would, without following the redirect. */
export function openPageMethod(gw: TestGateway, app: TestApp, method: string, biz: unknown, params: Record<string, string> = {}): Promise<Response> {
  const signed = buildSignedParams(app, method, biz, { params });
  return fetch(`${gw.url}/gateway.do?${new URLSearchParams(signed)}`, { redirect: 'manual' });
}

/** The person's choice on the hosted page: `{ outcome: 'pass' }` or `{ outcome: 'fail', reason }`. */
export function choose(pageUrl: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${pageUrl}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
    redirect: 'manual',
  });
}
