import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * Schema migrations, written once with Kysely's schema builder so both dialects share them.
 * Append only: a released migration is never edited.
 */
const migrations: Record<string, Migration> = {
  '0001_initial': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the schema they build (Kysely docs)
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('apps')
        .addColumn('app_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sign_type', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('products', 'text', (c) => c.notNull())
        .addColumn('scenes', 'text', (c) => c.notNull())
        .addColumn('notify_url', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('verification_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('family', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.app_id'))
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('merchant_ref', 'text', (c) => c.notNull())
        .addColumn('request_digest', 'text', (c) => c.notNull())
        .addColumn('scene', 'text', (c) => c.notNull())
        .addColumn('identity_sealed', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('return_url', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('failed_reason', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('finished_at', 'bigint')
        .addUniqueConstraint('sessions_family_external', ['family', 'external_id'])
        .addUniqueConstraint('sessions_app_family_ref', ['app_id', 'family', 'merchant_ref'])
        .execute();
      await db.schema
        .createTable('notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.app_id'))
        .addColumn('session_id', 'text', (c) => c.notNull().references('verification_sessions.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notifications_due').on('notifications').columns(['status', 'next_attempt_at']).execute();
    },
  },
  '0002_notification_delivery': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
    async up(db: Kysely<any>) {
      // Per-app merchant robustness drills (JSON array), and the call's own notify_url per session.
      await db.schema
        .alterTable('apps')
        .addColumn('drills', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema.alterTable('verification_sessions').addColumn('notify_url', 'text').execute();
      // Delivery state: a lease (real time, not the adjustable clock) so that one worker at a time
      // delivers a row and a crashed worker's claim runs out; the attempt budget resend can raise.
      await db.schema
        .alterTable('notifications')
        .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(8))
        .execute();
      await db.schema
        .alterTable('notifications')
        .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('notifications').addColumn('lease_owner', 'text').execute();
      await db.schema.alterTable('notifications').addColumn('delivered_at', 'bigint').execute();
      await db.schema
        .createTable('notification_attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('notification_id', 'text', (c) => c.notNull().references('notifications.id').onDelete('cascade'))
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('attempted_at', 'bigint', (c) => c.notNull())
        .addColumn('drill', 'text')
        .addColumn('http_status', 'integer')
        .addColumn('response_head', 'text')
        .addColumn('error', 'text')
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('accepted', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notification_attempts_by_notification').on('notification_attempts').columns(['notification_id', 'attempted_at']).execute();
      await db.schema.createIndex('notifications_by_app').on('notifications').columns(['app_id', 'created_at']).execute();
      await db.schema.createIndex('sessions_by_app').on('verification_sessions').columns(['app_id']).execute();
    },
  },
  '0003_protocol_modes': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
    async up(db: Kysely<any>) {
      // AES content key (sealed) and the app's public-key certificate (certificate mode).
      await db.schema.alterTable('apps').addColumn('aes_key_sealed', 'text').execute();
      await db.schema.alterTable('apps').addColumn('cert_pem', 'text').execute();
      await db.schema.alterTable('apps').addColumn('cert_sn', 'text').execute();
      // The ISV that opened a session for a merchant with an app_auth_token.
      await db.schema.alterTable('verification_sessions').addColumn('agent_app_id', 'text').execute();
      await db.schema
        .createTable('app_auth_tokens')
        .addColumn('token', 'text', (c) => c.primaryKey())
        .addColumn('refresh_token', 'text', (c) => c.notNull().unique())
        .addColumn('isv_app_id', 'text', (c) => c.notNull())
        .addColumn('merchant_app_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('methods', 'text')
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('re_expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('app_auth_codes')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('isv_app_id', 'text', (c) => c.notNull())
        .addColumn('merchant_app_id', 'text', (c) => c.notNull())
        .addColumn('methods', 'text')
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used_at', 'bigint')
        .execute();
      // Every platform certificate ever issued, so a client holding an old SN can still download it.
      await db.schema
        .createTable('platform_certs')
        .addColumn('sn', 'text', (c) => c.primaryKey())
        .addColumn('cert_pem', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0004_journal_and_faults': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
    async up(db: Kysely<any>) {
      // Every gateway call, masked: what the journal API and the console show.
      await db.schema
        .createTable('journal')
        .addColumn('trace_id', 'text', (c) => c.primaryKey())
        .addColumn('time', 'bigint', (c) => c.notNull())
        .addColumn('protocol', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text')
        .addColumn('method', 'text')
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('sub_code', 'text')
        .addColumn('latency_ms', 'real', (c) => c.notNull())
        .addColumn('signature_valid', 'integer')
        .addColumn('entry', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('journal_by_time').on('journal').columns(['time']).execute();
      await db.schema.createIndex('journal_by_app').on('journal').columns(['app_id', 'time']).execute();
      await db.schema
        .createTable('faults')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text')
        .addColumn('method', 'text')
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('sub_code', 'text', (c) => c.notNull())
        .addColumn('sub_msg', 'text', (c) => c.notNull())
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('probability', 'real', (c) => c.notNull())
        .addColumn('remaining', 'integer')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '0005_journal_lean': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
    async up(db: Kysely<any>) {
      // Every journal row paid for a second index on the request path; the app filter scans the
      // (bounded) table by time instead.
      await db.schema.dropIndex('journal_by_app').execute();
    },
  },
  '0006_hot_path': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
    async up(db: Kysely<any>) {
      // Every session insert wrote this index's page too; the unique (app_id, family, merchant_ref)
      // index has app_id as its prefix and serves the same lookups.
      await db.schema.dropIndex('sessions_by_app').execute();
      // A counter every write to `apps` bumps, whoever writes (the CLI beside a server, another
      // worker or instance): each process keeps apps in memory and re-reads them when it moves.
      await db.schema
        .createTable('apps_version')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('version', 'bigint', (c) => c.notNull())
        .execute();
      await sql`insert into apps_version (id, version) values (1, 0)`.execute(db);
      if (db.getExecutor().adapter instanceof PostgresAdapter) {
        await sql`create function aopgate_apps_changed() returns trigger language plpgsql as $$
          begin update apps_version set version = version + 1 where id = 1; return null; end $$`.execute(db);
        await sql`create trigger apps_changed after insert or update or delete on apps
          for each statement execute function aopgate_apps_changed()`.execute(db);
        return;
      }
      for (const event of ['insert', 'update', 'delete'])
        await sql.raw(`create trigger apps_${event}d after ${event} on apps begin update apps_version set version = version + 1 where id = 1; end`).execute(db);
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Session-level advisory lock key of the whole migration run on PostgreSQL ('aopg'; not Kysely's own key). */
const MIGRATION_LOCK_KEY = 0x616f7067;
const LOCK_POLL_MS = 50;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function migrate(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return migrateSqlite(db);
  // Instances starting together migrate one at a time. Kysely's own lock wait is a blocking statement, cut
  // by the pool's statement timeout when another instance migrates for longer; this lock is polled instead.
  await db.connection().execute(async (conn) => {
    const tryLock = sql<{ locked: boolean }>`select pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) as locked`;
    while (!(await tryLock.execute(conn)).rows[0]?.locked) await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    try {
      await runMigrations(conn);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

/**
 * SQLite has no advisory lock and Kysely takes none there: two processes opening a new file at once
 * (two `serve`s, the CLI beside a starting server) both run a migration and one fails ("table …
 * already exists"). The loser retries: by then the winner has recorded what it ran.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
async function migrateSqlite(db: Kysely<any>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runMigrations(db);
    } catch (e) {
      if (attempt >= SQLITE_MIGRATION_ATTEMPTS) throw e;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

const SQLITE_MIGRATION_ATTEMPTS = 20;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
async function runMigrations(db: Kysely<any>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed`, { cause: error });
  }
}
