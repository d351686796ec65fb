import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import type { NotificationRecord } from '../store/store.js';
import type { AdminGuard } from './admin-auth.js';
import { notificationView } from './admin-view.js';

const STATUSES: readonly NotificationRecord['status'][] = ['PENDING', 'DELIVERED', 'FAILED'];

interface ListQuery {
  app_id?: string;
  status?: string;
  limit?: string;
}

/** GET /admin/notifications (newest first, with every attempt) and POST …/{notify_id}/resend. */
export function registerAdminNotifications(app: FastifyInstance, services: Services, guard: AdminGuard): void {
  app.get<{ Querystring: ListQuery }>('/admin/notifications', async (req, reply) => {
    if (!guard(req, reply)) return reply;
    const { app_id: appId, status, limit } = req.query;
    if (status !== undefined && !STATUSES.includes(status as NotificationRecord['status']))
      return reply.status(400).send({ error: `status must be one of ${STATUSES.join(', ')}` });
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) return reply.status(400).send({ error: 'limit must be 1 to 1000' });
    const rows = await services.store.outbox.list({ appId: appId || undefined, status: status as NotificationRecord['status'] | undefined, limit: n });
    const attempts = await services.store.outbox.attemptsOf(rows.map((r) => r.id));
    return reply.send({
      notifications: rows.map((r) =>
        notificationView(
          r,
          attempts.filter((a) => a.notificationId === r.id),
        ),
      ),
    });
  });

  app.post<{ Params: { id: string } }>('/admin/notifications/:id/resend', async (req, reply) => {
    if (!guard(req, reply)) return reply;
    const row = await services.store.outbox.resend(req.params.id, services.clock());
    if (!row) return reply.status(404).send({ error: 'not found' });
    services.wakeDelivery();
    return reply.send({ notification: notificationView(row, await services.store.outbox.attemptsOf([row.id])) });
  });
}
