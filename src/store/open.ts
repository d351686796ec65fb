import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { SecretBox } from '../crypto/secretbox.js';
import { KyselyStore } from './kysely-store.js';
import { migrate } from './migrations.js';
import type { Database } from './schema.js';

export interface StoreOptions {
  /** Data directory: holds the SQLite file and the at-rest secret key. */
  dataDir: string;
  /** postgres://… to use PostgreSQL instead of the embedded SQLite file. */
  databaseUrl?: string | undefined;
  /** Base64 of 32 bytes; overrides `<dataDir>/secret.key`. */
  secretKey?: string | undefined;
}

/** Opens (and migrates) the configured backend. */
export async function openStore(opts: StoreOptions): Promise<KyselyStore> {
  mkdirSync(opts.dataDir, { recursive: true });
  const box = new SecretBox(loadSecretKey(opts));
  if (opts.databaseUrl) {
    const { db, pool } = postgresDb(opts.databaseUrl);
    await migrate(db);
    return new KyselyStore(db, box, pool);
  }
  const db = sqliteDb(join(opts.dataDir, 'aopgate.sqlite'));
  await migrate(db);
  return new KyselyStore(db, box);
}

function sqliteDb(file: string): Kysely<Database> {
  const sqlite = new Sqlite(file);
  sqlite.pragma('journal_mode = WAL');
  // The CLI writes while the server runs: wait for the lock instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

function postgresDb(url: string): { db: Kysely<Database>; pool: pg.Pool } {
  // BIGINT (epoch milliseconds) comes back as a string by default; our values fit a double.
  pg.types.setTypeParser(20, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', () => {});
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

function loadSecretKey(opts: StoreOptions): Buffer {
  if (opts.secretKey) {
    const key = Buffer.from(opts.secretKey, 'base64');
    if (key.length !== 32) throw new Error('AOPGATE_SECRET_KEY must be base64 of 32 bytes');
    return key;
  }
  const file = join(opts.dataDir, 'secret.key');
  if (!existsSync(file)) {
    // Written aside and linked into place, so a CLI starting beside the server never reads a half-written key.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
  }
  return loadKeyFile(file);
}

function loadKeyFile(file: string): Buffer {
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} must hold base64 of 32 bytes`);
  return key;
}
