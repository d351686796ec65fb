import { PostgresAdapter, type Kysely, type Selectable } from 'kysely';
import type { AttemptRecord, AttemptResult, Outbox, OutboxFilter, OutboxRow } from './outbox.js';
import type { Database, NotificationAttemptsTable, NotificationsTable } from './schema.js';
import type { NotificationRecord } from './store.js';

/**
 * The outbox on both backends. PostgreSQL claims in one statement with FOR UPDATE SKIP LOCKED, so
 * instances sharing the database each take different due rows; SQLite (one writer, no row locks)
 * selects, then claims each row with a conditional UPDATE.
 */
export class KyselyOutbox implements Outbox {
  readonly #postgres: boolean;

  constructor(private readonly db: Kysely<Database>) {
    this.#postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  }

  async claimDue(now: number, realNow: number, leaseMs: number, owner: string, limit: number): Promise<OutboxRow[]> {
    if (this.#postgres) return this.#claimDueLocking(now, realNow, leaseMs, owner, limit);
    const candidates = await this.#due(now, realNow, limit).execute();
    const claimed: OutboxRow[] = [];
    for (const { id } of candidates) {
      // Another worker may have taken it between the SELECT and here: the UPDATE decides.
      const result = await this.db
        .updateTable('notifications')
        .set({ lease_until: realNow + leaseMs, lease_owner: owner })
        .where('id', '=', id)
        .where('status', '=', 'PENDING')
        .where('lease_until', '<', realNow)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) continue;
      const row = await this.get(id);
      if (row) claimed.push(row);
    }
    return claimed;
  }

  /** The ids of unleased rows due now, oldest first: what either claiming path takes from. */
  #due(now: number, realNow: number, limit: number) {
    return this.db
      .selectFrom('notifications')
      .select('id')
      .where('status', '=', 'PENDING')
      .where('next_attempt_at', '<=', now)
      .where('lease_until', '<', realNow)
      .orderBy('next_attempt_at')
      .orderBy('created_at')
      .limit(limit);
  }

  /** PostgreSQL: rows another claimer has locked are skipped, not waited for or claimed twice. */
  async #claimDueLocking(now: number, realNow: number, leaseMs: number, owner: string, limit: number): Promise<OutboxRow[]> {
    const due = this.#due(now, realNow, limit).forUpdate().skipLocked();
    const rows = await this.db
      .updateTable('notifications')
      .set({ lease_until: realNow + leaseMs, lease_owner: owner })
      .where('id', 'in', due)
      .returningAll()
      .execute();
    // RETURNING follows no ORDER BY: back into due order.
    return rows.map(toOutboxRow).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt);
  }

  async finish(id: string, owner: string, result: AttemptResult, attempts: readonly AttemptRecord[]): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('notifications')
        .set({
          status: result.status,
          attempts: result.attempts,
          next_attempt_at: result.nextAttemptAt,
          delivered_at: result.deliveredAt,
          lease_until: 0,
          lease_owner: null,
        })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return false;
      if (attempts.length > 0) await trx.insertInto('notification_attempts').values(attempts.map(toAttemptRow)).execute();
      return true;
    });
  }

  async list(filter: OutboxFilter): Promise<OutboxRow[]> {
    let q = this.db.selectFrom('notifications').selectAll();
    if (filter.appId !== undefined) q = q.where('app_id', '=', filter.appId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(filter.limit).execute();
    return rows.map(toOutboxRow);
  }

  async get(id: string): Promise<OutboxRow | undefined> {
    const row = await this.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toOutboxRow(row);
  }

  async attemptsOf(ids: readonly string[]): Promise<AttemptRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('notification_attempts')
      .selectAll()
      .where('notification_id', 'in', [...ids])
      .orderBy('attempted_at')
      .orderBy('id')
      .execute();
    return rows.map(toAttempt);
  }

  async count(status: NotificationRecord['status']): Promise<number> {
    const row = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', status)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async resend(id: string, now: number, appId?: string): Promise<OutboxRow | undefined> {
    const current = await this.get(id);
    if (!current || (appId !== undefined && current.appId !== appId)) return undefined;
    await this.db
      .updateTable('notifications')
      .set({ status: 'PENDING', next_attempt_at: now, max_attempts: Math.max(current.maxAttempts, current.attempts + 1) })
      .where('id', '=', id)
      .execute();
    return this.get(id);
  }
}

function toOutboxRow(r: Selectable<NotificationsTable>): OutboxRow {
  return {
    id: r.id,
    appId: r.app_id,
    sessionId: r.session_id,
    url: r.url,
    payload: JSON.parse(r.payload) as Record<string, string>,
    status: r.status as NotificationRecord['status'],
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    createdAt: Number(r.created_at),
    deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
  };
}

function toAttemptRow(a: AttemptRecord): NotificationAttemptsTable {
  return {
    id: a.id,
    notification_id: a.notificationId,
    app_id: a.appId,
    attempted_at: a.attemptedAt,
    drill: a.drill,
    http_status: a.httpStatus,
    response_head: a.responseHead,
    error: a.error,
    latency_ms: Math.round(a.latencyMs),
    accepted: a.accepted ? 1 : 0,
  };
}

function toAttempt(r: Selectable<NotificationAttemptsTable>): AttemptRecord {
  return {
    id: r.id,
    notificationId: r.notification_id,
    appId: r.app_id,
    attemptedAt: Number(r.attempted_at),
    drill: r.drill,
    httpStatus: r.http_status === null ? null : Number(r.http_status),
    responseHead: r.response_head,
    error: r.error,
    latencyMs: Number(r.latency_ms),
    accepted: Number(r.accepted) === 1,
  };
}
