import { PostgresAdapter, type Insertable, type Kysely, type QueryResult } from 'kysely';
import { GroupCommit } from './group-commit.js';
import { precompile, type Precompiled } from './precompiled.js';
import type { Database, VerificationSessionsTable } from './schema.js';

export type SessionRow = Record<keyof VerificationSessionsTable, unknown>;

/** Every column a session insert binds (the `satisfies` makes a new column impossible to forget). */
const COLUMNS = Object.keys({
  id: 1,
  family: 1,
  app_id: 1,
  external_id: 1,
  merchant_ref: 1,
  request_digest: 1,
  scene: 1,
  identity_sealed: 1,
  details: 1,
  return_url: 1,
  state: 1,
  failed_reason: 1,
  created_at: 1,
  updated_at: 1,
  expires_at: 1,
  started_at: 1,
  finished_at: 1,
  notify_url: 1,
  agent_app_id: 1,
} satisfies Record<keyof VerificationSessionsTable, 1>) as Array<keyof VerificationSessionsTable>;

/** Rows per multi-row statement on PostgreSQL (19 parameters each, far below its 65 535). */
const MAX_ROWS = 64;

/**
 * Session inserts, idempotent on (app, family, merchant_ref): `insert(row)` is true when this row
 * was stored, false when one with its reference already was. Inserts of one event-loop turn are
 * committed together (GroupCommit): on SQLite as one transaction of single-row statements, on
 * PostgreSQL as one multi-row statement whose RETURNING tells which rows went in.
 */
export function sessionInserts(db: Kysely<Database>): (row: SessionRow) => Promise<boolean> {
  const single = rowsInsert(db, 1);
  const alone = async (row: SessionRow) => inserted(await db.executeQuery(single(bind([row]))));
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    const together = (rows: readonly SessionRow[]) =>
      db.transaction().execute(async (trx) => {
        const stored: boolean[] = [];
        for (const row of rows) stored.push(inserted(await trx.executeQuery(single(bind([row])))));
        return stored;
      });
    return withGroupCommit(together, alone);
  }
  const multi = new Map<number, Precompiled<string>>();
  const together = async (rows: readonly SessionRow[]) => {
    const stored: boolean[] = [];
    for (let i = 0; i < rows.length; i += MAX_ROWS) {
      const chunk = rows.slice(i, i + MAX_ROWS);
      let query = multi.get(chunk.length);
      if (!query) multi.set(chunk.length, (query = rowsInsert(db, chunk.length, true)));
      const ids = new Set((await db.executeQuery<{ id: string }>(query(bind(chunk)))).rows.map((r) => r.id));
      stored.push(...chunk.map((r) => ids.has(r.id as string)));
    }
    return stored;
  };
  return withGroupCommit(together, alone);
}

/** A single-row insert went in (not skipped by ON CONFLICT DO NOTHING). */
const inserted = (result: QueryResult<unknown>) => Number(result.numAffectedRows ?? 0n) === 1;

function withGroupCommit(together: (rows: readonly SessionRow[]) => Promise<boolean[]>, alone: (row: SessionRow) => Promise<boolean>) {
  const group = new GroupCommit(together, alone);
  return (row: SessionRow) => group.execute(row);
}

/** Values keyed by slot name: `<column>:<row index>`. */
function bind(rows: readonly SessionRow[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  rows.forEach((row, i) => COLUMNS.forEach((c) => (values[`${c}:${i}`] = row[c])));
  return values;
}

function rowsInsert(db: Kysely<Database>, count: number, returning = false): Precompiled<string> {
  return precompile<string>((slot) => {
    const rows = Array.from({ length: count }, (_, i) => Object.fromEntries(COLUMNS.map((c) => [c, slot(`${c}:${i}`)])));
    const insert = db
      .insertInto('verification_sessions')
      .values(rows as unknown as Array<Insertable<VerificationSessionsTable>>)
      .onConflict((oc) => oc.columns(['app_id', 'family', 'merchant_ref']).doNothing());
    return returning ? insert.returning('id') : insert;
  });
}
