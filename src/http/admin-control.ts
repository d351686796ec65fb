import type { FastifyInstance } from 'fastify';
import { AppRegistrationError, checkAppSettings } from '../apps.js';
import { ClockCommandError, moveClock } from '../domain/clock-control.js';
import { formatShanghaiTimestamp } from '../domain/clock.js';
import type { Services } from '../services.js';
import type { AppPatch } from '../store/store.js';
import { jsonBody, type AdminGuard } from './admin-auth.js';
import { appView } from './admin-view.js';

/** What a CI suite steers between tests: reset, the clock, an app's notify URL and drills. */
export function registerAdminControl(app: FastifyInstance, services: Services, guard: AdminGuard): void {
  app.post('/admin/reset', async (req, reply) => {
    if (!guard(req, reply)) return reply;
    const body = jsonBody(req.body);
    if (!body || (body.app_id !== undefined && typeof body.app_id !== 'string')) return reply.status(400).send({ error: 'body must be {} or {"app_id":"…"}' });
    const appId = body.app_id as string | undefined;
    if (appId !== undefined && !(await services.store.getApp(appId))) return reply.status(404).send({ error: `no app ${appId}` });
    const removed = await services.store.reset(appId);
    services.log.info({ app_id: appId ?? null, ...removed }, 'reset');
    return reply.send({ reset: removed });
  });

  const clockAnswer = () => ({ now: formatShanghaiTimestamp(services.clock()), offset_ms: services.time.offsetMs });
  app.get('/admin/clock', async (req, reply) => (guard(req, reply) ? reply.send(clockAnswer()) : reply));
  app.post('/admin/clock', async (req, reply) => {
    if (!guard(req, reply)) return reply;
    const body = jsonBody(req.body);
    if (!body) return reply.status(400).send({ error: 'body must be a JSON object' });
    try {
      await moveClock(services.store, services.time, body);
    } catch (e) {
      if (e instanceof ClockCommandError) return reply.status(400).send({ error: e.message });
      throw e;
    }
    await services.announce('clock');
    services.log.info(clockAnswer(), 'clock moved');
    return reply.send(clockAnswer());
  });

  app.get<{ Params: { appId: string } }>('/admin/apps/:appId', async (req, reply) => {
    if (!guard(req, reply)) return reply;
    const found = await services.store.getApp(req.params.appId);
    return found ? reply.send({ app: appView(found) }) : reply.status(404).send({ error: 'not found' });
  });

  app.patch<{ Params: { appId: string } }>('/admin/apps/:appId', async (req, reply) => {
    if (!guard(req, reply)) return reply;
    const patch = appPatch(jsonBody(req.body));
    if (typeof patch === 'string') return reply.status(400).send({ error: patch });
    if (!(await services.store.getApp(req.params.appId))) return reply.status(404).send({ error: 'not found' });
    const updated = await services.store.updateApp(req.params.appId, patch);
    return reply.send({ app: appView(updated!) });
  });
}

const PATCHABLE = ['notify_url', 'drills', 'products', 'scenes'];
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.trim() !== '');

/** {notify_url?, drills?, products?, scenes?} checked as `apps create` checks them; a string is the complaint. */
function appPatch(body: Record<string, unknown> | undefined): AppPatch | string {
  const usage = 'body must be {"notify_url": "http(s)://…" | null, "drills": [...], "products": [...], "scenes": [...]}';
  if (!body || Object.keys(body).some((k) => !PATCHABLE.includes(k))) return usage;
  const { notify_url: notifyUrl, drills, products, scenes } = body;
  if (notifyUrl !== undefined && notifyUrl !== null && typeof notifyUrl !== 'string') return usage;
  if ([drills, products, scenes].some((v) => v !== undefined && !isStrings(v))) return usage;
  try {
    checkAppSettings({ notifyUrl: notifyUrl as string | null | undefined, drills: drills as string[] | undefined, scenes: scenes as string[] | undefined });
  } catch (e) {
    if (e instanceof AppRegistrationError) return e.message;
    throw e;
  }
  return {
    ...(notifyUrl !== undefined ? { notifyUrl: (notifyUrl as string | null) || null } : {}),
    ...(drills !== undefined ? { drills: [...new Set(drills as string[])] } : {}),
    ...(products !== undefined ? { products: [...new Set(products as string[])] } : {}),
    ...(scenes !== undefined ? { scenes: [...new Set(scenes as string[])] } : {}),
  };
}
