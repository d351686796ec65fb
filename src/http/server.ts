import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Fastify, { type FastifyHttpOptions, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { newHexId } from '../domain/ids.js';
import { GatewayErrors as E } from '../errors/gateway-errors.js';
import { registerAdmin } from './admin.js';
import { registerConsole } from './console.js';
import { registerQrCodes } from './qrcode.js';
import { registerVerifyPage } from './verify-page.js';
import { registerV3 } from './v3.js';
import type { FamilyAdapter } from '../domain/family.js';
import type { FaultInjector } from '../faults/faults.js';
import type { Journal } from '../journal/journal.js';
import type { Metrics } from '../metrics/metrics.js';
import { registerMetrics } from './metrics.js';
import type { GatewayHook } from '../protocol/hooks.js';
import type { MethodRegistry } from '../protocol/method.js';
import { createGateway } from '../protocol/pipeline.js';
import type { GatewayReply } from '../protocol/respond.js';
import type { GatewayCall } from '../protocol/call.js';
import type { Services } from '../services.js';
import type { Logger } from 'pino';
import { callLogger } from '../log.js';

export interface ServerParts {
  registry: MethodRegistry;
  families: readonly FamilyAdapter[];
  hooks?: readonly GatewayHook[];
  /** The journal and fault rules the admin API reads and steers (their hooks are in `hooks`). */
  journal: Journal;
  faults: FaultInjector;
  metrics: Metrics;
}

/**
 * HTTP wiring only: bytes in, bytes out. The gateway answers HTTP 200 whatever happens, because
 * every SDK throws on any other status (docs/alipay-openapi-v2.md §10).
 */
export function createServer(services: Services, parts: ServerParts): FastifyInstance {
  const calls = callLogger(services.log);
  const gateway = createGateway(services, parts.registry, parts.hooks);
  const families = new Map(parts.families.map((f) => [f.family, f]));
  const familyOf = (name: string) => families.get(name)!;
  const { config } = services;
  const app = Fastify({
    logger: false,
    bodyLimit: config.bodyLimitBytes,
    // Bounds on every connection (docs: README "Reliability and security"): a stalled upload or a
    // slow header drip is cut at requestTimeout/headersTimeout, an idle keep-alive at keepAliveTimeout.
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // While closing, calls on kept-alive connections are still answered as the gateway answers
    // (an SDK cannot read Fastify's 503 JSON); idle ones are closed at once.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    serverFactory: (fastifyHandler: (req: IncomingMessage, res: ServerResponse) => void) => {
      const server = createHttpServer(
        {
          // pageExecute GET URLs carry biz_content in the query string; Node's 16 KiB default is too small.
          maxHeaderSize: 256 * 1024,
          headersTimeout: config.headersTimeoutMs,
          requestTimeout: config.requestTimeoutMs,
          keepAliveTimeout: config.keepAliveTimeoutMs,
          // Node checks request deadlines on this interval (default 30 s): tighter, so bounds hold.
          connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
        },
        (req, res) => (isPlainGatewayPost(req, config.bodyLimitBytes) ? void serveGatewayPost(req, res) : fastifyHandler(req, res)),
      );
      server.keepAliveTimeout = config.keepAliveTimeoutMs;
      return server;
    },
  } as FastifyHttpOptions<Server>);
  app.server.maxConnections = config.maxConnections;
  // When each request arrived: latency counts from here, also on the error-handler path.
  app.addHook('onRequest', async (req) => {
    (req as FastifyRequest & { startedAt?: bigint }).startedAt = process.hrtime.bigint();
  });
  // Bodies stay raw bytes: their charset is a request parameter, known only after parsing.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const serveGateway = async (req: FastifyRequest, reply: FastifyReply) => {
    const started = startOf(req);
    const { call, reply: result } = await gateway.handle(
      { query: rawQuery(req), body: req.body as Buffer | undefined, contentType: req.headers['content-type'], navigation: isNavigation(req) },
      newHexId(),
      started,
    );
    logCall(calls, call, result);
    if (call.drop) return dropConnection(req, reply);
    return sendReply(reply, result, call.traceId);
  };
  /**
   * The hot path: an SDK's POST with a declared, acceptable length is served straight from
   * node:http — Fastify's request pipeline was ~12 % of a call's main-thread time in a profile
   * (README, Performance). Anything else (chunked, too large, browsers, other routes) goes through
   * Fastify, whose error handler answers the malformed cases.
   */
  const serveGatewayPost = (req: IncomingMessage, res: ServerResponse) => {
    const startedAt = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // An aborted upload never ends: it costs nothing more.
    req.once('end', async () => {
      const raw = { query: queryOf(req.url ?? ''), body: Buffer.concat(chunks), contentType: req.headers['content-type'], navigation: false };
      // The gateway answers every failure itself; this only guards the process against a bug escaping it.
      const { call, reply: result } = await gateway
        .handle(raw, newHexId(), startedAt)
        .catch(() => gateway.handle({ query: raw.query }, newHexId(), startedAt, E.malformedRequest));
      logCall(calls, call, result);
      if (call.drop) return void req.socket.destroy();
      if (result.kind === 'redirect') return void res.writeHead(302, { location: result.location!, trace_id: call.traceId }).end();
      res.writeHead(200, { 'content-type': `text/html;charset=${result.charset}`, 'content-length': result.body.length, trace_id: call.traceId });
      res.end(result.body);
    });
  };
  // Every HTTP method gets an Alipay answer: SDKs throw on anything but 200 (§10).
  app.all('/gateway.do', serveGateway);
  // Liveness: the process answers. Readiness: it can also reach its database (load balancers stop sending calls until then).
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) =>
    services.store.healthy() ? reply.send({ status: 'ready' }) : reply.status(503).send({ status: 'not-ready', reason: 'database unreachable' }),
  );
  registerVerifyPage(app, services, familyOf);
  registerAdmin(app, services, parts);
  registerConsole(app);
  registerQrCodes(app, services, parts.families);
  registerV3(app, services, parts.registry, parts.journal, parts.metrics);
  registerMetrics(app, services, parts.metrics);

  // Failures before our handler (body too large, broken framing) still get an Alipay node.
  app.setErrorHandler(async (error: { statusCode?: number; code?: string }, req, reply) => {
    if (!req.url.startsWith('/gateway.do')) return reply.status(error.statusCode ?? 500).send({ error: error.code ?? 'error' });
    // A client that went away (aborted upload, timed out) gets nothing: no lookup, no log line.
    if (req.raw.destroyed || req.raw.socket?.destroyed) return reply;
    const rejection = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? E.bodyTooLarge : E.malformedRequest;
    const { call, reply: result } = await gateway.handle({ query: rawQuery(req) }, newHexId(), startOf(req), rejection);
    logCall(calls, call, result);
    return sendReply(reply, result, call.traceId);
  });
  return app;
}

const startOf = (req: FastifyRequest): bigint => (req as FastifyRequest & { startedAt?: bigint }).startedAt ?? process.hrtime.bigint();

/** The query string exactly as sent: its percent-escapes are bytes in the request charset, decoded later. */
const rawQuery = (req: FastifyRequest): string => queryOf(req.raw.url ?? '');

function queryOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? '' : url.slice(q + 1);
}

/** An SDK's API call: POST /gateway.do with a Content-Length within the limit, not a browser navigation. */
function isPlainGatewayPost(req: IncomingMessage, bodyLimit: number): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  if (!url.startsWith('/gateway.do') || (url.length > 11 && url[11] !== '?')) return false;
  const length = req.headers['content-length'];
  if (length === undefined || req.headers['transfer-encoding'] !== undefined || !/^\d+$/.test(length) || Number(length) > bodyLimit) return false;
  return !isNavigation(req);
}

/**
 * pageExecute hands the browser a GET URL or an auto-submitting form; SDK API calls are POSTs
 * without the browser's document-navigation headers (Java sends Accept text/plain,…,text/html).
 */
function isNavigation(req: { method?: string | undefined; headers: IncomingHttpHeaders }): boolean {
  if (req.method === 'GET') return true;
  const dest = req.headers['sec-fetch-dest'];
  if (dest) return dest === 'document' || dest === 'iframe';
  return /application\/xhtml\+xml/.test(req.headers.accept ?? '');
}

/** Fault injection's "drop": the client sees the connection close with no answer at all. */
function dropConnection(req: FastifyRequest, reply: FastifyReply) {
  reply.hijack();
  req.raw.socket.destroy();
}

function sendReply(reply: FastifyReply, result: GatewayReply, traceId: string) {
  reply.header('trace_id', traceId);
  if (result.kind === 'redirect') return reply.redirect(result.location!, 302);
  return reply.status(200).header('content-type', `text/html;charset=${result.charset}`).send(result.body);
}

function logCall(log: Logger, call: GatewayCall, r: GatewayReply) {
  log.info(
    {
      trace_id: call.traceId,
      method: call.method,
      app_id: call.appId,
      code: r.code,
      sub_code: r.subCode,
      latency_ms: Number(process.hrtime.bigint() - call.startedAt) / 1e6,
    },
    'gateway call',
  );
}
