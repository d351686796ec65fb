import type { Kysely, Selectable } from 'kysely';
import type { AppAuthStore, AppAuthGrant, CodeGrant, StoredToken } from './app-auth.js';
import type { AppAuthTokensTable, Database } from './schema.js';

const methodsOf = (text: string | null) => (text === null ? null : (JSON.parse(text) as string[]));

export class KyselyAppAuth implements AppAuthStore {
  constructor(private readonly db: Kysely<Database>) {}

  async saveCode(codeDigest: string, g: CodeGrant): Promise<void> {
    await this.db
      .insertInto('app_auth_codes')
      .values({
        code: codeDigest,
        isv_app_id: g.isvAppId,
        merchant_app_id: g.merchantAppId,
        methods: g.methods && JSON.stringify(g.methods),
        expires_at: g.expiresAt,
        used_at: null,
      })
      .execute();
  }

  async useCode(codeDigest: string, isvAppId: string, now: number): Promise<CodeGrant | undefined> {
    // One conditional UPDATE: two exchanges of one code cannot both succeed.
    const used = await this.db
      .updateTable('app_auth_codes')
      .set({ used_at: now })
      .where('code', '=', codeDigest)
      .where('isv_app_id', '=', isvAppId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return undefined;
    const row = await this.db.selectFrom('app_auth_codes').selectAll().where('code', '=', codeDigest).executeTakeFirstOrThrow();
    return { isvAppId: row.isv_app_id, merchantAppId: row.merchant_app_id, methods: methodsOf(row.methods), expiresAt: Number(row.expires_at) };
  }

  async saveToken(tokenDigest: string, refreshDigest: string, g: AppAuthGrant, now: number): Promise<void> {
    await this.db
      .insertInto('app_auth_tokens')
      .values({
        token: tokenDigest,
        refresh_token: refreshDigest,
        isv_app_id: g.isvAppId,
        merchant_app_id: g.merchantAppId,
        user_id: g.userId,
        methods: g.methods && JSON.stringify(g.methods),
        expires_at: g.expiresAt,
        re_expires_at: g.reExpiresAt,
        created_at: now,
      })
      .execute();
  }

  async findToken(tokenDigest: string): Promise<StoredToken | undefined> {
    const row = await this.db.selectFrom('app_auth_tokens').selectAll().where('token', '=', tokenDigest).executeTakeFirst();
    return row && toToken(row);
  }

  async spendRefresh(refreshDigest: string, isvAppId: string, now: number, oldTokenUntil: number): Promise<StoredToken | 'spent' | undefined> {
    const row = await this.db
      .selectFrom('app_auth_tokens')
      .selectAll()
      .where('refresh_token', '=', refreshDigest)
      .where('isv_app_id', '=', isvAppId)
      .executeTakeFirst();
    if (!row || Number(row.re_expires_at) <= now) return undefined;
    const spent = await this.db
      .updateTable('app_auth_tokens')
      .set({ revoked: 1, expires_at: Math.min(Number(row.expires_at), oldTokenUntil) })
      .where('token', '=', row.token)
      .where('revoked', '=', 0)
      .executeTakeFirst();
    return Number(spent.numUpdatedRows) === 1 ? toToken(row) : 'spent';
  }
}

function toToken(r: Selectable<AppAuthTokensTable>): StoredToken {
  return {
    isvAppId: r.isv_app_id,
    merchantAppId: r.merchant_app_id,
    userId: r.user_id,
    methods: methodsOf(r.methods),
    expiresAt: Number(r.expires_at),
    reExpiresAt: Number(r.re_expires_at),
    revoked: Number(r.revoked) === 1,
  };
}
