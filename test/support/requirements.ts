import { existsSync } from 'node:fs';
import pg from 'pg';
import { CHROMIUM_PATH } from './browser.js';
import { PG_ADMIN_URL } from './pg.js';

/**
 * Suites that need a system service ask here. Absent service: the suite is skipped with one line
 * naming what is missing and how to get it — except under CI=true, where absence is a failure.
 */
async function requirement(present: boolean, what: string, remedy: string): Promise<string | false> {
  if (present) return false;
  const reason = `${what} is not available — ${remedy}`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  return reason;
}

export function needChromium(): Promise<string | false> {
  return requirement(existsSync(CHROMIUM_PATH), `Chromium at ${CHROMIUM_PATH}`, 'install it with `apt-get install chromium` (or set CHROMIUM_PATH)');
}

export async function needPostgres(): Promise<string | false> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  let up = false;
  try {
    await client.connect();
    up = true;
  } catch {
    up = false;
  } finally {
    await client.end().catch(() => {});
  }
  return requirement(up, `PostgreSQL at ${PG_ADMIN_URL.replace(/\/\/[^@]*@/, '//')}`, 'start it (`pg_ctlcluster 15 main start`) or set AOPGATE_TEST_PG_URL');
}
