/** What an ISV may do for a merchant: stored under keyed digests of the tokens, never the tokens. */
export interface AppAuthGrant {
  isvAppId: string;
  merchantAppId: string;
  userId: string;
  /** The methods the merchant authorised; null: every delegable method. */
  methods: string[] | null;
  expiresAt: number;
  reExpiresAt: number;
}

export interface StoredToken extends AppAuthGrant {
  revoked: boolean;
}

export type CodeGrant = Pick<AppAuthGrant, 'isvAppId' | 'merchantAppId' | 'methods'> & { expiresAt: number };

/** app_auth_code → app_auth_token → refreshed token; every step one conditional write. */
export interface AppAuthStore {
  saveCode(codeDigest: string, grant: CodeGrant): Promise<void>;
  /** Marks the code used if it is the ISV's, unused and unexpired; undefined otherwise. */
  useCode(codeDigest: string, isvAppId: string, now: number): Promise<CodeGrant | undefined>;
  saveToken(tokenDigest: string, refreshDigest: string, grant: AppAuthGrant, now: number): Promise<void>;
  findToken(tokenDigest: string): Promise<StoredToken | undefined>;
  /**
   * Spends a refresh token of the ISV: its token is revoked from `oldTokenUntil` on (the old
   * token stays usable a while). 'spent' when it was already used, undefined when unknown/expired.
   */
  spendRefresh(refreshDigest: string, isvAppId: string, now: number, oldTokenUntil: number): Promise<StoredToken | 'spent' | undefined>;
}
