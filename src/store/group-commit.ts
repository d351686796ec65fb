interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes that arrive in one turn of the event loop, committed together: under load several calls
 * reach their insert in the same turn, and a commit costs about as much as the row it carries
 * (SQLite: file locks, WAL frames, the wal-index; PostgreSQL: a round trip and a WAL flush). Each
 * caller is answered only after the commit that holds its row; should the batch fail, every item
 * is written again on its own, so one bad row fails only its own call.
 */
export class GroupCommit<T, R> {
  #waiting: Array<Waiting<T, R>> = [];

  constructor(
    private readonly together: (items: readonly T[]) => Promise<R[]>,
    private readonly alone: (item: T) => Promise<R>,
  ) {}

  execute(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      if (this.#waiting.push({ item, resolve, reject }) === 1) setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#waiting;
    this.#waiting = [];
    if (batch.length > 1) {
      try {
        const results = await this.together(batch.map((w) => w.item));
        return batch.forEach((w, i) => w.resolve(results[i]!));
      } catch {
        // Nothing of the batch was stored: each item on its own below.
      }
    }
    for (const w of batch) await this.alone(w.item).then(w.resolve, w.reject);
  }
}
