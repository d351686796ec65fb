import assert from 'node:assert/strict';
import type { TestApp } from './client.js';
import { seedInitializeBiz, type TestGateway } from './harness.js';

export const ADMIN_TOKEN = 'adm-notify';

/** An admin API call with the test token; answers the parsed JSON and the status. */
export async function admin(gw: TestGateway, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${gw.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Opens a zhima certification (optionally with the call's own notify_url) and finishes it through the admin API. */
export async function finishCertification(gw: TestGateway, app: TestApp, opts: { passed?: boolean; notifyUrl?: string } = {}): Promise<string> {
  // Stamped with the gateway's time: the timestamp window moves with its clock.
  const now = String((await admin(gw, 'GET', '/admin/clock')).json.now);
  const params = { timestamp: now, ...(opts.notifyUrl ? { notify_url: opts.notifyUrl } : {}) };
  const init = await gw.call(app, 'zhima.customer.certification.initialize', seedInitializeBiz(), { params });
  assert.equal(init.node.code, '10000', JSON.stringify(init.node));
  const bizNo = String(init.node.biz_no);
  const body = opts.passed === false ? { passed: false, failed_reason: '人脸比对不一致' } : { passed: true };
  const done = await admin(gw, 'POST', `/admin/certifications/${bizNo}/complete`, body);
  assert.equal(done.status, 200);
  return bizNo;
}

export interface NotificationView {
  notify_id: string;
  app_id: string;
  status: string;
  attempt_count: number;
  max_attempts: number;
  url: string;
  payload: Record<string, string>;
  attempts: Array<{
    time: string;
    drill: string | null;
    http_status: number | null;
    response_head: string | null;
    error: string | null;
    accepted: boolean;
    accepted_forgery?: boolean;
  }>;
}

export async function notificationsOf(gw: TestGateway, appId: string): Promise<NotificationView[]> {
  const res = await admin(gw, 'GET', `/admin/notifications?app_id=${appId}`);
  assert.equal(res.status, 200);
  return res.json.notifications as unknown as NotificationView[];
}

/** Polls the admin view until `check` holds (deliveries are asynchronous); a hang guard, not a timing. */
export async function until<T>(probe: () => Promise<T>, check: (v: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (check(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function advance(gw: TestGateway, duration: string): Promise<string> {
  const res = await admin(gw, 'POST', '/admin/clock', { advance: duration });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return String(res.json.now);
}
