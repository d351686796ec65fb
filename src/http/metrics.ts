import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';
import type { Services } from '../services.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** GET /metrics in Prometheus text format; behind AOPGATE_METRICS_TOKEN when one is set. */
export function registerMetrics(app: FastifyInstance, services: Services, metrics: Metrics): void {
  const token = services.config.metricsToken;
  app.get('/metrics', async (req, reply) => {
    if (token) {
      const header = req.headers.authorization ?? '';
      const given = header.startsWith('Bearer ') ? header.slice(7) : '';
      if (!timingSafeEqual(digest(given), digest(token))) return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
    }
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
