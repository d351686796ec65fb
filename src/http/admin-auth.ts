import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Answers the request itself (404 or 401) and returns false unless it carries the admin token. */
export type AdminGuard = (req: FastifyRequest, reply: FastifyReply) => boolean;

/**
 * Every /admin route is behind one bearer token. With no AOPGATE_ADMIN_TOKEN configured the
 * admin API answers 404, as if absent; a missing or wrong token gets 401.
 */
/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time (over digests, so lengths do not leak). */
export function bearerMatches(req: FastifyRequest, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  return timingSafeEqual(digest(given), digest(token));
}

export function adminGuard(services: Services): AdminGuard {
  const token = services.config.adminToken;
  return (req, reply) => {
    if (!token) {
      void reply.status(404).send({ error: 'admin API disabled (set AOPGATE_ADMIN_TOKEN)' });
      return false;
    }
    if (!bearerMatches(req, token)) {
      void reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
      return false;
    }
    return true;
  };
}

/** The JSON object of an admin request body (bodies stay raw bytes on this server); undefined when it is not one. */
export function jsonBody(body: unknown): Record<string, unknown> | undefined {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body ?? '');
  if (text.trim() === '') return {};
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
