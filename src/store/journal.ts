/** One gateway call as the journal keeps it: masked before it reaches the store. */
export interface JournalEntry {
  traceId: string;
  time: number;
  protocol: 'v2' | 'v3';
  appId: string | null;
  method: string | null;
  code: string;
  subCode: string | null;
  latencyMs: number;
  signatureValid: boolean | null;
  /** Everything else the API shows (request, response, string_to_sign, diagnosis), masked. */
  detail: Record<string, unknown>;
}

export interface JournalFilter {
  appId?: string | undefined;
  method?: string | undefined;
  code?: string | undefined;
  subCode?: string | undefined;
  since?: number | undefined;
  limit: number;
}

export interface JournalStore {
  append(entries: readonly JournalEntry[]): Promise<void>;
  /** Newest first. */
  query(filter: JournalFilter): Promise<JournalEntry[]>;
  /** Keeps at most `maxEntries`, none older than `olderThan`; answers how many went. */
  prune(maxEntries: number, olderThan: number): Promise<number>;
  count(): Promise<number>;
}
