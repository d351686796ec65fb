import type { FastifyInstance } from 'fastify';
import { FaultSpecError, ruleFromSpec, type FaultInjector, type FaultSpec } from '../faults/faults.js';
import type { Journal } from '../journal/journal.js';
import type { Services } from '../services.js';
import type { FaultRule } from '../store/faults.js';
import { jsonBody, type AdminGuard } from './admin-auth.js';
import { faultView, journalView } from './admin-view.js';

interface JournalQuery {
  app_id?: string;
  method?: string;
  code?: string;
  sub_code?: string;
  since?: string;
  limit?: string;
}

/** GET /admin/journal and the /admin/faults collection. */
export function registerAdminObserve(app: FastifyInstance, services: Services, guard: AdminGuard, journal: Journal, faults: FaultInjector): void {
  app.get<{ Querystring: JournalQuery }>('/admin/journal', async (req, reply) => {
    if (!guard(req, reply)) return reply;
    const q = req.query;
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return reply.status(400).send({ error: 'limit must be 1 to 1000' });
    const since = q.since === undefined ? undefined : Date.parse(q.since);
    if (since !== undefined && Number.isNaN(since)) return reply.status(400).send({ error: 'since must be an ISO date-time' });
    const entries = await journal.query({
      appId: q.app_id || undefined,
      method: q.method || undefined,
      code: q.code || undefined,
      subCode: q.sub_code || undefined,
      since,
      limit,
    });
    return reply.send({ entries: entries.map(journalView) });
  });

  app.get('/admin/faults', async (req, reply) => (guard(req, reply) ? reply.send({ faults: (await services.store.faults.list()).map(faultView) }) : reply));

  app.post('/admin/faults', async (req, reply) => {
    if (!guard(req, reply)) return reply;
    const body = jsonBody(req.body);
    if (!body) return reply.status(400).send({ error: 'body must be a JSON object' });
    let rule: FaultRule;
    try {
      rule = ruleFromSpec(body as FaultSpec, 'admin', services.clock());
    } catch (e) {
      if (e instanceof FaultSpecError) return reply.status(400).send({ error: e.message });
      throw e;
    }
    await services.store.faults.add(rule);
    faults.invalidate();
    await services.announce('faults');
    return reply.send({ id: rule.id, fault: faultView(rule) });
  });

  app.delete<{ Params: { id: string } }>('/admin/faults/:id', async (req, reply) => {
    if (!guard(req, reply)) return reply;
    const removed = await services.store.faults.remove(req.params.id);
    faults.invalidate();
    await services.announce('faults');
    return removed ? reply.send({ removed: req.params.id }) : reply.status(404).send({ error: 'not found' });
  });
}
