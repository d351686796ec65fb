/** A fault injection rule: which calls it matches and what it does to them. */
export interface FaultRule {
  id: string;
  /** null: every app. */
  appId: string | null;
  /** null: every method. */
  method: string | null;
  action: 'answer' | 'delay' | 'drop';
  code: string;
  subCode: string;
  subMsg: string;
  latencyMs: number;
  /** 0 < p ≤ 1: the share of matching calls it applies to. */
  probability: number;
  /** Calls left; null: until removed. */
  remaining: number | null;
  source: 'admin' | 'cli' | 'seed';
  createdAt: number;
}

export interface FaultStore {
  add(rule: FaultRule): Promise<void>;
  list(): Promise<FaultRule[]>;
  remove(id: string): Promise<boolean>;
  /** Takes one use of a counted rule; false when none is left (another call took the last). */
  consume(id: string): Promise<boolean>;
  /** Replaces every rule of a source (a seed file's, at start). */
  replaceSource(source: FaultRule['source'], rules: readonly FaultRule[]): Promise<void>;
}
