import type { CompiledQuery, Kysely, QueryResult } from 'kysely';

interface Waiting {
  query: CompiledQuery;
  resolve: (result: QueryResult<unknown>) => void;
  reject: (error: unknown) => void;
}

/**
 * SQLite writes that arrive in one turn of the event loop, committed together in one transaction.
 * In place, a commit (file locks, WAL frames, the wal-index) cost about as much as the insert it
 * carried, and under load several calls reach their insert in the same turn. Each caller is
 * answered only after the commit that holds its row; should the batch fail, every statement is run
 * again on its own, so one bad row fails only its own call.
 */
export class GroupCommit {
  #waiting: Waiting[] = [];

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: the queries are compiled
  constructor(private readonly db: Kysely<any>) {}

  execute(query: CompiledQuery): Promise<QueryResult<unknown>> {
    return new Promise((resolve, reject) => {
      if (this.#waiting.push({ query, resolve, reject }) === 1) setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#waiting;
    this.#waiting = [];
    if (batch.length > 1) {
      try {
        const results = await this.db.transaction().execute(async (trx) => {
          const out: QueryResult<unknown>[] = [];
          for (const w of batch) out.push(await trx.executeQuery(w.query));
          return out;
        });
        return batch.forEach((w, i) => w.resolve(results[i]!));
      } catch {
        // Rolled back as a whole: each statement on its own below.
      }
    }
    for (const w of batch) await this.db.executeQuery(w.query).then(w.resolve, w.reject);
  }
}
