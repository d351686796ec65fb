import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';
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
  /** SQLite: FULL survives power loss (an fsync per commit); NORMAL (default) survives a process crash. */
  sqliteSynchronous?: 'NORMAL' | 'FULL';
  pgConnectTimeoutMs?: number;
  pgQueryTimeoutMs?: number;
  pgPoolSize?: number;
}

/** Opens (and migrates) the configured backend. */
export async function openStore(opts: StoreOptions): Promise<KyselyStore> {
  mkdirSync(opts.dataDir, { recursive: true });
  const box = new SecretBox(loadSecretKey(opts));
  if (opts.databaseUrl) {
    const { db, pool } = postgresDb(opts.databaseUrl, opts);
    await migrate(db);
    return new KyselyStore(db, box, pool);
  }
  const db = sqliteDb(join(opts.dataDir, 'aopgate.sqlite'), opts.sqliteSynchronous ?? 'NORMAL');
  await migrate(db);
  return new KyselyStore(db, box);
}

function sqliteDb(file: string, synchronous: 'NORMAL' | 'FULL'): Kysely<Database> {
  const sqlite = new Sqlite(file);
  sqlite.pragma('journal_mode = WAL');
  // The CLI writes while the server runs: wait for the lock instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  // WAL + NORMAL: a committed call survives a process crash (SIGKILL); FULL adds power loss.
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  cacheStatements(sqlite);
  return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
}

/**
 * Transactions start with BEGIN IMMEDIATE, not Kysely's plain (deferred) BEGIN. Other processes
 * write the same file (workers, the CLI); a deferred transaction that reads, then writes while
 * one of them holds the write lock or has committed since, fails at once with SQLITE_BUSY(_SNAPSHOT):
 * busy_timeout is never consulted for it. Taking the write lock up front makes it wait its turn.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

function postgresDb(url: string, opts: StoreOptions): { db: Kysely<Database>; pool: pg.Pool } {
  // BIGINT (epoch milliseconds) comes back as a string by default; our values fit a double.
  pg.types.setTypeParser(20, (v) => Number(v));
  const queryTimeout = opts.pgQueryTimeoutMs ?? 1000;
  // Every wait is bounded, so a database outage is answered in about two seconds, not hung on.
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.pgPoolSize ?? 10,
    connectionTimeoutMillis: opts.pgConnectTimeoutMs ?? 1000,
    query_timeout: queryTimeout,
    statement_timeout: queryTimeout,
  });
  discardBrokenClients(pool);
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

const TRACKED = Symbol('aopgate.query');
const BROKEN = Symbol('aopgate.broken');

type TrackedClient = pg.PoolClient & { [TRACKED]?: (...args: unknown[]) => unknown; [BROKEN]?: Error };

const transportFailure = (e: Error & { code?: string }) => e.code === undefined || /ECONN|EPIPE|timeout|terminated/i.test(`${e.code} ${e.message}`);

/**
 * A pooled client whose query failed at the transport (timeout, reset) may still owe the server
 * an answer; Kysely releases it without an error, which would return it to the pool. This hands
 * such a client back *with* the error, so the pool destroys it and later calls get a fresh one.
 * A checked-out client whose connection drops emits 'error' with nobody listening (the pool only
 * listens while it is idle): that is recorded here instead of crashing the process.
 */
function discardBrokenClients(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  (pool as unknown as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
    const client = (await connect()) as TrackedClient;
    if (!client[TRACKED]) {
      client[TRACKED] = client.query.bind(client) as (...args: unknown[]) => unknown;
      client.on('error', (e) => (client[BROKEN] = e));
      const query = client[TRACKED];
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const pending = query(...args);
        if (pending instanceof Promise) pending.catch((e: Error & { code?: string }) => transportFailure(e) && (client[BROKEN] = e));
        return pending;
      };
    }
    const release = client.release.bind(client);
    client.release = (err?: Error | boolean) => release(err ?? client[BROKEN]);
    return client;
  };
}

/** Statements kept per process; the query shapes are few, `in (…)` lists of many lengths the exception. */
const STATEMENT_CACHE = 500;

/**
 * Kysely's SQLite driver prepares every statement anew (a profile of fresh initialize shows
 * `prepare` at ~2 % of the server's CPU). better-sqlite3 statements are reusable and the driver
 * runs them synchronously, one at a time, so the same SQL text can share one prepared statement.
 */
function cacheStatements(sqlite: Sqlite.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Sqlite.Statement>();
  (sqlite as unknown as { prepare: (source: string) => Sqlite.Statement }).prepare = (source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      if (cache.size >= STATEMENT_CACHE) cache.clear();
      statement = prepare(source);
      cache.set(source, statement);
    }
    return statement;
  };
}
