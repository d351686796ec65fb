import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';
import type { Store } from '../../src/store/store.js';

/** The Kysely handle behind a running store, for tests that look at rows as they are stored. */
export function rawDb(store: Store): Kysely<Database> {
  const db = (store as unknown as { db?: Kysely<Database> }).db;
  if (!db) throw new Error('this store exposes no Kysely handle');
  return db;
}
