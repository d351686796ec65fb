import type { FastifyInstance, FastifyReply } from 'fastify';
import { appendQuery, existingQuery, signedParams } from '../domain/signed-redirect.js';
import { applyMagic, completeSession, refresh, startSession, type Outcome } from '../domain/verification.js';
import type { FamilyAdapter } from '../domain/family.js';
import type { Services } from '../services.js';
import type { SessionRecord } from '../store/store.js';
import { FAIL_REASONS, statePage, verificationPage } from './pages.js';

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.status(status).header('content-type', 'text/html;charset=utf-8').header('cache-control', 'no-store').send(body);

/**
 * The hosted verification page, shared by every family: /verify/{session id} shows the flow,
 * /verify/{id}/complete records the person's choice and sends the browser to the merchant's
 * return URL with the signed outcome.
 */
export function registerVerifyPage(app: FastifyInstance, services: Services, familyOf: (family: string) => FamilyAdapter): void {
  app.get<{ Params: { id: string } }>('/verify/:id', async (req, reply) => {
    const session = await services.store.getSession(req.params.id);
    if (!session) return html(reply, 404, statePage('认证', '认证链接无效', '请返回商户重新发起认证。'));
    const family = familyOf(session.family);
    const current = await refresh(services, session);
    if (current.state === 'EXPIRED') return html(reply, 410, statePage(family.title, '认证已过期', '请返回商户重新发起认证。'));
    if (current.state !== 'INIT' && current.state !== 'PROCESSING') return finishedPage(reply, family.title, current);
    const started = await startSession(services, current);
    if (!started.ok) return html(reply, 409, statePage(family.title, '认证已结束'));
    const decided = await applyMagic(services, family, started.value);
    if (decided.state !== 'PROCESSING') return leave(reply, decided);
    const merchant = await services.store.getApp(session.appId);
    return html(reply, 200, verificationPage(family, decided, merchant?.name ?? session.appId));
  });

  app.post<{ Params: { id: string } }>('/verify/:id/complete', async (req, reply) => {
    const session = await services.store.getSession(req.params.id);
    if (!session) return html(reply, 404, statePage('认证', '认证链接无效'));
    const family = familyOf(session.family);
    const form = new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
    const outcome = outcomeOf(form);
    if (!outcome) return html(reply, 400, statePage(family.title, '请选择认证结果'));
    const done = await completeSession(services, family, session, outcome);
    if (!done.ok) {
      const latest = (await services.store.getSession(session.id)) ?? session;
      if (done.error === 'expired') return html(reply, 410, statePage(family.title, '认证已过期', '请返回商户重新发起认证。'));
      return finishedPage(reply, family.title, latest);
    }
    return leave(reply, done.value);
  });

  /** Back to the merchant with the signed outcome, or a result page when there is nowhere to go. */
  async function leave(reply: FastifyReply, session: SessionRecord) {
    const family = familyOf(session.family);
    if (!session.returnUrl) return finishedPage(reply, family.title, session);
    const merchant = await services.store.getApp(session.appId);
    if (!merchant) return finishedPage(reply, family.title, session);
    const params = await signedParams(services, merchant, { biz_content: JSON.stringify(family.resultContent(session)) }, existingQuery(session.returnUrl));
    return reply.redirect(appendQuery(session.returnUrl, params), 302);
  }
}

function outcomeOf(form: URLSearchParams): Outcome | undefined {
  const choice = form.get('outcome');
  if (choice === 'pass') return { passed: true };
  if (choice !== 'fail') return undefined;
  const reason = form.get('reason') ?? '';
  return { passed: false, reason: FAIL_REASONS.includes(reason) ? reason : FAIL_REASONS[0]! };
}

function finishedPage(reply: FastifyReply, title: string, s: SessionRecord) {
  const message = s.state === 'PASSED' ? '认证通过' : s.state === 'CANCELLED' ? '认证已取消' : s.state === 'EXPIRED' ? '认证已过期' : '认证未通过';
  return html(reply, 200, statePage(title, message, s.state === 'PASSED' ? '本次认证已完成。' : (s.failedReason ?? '')));
}
