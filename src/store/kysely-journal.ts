import { sql, type Kysely, type Selectable } from 'kysely';
import type { JournalEntry, JournalFilter, JournalStore } from './journal.js';
import type { Database, JournalTable } from './schema.js';

export class KyselyJournal implements JournalStore {
  constructor(private readonly db: Kysely<Database>) {}

  async append(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db
      .insertInto('journal')
      .values(entries.map(toRow))
      .onConflict((oc) => oc.column('trace_id').doNothing())
      .execute();
  }

  async query(f: JournalFilter): Promise<JournalEntry[]> {
    let q = this.db.selectFrom('journal').selectAll();
    if (f.appId !== undefined) q = q.where('app_id', '=', f.appId);
    if (f.method !== undefined) q = q.where('method', '=', f.method);
    if (f.code !== undefined) q = q.where('code', '=', f.code);
    if (f.subCode !== undefined) q = q.where('sub_code', '=', f.subCode);
    if (f.since !== undefined) q = q.where('time', '>=', f.since);
    const rows = await q.orderBy('time', 'desc').orderBy('trace_id', 'desc').limit(f.limit).execute();
    return rows.map(fromRow);
  }

  async prune(maxEntries: number, olderThan: number): Promise<number> {
    const old = await this.db.deleteFrom('journal').where('time', '<', olderThan).executeTakeFirst();
    // The newest maxEntries stay: find the time of the last one kept, delete what is older.
    const cut = await this.db.selectFrom('journal').select('time').orderBy('time', 'desc').offset(maxEntries).limit(1).executeTakeFirst();
    const excess = cut ? await this.db.deleteFrom('journal').where('time', '<=', cut.time).executeTakeFirst() : undefined;
    return Number(old.numDeletedRows) + Number(excess?.numDeletedRows ?? 0);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('journal')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

function toRow(e: JournalEntry): JournalTable {
  return {
    trace_id: e.traceId,
    time: e.time,
    protocol: e.protocol,
    app_id: e.appId,
    method: e.method,
    code: e.code,
    sub_code: e.subCode,
    latency_ms: e.latencyMs,
    signature_valid: e.signatureValid === null ? null : e.signatureValid ? 1 : 0,
    entry: JSON.stringify(e.detail),
  };
}

function fromRow(r: Selectable<JournalTable>): JournalEntry {
  return {
    traceId: r.trace_id,
    time: Number(r.time),
    protocol: r.protocol as JournalEntry['protocol'],
    appId: r.app_id,
    method: r.method,
    code: r.code,
    subCode: r.sub_code,
    latencyMs: Number(r.latency_ms),
    signatureValid: r.signature_valid === null ? null : Number(r.signature_valid) === 1,
    detail: JSON.parse(r.entry) as Record<string, unknown>,
  };
}
