import type { FastifyInstance } from 'fastify';
import { bearerMatches } from './admin-auth.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Services } from '../services.js';

/**
 * GET /metrics in Prometheus text format; behind AOPGATE_METRICS_TOKEN when one is set. With
 * `serve --workers N`, the whole server's metrics whichever worker answers (metrics/cluster.ts).
 */
export function registerMetrics(app: FastifyInstance, services: Services, metrics: Metrics): void {
  const token = services.config.metricsToken;
  app.get('/metrics', async (req, reply) => {
    if (token && !bearerMatches(req, token)) return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.scrape());
  });
}
