import { parseArgs } from 'node:util';
import { notificationView } from '../http/admin-view.js';
import type { NotificationRecord } from '../store/store.js';
import { UsageError, withServices } from './args.js';

const STATUSES = ['PENDING', 'DELIVERED', 'FAILED'];

/** `aopgate notifications list [--app-id] [--status] [--limit] [--json]`, newest first. */
export async function notificationsList(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { data: { type: 'string' }, 'app-id': { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  });
  const status = values.status?.toUpperCase();
  if (status !== undefined && !STATUSES.includes(status)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  const limit = Number(values.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be 1 to 1000');
  return withServices(values.data, async (services) => {
    const rows = await services.store.outbox.list({ appId: values['app-id'], status: status as NotificationRecord['status'] | undefined, limit });
    const attempts = await services.store.outbox.attemptsOf(rows.map((r) => r.id));
    const views = rows.map((r) =>
      notificationView(
        r,
        attempts.filter((a) => a.notificationId === r.id),
      ),
    );
    if (values.json) console.log(JSON.stringify({ notifications: views }));
    else
      for (const v of views)
        console.log(`${v.notify_id}  ${v.app_id}  ${v.status.padEnd(9)}  ${v.attempt_count}/${v.max_attempts}  ${v.notify_type}  ${v.url}`);
    return 0;
  });
}

/** `aopgate notifications resend NOTIFY_ID`: due now; a running server's worker sends it within its poll interval. */
export async function notificationsResend(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { data: { type: 'string' } } });
  const [id] = positionals;
  if (!id) throw new UsageError('usage: aopgate notifications resend NOTIFY_ID');
  return withServices(values.data, async (services) => {
    const row = await services.store.outbox.resend(id, services.clock());
    if (!row) throw new UsageError(`no notification ${id}`);
    console.log(`notification ${id} due again (attempt ${row.attempts + 1} of at most ${row.maxAttempts})`);
    return 0;
  });
}
