import type { FastifyInstance } from 'fastify';
import { jsonBody, type AdminGuard } from './admin-auth.js';
import { completeSession, refresh, type Outcome } from '../domain/verification.js';
import type { FamilyAdapter } from '../domain/family.js';
import type { Services } from '../services.js';
import { maskedSession } from './admin-view.js';

/** Token-protected automation API over the verification sessions of every family. */
export function registerAdminSessions(app: FastifyInstance, services: Services, families: readonly FamilyAdapter[], guard: AdminGuard): void {
  const complete = (family: FamilyAdapter) =>
    app.post<{ Params: { id: string } }>(`/admin/${family.adminPath}/:id/complete`, async (req, reply) => {
      if (!guard(req, reply)) return reply;
      const outcome = parseOutcome(req.body);
      if (!outcome) return reply.status(400).send({ error: 'body must be JSON {"passed": true} or {"passed": false, "failed_reason": "…"}' });
      const session = await services.store.findSession(family.family, { externalId: req.params.id });
      if (!session) return reply.status(404).send({ error: 'not found' });
      const done = await completeSession(services, family, session, outcome);
      if (!done.ok) {
        const latest = await refresh(services, (await services.store.getSession(session.id)) ?? session);
        return reply.status(409).send({ error: `session is ${done.error}`, session: maskedSession(family, latest) });
      }
      return reply.send({ session: maskedSession(family, done.value) });
    });

  const show = (family: FamilyAdapter) =>
    app.get<{ Params: { id: string } }>(`/admin/${family.adminPath}/:id`, async (req, reply) => {
      if (!guard(req, reply)) return reply;
      const session = await services.store.findSession(family.family, { externalId: req.params.id });
      if (!session) return reply.status(404).send({ error: 'not found' });
      return reply.send({ session: maskedSession(family, await refresh(services, session)) });
    });

  // Each family's sessions under its own path, by the id its API hands out (biz_no, token_id…).
  for (const family of families) {
    complete(family);
    show(family);
  }
}

function parseOutcome(body: unknown): Outcome | undefined {
  const json = jsonBody(body);
  if (!json) return undefined;
  const { passed, failed_reason: reason } = json;
  if (passed === true || passed === 'true') return { passed: true };
  if (passed === false || passed === 'false')
    return { passed: false, reason: typeof reason === 'string' && reason.trim() ? reason.slice(0, 128) : '认证未通过' };
  return undefined;
}
