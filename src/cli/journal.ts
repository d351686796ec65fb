import { parseArgs } from 'node:util';
import { journalView } from '../http/admin-view.js';
import type { JournalEntry } from '../store/journal.js';
import { UsageError, withServices } from './args.js';

const line = (e: JournalEntry) => {
  const v = journalView(e);
  const why = (v as { diagnosis?: { cause: string } }).diagnosis?.cause;
  return `${v.time}  ${v.trace_id}  ${v.app_id ?? '-'}  ${v.method ?? '-'}  ${v.code}${v.sub_code ? ` ${v.sub_code}` : ''}  ${v.latency_ms} ms${why ? `  [${why}]` : ''}`;
};

/**
 * `aopgate journal [--app-id] [--method] [--code] [--sub-code] [--limit N] [--tail] [--json]`:
 * the newest entries (oldest first on screen); --tail keeps printing new ones as the server writes them.
 */
export async function journal(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      'app-id': { type: 'string' },
      method: { type: 'string' },
      code: { type: 'string' },
      'sub-code': { type: 'string' },
      limit: { type: 'string' },
      tail: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const limit = Number(values.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be 1 to 1000');
  const filter = { appId: values['app-id'], method: values.method, code: values.code, subCode: values['sub-code'] };
  const print = (e: JournalEntry) => console.log(values.json ? JSON.stringify(journalView(e)) : line(e));
  return withServices(values.data, async (services) => {
    const seen = new Set<string>();
    let since: number | undefined;
    for (;;) {
      const entries = (await services.store.journal.query({ ...filter, since, limit })).reverse();
      for (const e of entries) {
        if (seen.has(e.traceId)) continue;
        seen.add(e.traceId);
        print(e);
        since = e.time;
      }
      if (!values.tail) return 0;
      await new Promise((r) => setTimeout(r, 1000));
    }
  });
}
