import type { NotificationRecord } from './store.js';

/** An outbox row as delivery and the admin views see it. */
export interface OutboxRow extends NotificationRecord {
  maxAttempts: number;
  deliveredAt: number | null;
}

/** One delivery attempt: the genuine notification or a drill's copy, and what the merchant answered. */
export interface AttemptRecord {
  id: string;
  notificationId: string;
  appId: string;
  attemptedAt: number;
  drill: string | null;
  httpStatus: number | null;
  responseHead: string | null;
  error: string | null;
  latencyMs: number;
  accepted: boolean;
}

/** Where a claimed row goes after its attempt. */
export interface AttemptResult {
  status: NotificationRecord['status'];
  /** How many genuine attempts the row has had, this one included. */
  attempts: number;
  nextAttemptAt: number;
  deliveredAt: number | null;
}

export interface OutboxFilter {
  appId?: string | undefined;
  status?: NotificationRecord['status'] | undefined;
  limit: number;
}

/**
 * The notifications table as a queue. A worker claims due rows with a lease (real time: moving
 * the gateway clock must not break a claim); only the lease holder may record the attempt, so
 * no row is delivered twice concurrently, and a crashed worker's lease simply runs out.
 */
export interface Outbox {
  /** Leases up to `limit` PENDING rows due at `now` (gateway clock) and not leased at `realNow`. */
  claimDue(now: number, realNow: number, leaseMs: number, owner: string, limit: number): Promise<OutboxRow[]>;
  /** Records the attempts and moves the row on, if `owner` still holds it; false when it does not (reset, lease lost). */
  finish(id: string, owner: string, result: AttemptResult, attempts: readonly AttemptRecord[]): Promise<boolean>;
  list(filter: OutboxFilter): Promise<OutboxRow[]>;
  get(id: string): Promise<OutboxRow | undefined>;
  attemptsOf(ids: readonly string[]): Promise<AttemptRecord[]>;
  /** How many rows are in a status (the metrics' backlog). */
  count(status: NotificationRecord['status']): Promise<number>;
  /** Due again now with at least one more attempt allowed, whatever its status; undefined when unknown. */
  resend(id: string, now: number, appId?: string): Promise<OutboxRow | undefined>;
}
