import type { FastifyInstance } from 'fastify';
import { AppRegistrationError, registerApp } from '../apps.js';
import { isSignType } from '../crypto/rsa.js';
import type { FamilyAdapter } from '../domain/family.js';
import { certificateKit } from '../domain/platform-ca.js';
import { refresh } from '../domain/verification.js';
import type { Services } from '../services.js';
import { jsonBody, type AdminGuard } from './admin-auth.js';
import { appView, maskedSession } from './admin-view.js';

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined);

/** Apps (list, create, certificates), the platform key, and sessions across families: what the console shows. */
export function registerAdminApps(app: FastifyInstance, services: Services, families: readonly FamilyAdapter[], guard: AdminGuard): void {
  app.get('/admin/apps', async (req, reply) => (guard(req, reply) ? reply.send({ apps: (await services.store.listApps()).map(appView) }) : reply));

  app.post('/admin/apps', async (req, reply) => {
    if (!guard(req, reply)) return reply;
    const b = jsonBody(req.body);
    if (!b) return reply.status(400).send({ error: 'body must be a JSON object' });
    const signType = typeof b.sign_type === 'string' ? b.sign_type : 'RSA2';
    if (!isSignType(signType)) return reply.status(400).send({ error: 'sign_type must be RSA2 or RSA' });
    try {
      const created = await registerApp(
        services.store,
        {
          appId: typeof b.app_id === 'string' && b.app_id ? b.app_id : undefined,
          name: typeof b.name === 'string' && b.name ? b.name : undefined,
          signType,
          publicKeyPem: typeof b.public_key === 'string' && b.public_key ? b.public_key : undefined,
          scenes: strings(b.scenes),
          products: strings(b.products),
          notifyUrl: typeof b.notify_url === 'string' && b.notify_url ? b.notify_url : undefined,
          drills: strings(b.drills),
          aes: b.aes === true,
        },
        services.clock(),
      );
      // The private key, when aopgate made the pair, is shown this once and never stored.
      return reply.send({
        app: appView(created.app),
        ...(created.privateKeyPem ? { app_private_key: created.privateKeyPem } : {}),
        ...(created.app.aesKey ? { aes_key: created.app.aesKey } : {}),
      });
    } catch (e) {
      if (e instanceof AppRegistrationError) return reply.status(400).send({ error: e.message });
      throw e;
    }
  });

  app.post<{ Params: { appId: string } }>('/admin/apps/:appId/certificates', async (req, reply) => {
    if (!guard(req, reply)) return reply;
    const found = await services.store.getApp(req.params.appId);
    if (!found) return reply.status(404).send({ error: 'not found' });
    const kit = await certificateKit(services, found);
    return reply.send({
      app_cert_sn: kit.appCertSn,
      alipay_cert_sn: kit.alipayCertSn,
      alipay_root_cert_sn: kit.alipayRootCertSn,
      files: { [kit.app.file]: kit.app.pem, [kit.alipay.file]: kit.alipay.pem, [kit.root.file]: kit.root.pem },
    });
  });

  app.get('/admin/platform', async (req, reply) =>
    guard(req, reply)
      ? reply.send({
          alipay_public_key: services.platform.publicKeyPem,
          alipay_cert_sn: services.platform.certSn ?? null,
          alipay_root_cert_sn: services.caRoot?.sn ?? null,
        })
      : reply,
  );

  const byFamily = new Map(families.map((f) => [f.family, f]));
  app.get<{ Querystring: { app_id?: string; limit?: string } }>('/admin/sessions', async (req, reply) => {
    if (!guard(req, reply)) return reply;
    const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) return reply.status(400).send({ error: 'limit must be 1 to 500' });
    const sessions = await services.store.listSessions(req.query.app_id || undefined, limit);
    const current = await Promise.all(sessions.map((s) => refresh(services, s)));
    return reply.send({ sessions: current.flatMap((s) => (byFamily.has(s.family) ? [maskedSession(byFamily.get(s.family)!, s)] : [])) });
  });
}
