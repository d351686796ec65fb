import type { Kysely, Selectable } from 'kysely';
import type { FaultRule, FaultStore } from './faults.js';
import type { Database, FaultsTable } from './schema.js';

export class KyselyFaults implements FaultStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(r: FaultRule): Promise<void> {
    await this.db.insertInto('faults').values(toRow(r)).execute();
  }

  async list(): Promise<FaultRule[]> {
    const rows = await this.db.selectFrom('faults').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(fromRow);
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('faults').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  async consume(id: string): Promise<boolean> {
    // Conditional: concurrent calls cannot take more uses than the rule has.
    const r = await this.db
      .updateTable('faults')
      .set((eb) => ({ remaining: eb('remaining', '-', 1) }))
      .where('id', '=', id)
      .where('remaining', '>', 0)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await this.db.deleteFrom('faults').where('id', '=', id).where('remaining', '<=', 0).execute();
    return true;
  }

  async replaceSource(source: FaultRule['source'], rules: readonly FaultRule[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('faults').where('source', '=', source).execute();
      if (rules.length > 0) await trx.insertInto('faults').values(rules.map(toRow)).execute();
    });
  }
}

function toRow(r: FaultRule): FaultsTable {
  return {
    id: r.id,
    app_id: r.appId,
    method: r.method,
    code: r.code,
    sub_code: r.subCode,
    sub_msg: r.subMsg,
    latency_ms: r.latencyMs,
    action: r.action,
    probability: r.probability,
    remaining: r.remaining,
    source: r.source,
    created_at: r.createdAt,
  };
}

function fromRow(r: Selectable<FaultsTable>): FaultRule {
  return {
    id: r.id,
    appId: r.app_id,
    method: r.method,
    action: r.action as FaultRule['action'],
    code: r.code,
    subCode: r.sub_code,
    subMsg: r.sub_msg,
    latencyMs: Number(r.latency_ms),
    probability: Number(r.probability),
    remaining: r.remaining === null ? null : Number(r.remaining),
    source: r.source as FaultRule['source'],
    createdAt: Number(r.created_at),
  };
}
