import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * All configuration in one schema with its defaults, validated once at boot. Sources, weakest
 * first: defaults, environment (AOPGATE_*), command-line flags.
 */
export const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).default('./data'),
  /** postgres://… selects PostgreSQL; empty means the embedded SQLite file in dataDir. */
  databaseUrl: z.string().optional(),
  /** Base64 of 32 bytes for at-rest encryption; default: generated into <dataDir>/secret.key. */
  secretKey: z.string().optional(),
  /**
   * Allowed |request timestamp − now|, seconds. Only the Java SDK stamps Asia/Shanghai time; the
   * others send host-local time (docs/alipay-openapi-v2.md §6), up to 20 h off on a UTC−12 host.
   */
  timestampSkewSeconds: z.coerce.number().int().min(0).default(86_400),
  /** Largest request body accepted, bytes (face pictures in biz_content reach 1 MiB as Base64). */
  bodyLimitBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
  /**
   * Processes serving one port (node:cluster); the primary prepares the database first. One per
   * core by default: each signs inline on its own event loop (src/crypto/rsa.ts).
   */
  workers: z.coerce.number().int().min(1).max(64).default(availableParallelism()),
  /** Whole request (headers and body) must arrive within this many ms, or the connection is closed. */
  requestTimeoutMs: z.coerce.number().int().min(100).default(30_000),
  /** Headers must arrive within this many ms. */
  headersTimeoutMs: z.coerce.number().int().min(100).default(10_000),
  /** An idle keep-alive connection is closed after this many ms. */
  keepAliveTimeoutMs: z.coerce.number().int().min(100).default(5_000),
  /** Open connections accepted at once; more are refused at the socket. */
  maxConnections: z.coerce.number().int().min(1).default(10_000),
  /** On SIGTERM, calls in flight get this many ms to finish before remaining connections are cut. */
  shutdownGraceMs: z.coerce.number().int().min(0).default(10_000),
  /** SQLite durability: NORMAL survives a process crash, FULL also power loss (an fsync per commit). */
  sqliteSynchronous: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  /** PostgreSQL: connecting and waiting for a pooled connection give up after this many ms. */
  pgConnectTimeoutMs: z.coerce.number().int().min(50).default(1000),
  /** PostgreSQL: one statement gives up after this many ms (client- and server-side). */
  pgQueryTimeoutMs: z.coerce.number().int().min(50).default(1000),
  /** PostgreSQL: connections in the pool of this process. */
  pgPoolSize: z.coerce.number().int().min(1).max(500).default(10),
  /** Most request parameters read (query and body together); more is answered 40002, signed. */
  maxParams: z.coerce.number().int().min(32).default(1000),
  /** Lifetime of a verification session (biz_no, token_id) before it expires unfinished, seconds. */
  sessionTtlSeconds: z.coerce.number().int().min(1).default(86_400),
  /** Token for the /admin API; empty disables it. */
  adminToken: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public base URL of this gateway (for hosted pages and QR codes); default http://host:port. */
  publicUrl: z.string().url().optional(),
  /** Notifications delivered at once (each a POST to a merchant's notify URL). */
  notifyConcurrency: z.coerce.number().int().min(1).max(256).default(8),
  /** A delivery attempt is abandoned (and retried on schedule) after this many milliseconds. */
  notifyTimeoutMs: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** How often the worker looks for due notifications besides being woken, milliseconds. */
  notifyPollMs: z.coerce.number().int().min(10).max(60_000).default(1000),
  /**
   * Comma-separated CIDRs (10.0.0.0/8,169.254.0.0/16,::1/128) a notify URL may not resolve into;
   * empty allows every address (local receivers are the common case in development).
   */
  notifyDeny: z.string().default(''),
  /** Journal entries kept (newest); 0 turns the journal off. */
  journalMaxEntries: z.coerce.number().int().min(0).default(10_000),
  /** Journal entries older than this many seconds are deleted. */
  journalMaxAgeSeconds: z.coerce
    .number()
    .int()
    .min(1)
    .default(7 * 86_400),
  /** Seed of the fault injection's random draws, so a test run is reproducible; empty: random. */
  faultSeed: z.string().optional(),
  /** Bearer token for /metrics; empty: open. */
  metricsToken: z.string().optional(),
  /** Seed file applied at start (docs/ci.md); empty for none. */
  seed: z.string().optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Environment variable → config key; the README's configuration table mirrors this list. */
export const ENV_KEYS: Record<string, keyof Config> = {
  AOPGATE_PORT: 'port',
  AOPGATE_HOST: 'host',
  AOPGATE_DATA_DIR: 'dataDir',
  AOPGATE_DATABASE_URL: 'databaseUrl',
  AOPGATE_SECRET_KEY: 'secretKey',
  AOPGATE_TIMESTAMP_SKEW: 'timestampSkewSeconds',
  AOPGATE_BODY_LIMIT: 'bodyLimitBytes',
  AOPGATE_WORKERS: 'workers',
  AOPGATE_MAX_PARAMS: 'maxParams',
  AOPGATE_SQLITE_SYNCHRONOUS: 'sqliteSynchronous',
  AOPGATE_PG_CONNECT_TIMEOUT_MS: 'pgConnectTimeoutMs',
  AOPGATE_PG_QUERY_TIMEOUT_MS: 'pgQueryTimeoutMs',
  AOPGATE_PG_POOL_SIZE: 'pgPoolSize',
  AOPGATE_REQUEST_TIMEOUT_MS: 'requestTimeoutMs',
  AOPGATE_HEADERS_TIMEOUT_MS: 'headersTimeoutMs',
  AOPGATE_KEEPALIVE_TIMEOUT_MS: 'keepAliveTimeoutMs',
  AOPGATE_MAX_CONNECTIONS: 'maxConnections',
  AOPGATE_SHUTDOWN_GRACE_MS: 'shutdownGraceMs',
  AOPGATE_SESSION_TTL: 'sessionTtlSeconds',
  AOPGATE_ADMIN_TOKEN: 'adminToken',
  AOPGATE_LOG_LEVEL: 'logLevel',
  AOPGATE_PUBLIC_URL: 'publicUrl',
  AOPGATE_NOTIFY_CONCURRENCY: 'notifyConcurrency',
  AOPGATE_NOTIFY_TIMEOUT_MS: 'notifyTimeoutMs',
  AOPGATE_NOTIFY_POLL_MS: 'notifyPollMs',
  AOPGATE_NOTIFY_DENY: 'notifyDeny',
  AOPGATE_SEED: 'seed',
  AOPGATE_JOURNAL_MAX_ENTRIES: 'journalMaxEntries',
  AOPGATE_JOURNAL_MAX_AGE: 'journalMaxAgeSeconds',
  AOPGATE_FAULT_SEED: 'faultSeed',
  AOPGATE_METRICS_TOKEN: 'metricsToken',
};

export function loadConfig(overrides: Partial<Record<keyof Config, unknown>> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const fromEnv: Partial<Record<keyof Config, unknown>> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== '') fromEnv[key] = v;
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const parsed = ConfigSchema.safeParse({ ...fromEnv, ...defined });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${first?.path.join('.')}: ${first?.message}`);
  }
  return parsed.data;
}
