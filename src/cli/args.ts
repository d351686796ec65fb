import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { buildServices } from '../runtime.js';
import type { Services } from '../services.js';

/** A mistake in how the command was called: printed without a stack, exit code 2. */
export class UsageError extends Error {}

/** `a,b, c` → ['a','b','c']; undefined stays undefined; '' is the empty list. */
export const list = (v: string | undefined): string[] | undefined =>
  v
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Runs `fn` with services over the data directory (or AOPGATE_DATABASE_URL) and closes them: for
 * commands that work on the database directly, with or without a server running beside them.
 */
export async function withServices<T>(dataDir: string | undefined, fn: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig({ dataDir, logLevel: 'silent' });
  const services = await buildServices(config, { log: createLogger('silent') });
  try {
    return await fn(services);
  } finally {
    await services.store.close();
  }
}
