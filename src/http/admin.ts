import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { completeSession, refresh, type Outcome } from '../domain/verification.js';
import { familyOf } from '../families/index.js';
import type { Services } from '../services.js';
import type { Family } from '../store/store.js';
import { maskedSession } from './admin-view.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Token-protected automation API. With no AOPGATE_ADMIN_TOKEN configured it answers 404, as if
 * absent; a missing or wrong bearer token gets 401.
 */
export function registerAdmin(app: FastifyInstance, services: Services): void {
  const token = services.config.adminToken;
  const authorized = (req: FastifyRequest) => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    return token !== undefined && timingSafeEqual(digest(given), digest(token));
  };
  const guard = (req: FastifyRequest, reply: FastifyReply): boolean => {
    if (!token) {
      void reply.status(404).send({ error: 'admin API disabled (set AOPGATE_ADMIN_TOKEN)' });
      return false;
    }
    if (!authorized(req)) {
      void reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      return false;
    }
    return true;
  };

  const complete = (family: Family, path: string) =>
    app.post<{ Params: { id: string } }>(path, async (req, reply) => {
      if (!guard(req, reply)) return reply;
      const outcome = parseOutcome(req.body);
      if (!outcome) return reply.status(400).send({ error: 'body must be JSON {"passed": true} or {"passed": false, "failed_reason": "…"}' });
      const session = await services.store.findSession(family, { externalId: req.params.id });
      if (!session) return reply.status(404).send({ error: 'not found' });
      const done = await completeSession(services, familyOf(family), session, outcome);
      if (!done.ok) {
        const latest = await refresh(services, (await services.store.getSession(session.id)) ?? session);
        return reply.status(409).send({ error: `session is ${done.error}`, session: maskedSession(latest) });
      }
      return reply.send({ session: maskedSession(done.value) });
    });
  complete('zhima', '/admin/certifications/:id/complete');
  complete('risk', '/admin/authentications/:id/complete');

  const show = (family: Family, path: string) =>
    app.get<{ Params: { id: string } }>(path, async (req, reply) => {
      if (!guard(req, reply)) return reply;
      const session = await services.store.findSession(family, { externalId: req.params.id });
      if (!session) return reply.status(404).send({ error: 'not found' });
      return reply.send({ session: maskedSession(await refresh(services, session)) });
    });
  show('zhima', '/admin/certifications/:id');
  show('risk', '/admin/authentications/:id');
}

function parseOutcome(body: unknown): Outcome | undefined {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : String(body ?? ''));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const { passed, failed_reason: reason } = json as { passed?: unknown; failed_reason?: unknown };
  if (passed === true || passed === 'true') return { passed: true };
  if (passed === false || passed === 'false') return { passed: false, reason: typeof reason === 'string' && reason.trim() ? reason.slice(0, 128) : '认证未通过' };
  return undefined;
}
