import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newHexId } from '../domain/ids.js';
import type { MethodRegistry } from '../protocol/method.js';
import { createV3Gateway, type V3Reply, type V3Request } from '../protocol/v3/gateway-v3.js';
import type { Journal } from '../journal/journal.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Services } from '../services.js';

/**
 * OpenAPI v3 (`/v3/<method path>`) next to /gateway.do: bytes in, bytes out. Unlike v2, the
 * status is meaningful (4xx/5xx for failures), so it is passed through as the gateway chose it.
 */
export function registerV3(app: FastifyInstance, services: Services, registry: MethodRegistry, journal?: Journal, metrics?: Metrics): void {
  const gateway = createV3Gateway(services, registry);
  app.all('/v3/*', async (req: FastifyRequest, reply: FastifyReply) => {
    const startedAt = process.hrtime.bigint();
    const traceId = newHexId();
    const request = v3Request(req);
    const result = await gateway.handle(request, traceId, startedAt);
    logCall(services, traceId, startedAt, result);
    metrics?.recordCall('v3', result.method, result.status === 200 ? '10000' : String(result.status), result.code, startedAt);
    journal?.recordV3({
      traceId,
      startedAt,
      appId: result.appId,
      method: result.method,
      status: result.status,
      code: result.code,
      request: { httpMethod: request.httpMethod, target: request.target, body: request.body?.toString('utf8') },
      response: result.body.toString('utf8'),
    });
    return reply.status(result.status).headers(result.headers).send(result.body);
  });
}

/** The request line and the few headers v3 reads; the body stays the raw bytes server.ts kept. */
function v3Request(req: FastifyRequest): V3Request {
  return {
    httpMethod: req.method.toUpperCase(),
    target: req.raw.url ?? req.url,
    authorization: header(req, 'authorization'),
    contentType: header(req, 'content-type'),
    encryptType: header(req, 'alipay-encrypt-type'),
    appAuthToken: header(req, 'alipay-app-auth-token'),
    body: Buffer.isBuffer(req.body) ? req.body : undefined,
  };
}

/** A repeated header counts once: its first value. */
function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function logCall(services: Services, traceId: string, startedAt: bigint, r: V3Reply) {
  services.log.info(
    {
      trace_id: traceId,
      protocol: 'v3',
      method: r.method,
      app_id: r.appId,
      status: r.status,
      code: r.code,
      latency_ms: Number(process.hrtime.bigint() - startedAt) / 1e6,
    },
    'gateway call',
  );
}
