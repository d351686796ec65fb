import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * Schema migrations, written once with Kysely's schema builder so both dialects share them.
 * Append only: a released migration is never edited.
 */
const migrations: Record<string, Migration> = {
  '0001_initial': {
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
        .createTable('certifications')
        .addColumn('biz_no', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.app_id'))
        .addColumn('transaction_id', 'text', (c) => c.notNull())
        .addColumn('request_digest', 'text', (c) => c.notNull())
        .addColumn('product_code', 'text', (c) => c.notNull())
        .addColumn('biz_code', 'text', (c) => c.notNull())
        .addColumn('identity_sealed', 'text', (c) => c.notNull())
        .addColumn('merchant_config', 'text', (c) => c.notNull())
        .addColumn('ext_biz_param', 'text', (c) => c.notNull())
        .addColumn('linked_merchant_id', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('certifications_app_transaction', ['app_id', 'transaction_id'])
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Kysely<any>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed`, { cause: error });
  }
}
