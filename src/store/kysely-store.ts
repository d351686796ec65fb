import { sql, type Kysely, type Selectable } from 'kysely';
import type { SecretBox } from '../crypto/secretbox.js';
import type { AppsTable, Database, VerificationSessionsTable } from './schema.js';
import { KyselyAppAuth } from './kysely-app-auth.js';
import { KyselyFaults } from './kysely-faults.js';
import { KyselyJournal } from './kysely-journal.js';
import { KyselyOutbox } from './kysely-outbox.js';
import { sessionInserts, type SessionRow } from './session-inserts.js';
import { precompile, type Precompiled } from './precompiled.js';
import type {
  AppPatch,
  AppRecord,
  CreateOutcome,
  Family,
  NotificationRecord,
  PlatformCert,
  PlatformKeys,
  PoolStats,
  ResetCounts,
  SessionLookup,
  SessionRecord,
  SessionState,
  Store,
  TransitionPatch,
} from './store.js';

const PLATFORM_KEYS = 'platform_keys';

/**
 * The Store on top of Kysely: the same queries run on SQLite and PostgreSQL. Identity data and
 * the platform private key are sealed with the SecretBox before they reach SQL.
 */
export class KyselyStore implements Store {
  readonly outbox: KyselyOutbox;
  readonly appAuth: KyselyAppAuth;
  readonly journal: KyselyJournal;
  readonly faults: KyselyFaults;

  constructor(
    readonly db: Kysely<Database>,
    readonly box: SecretBox,
    private readonly pool?: { totalCount: number; idleCount: number; waitingCount: number },
  ) {
    this.outbox = new KyselyOutbox(db);
    this.appAuth = new KyselyAppAuth(db);
    this.journal = new KyselyJournal(db);
    this.faults = new KyselyFaults(db);
    this.#insertSession = sessionInserts(db);
    this.#readAppsVersion = precompile(() => db.selectFrom('apps_version').select('version').where('id', '=', 1));
    this.#readApp = precompile<'appId'>((slot) => db.selectFrom('apps').selectAll().where('app_id', '=', slot('appId')));
  }

  // The queries every gateway call runs, compiled once (src/store/precompiled.ts).
  readonly #readAppsVersion: Precompiled<never>;
  readonly #readApp: Precompiled<'appId'>;
  readonly #insertSession: (row: SessionRow) => Promise<boolean>;

  async ensurePlatformKeys(candidate: () => Promise<PlatformKeys>): Promise<PlatformKeys> {
    const existing = await this.#readPlatformKeys();
    if (existing) return existing;
    const keys = await candidate();
    await this.db
      .insertInto('settings')
      .values({ key: PLATFORM_KEYS, value: this.box.seal(JSON.stringify(keys)) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const stored = await this.#readPlatformKeys();
    if (!stored) throw new Error('platform keys vanished after insert');
    return stored;
  }

  async replacePlatformKeys(keys: PlatformKeys): Promise<void> {
    const value = this.box.seal(JSON.stringify(keys));
    await this.db
      .insertInto('settings')
      .values({ key: PLATFORM_KEYS, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  async getSetting(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async putSetting(key: string, value: string): Promise<void> {
    if (key === PLATFORM_KEYS) throw new Error('the platform keys are written sealed, through replacePlatformKeys');
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  async getSecret(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', `secret:${key}`).executeTakeFirst();
    return row && this.box.open(row.value);
  }

  async putSecretOnce(key: string, value: string): Promise<string> {
    await this.db
      .insertInto('settings')
      .values({ key: `secret:${key}`, value: this.box.seal(value) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await this.getSecret(key))!;
  }

  async putPlatformCertOnce(c: PlatformCert): Promise<PlatformCert> {
    // Instances starting together must not each certify the key under its own SN: the check and the
    // insert run under the table's write lock (BEGIN IMMEDIATE on SQLite, a table lock on PostgreSQL).
    return this.db.transaction().execute(async (trx) => {
      if (this.pool) await sql`lock table platform_certs in share row exclusive mode`.execute(trx);
      const row = await trx.selectFrom('platform_certs').selectAll().where('public_key', '=', c.publicKeyPem).orderBy('created_at', 'desc').executeTakeFirst();
      if (row) return { sn: row.sn, certPem: row.cert_pem, publicKeyPem: row.public_key, createdAt: Number(row.created_at) };
      await trx.insertInto('platform_certs').values({ sn: c.sn, cert_pem: c.certPem, public_key: c.publicKeyPem, created_at: c.createdAt }).execute();
      return c;
    });
  }

  async getPlatformCert(sn: string): Promise<PlatformCert | undefined> {
    const row = await this.db.selectFrom('platform_certs').selectAll().where('sn', '=', sn).executeTakeFirst();
    return row && { sn: row.sn, certPem: row.cert_pem, publicKeyPem: row.public_key, createdAt: Number(row.created_at) };
  }

  async platformCertFor(publicKeyPem: string): Promise<PlatformCert | undefined> {
    const row = await this.db.selectFrom('platform_certs').selectAll().where('public_key', '=', publicKeyPem).orderBy('created_at', 'desc').executeTakeFirst();
    return row && { sn: row.sn, certPem: row.cert_pem, publicKeyPem: row.public_key, createdAt: Number(row.created_at) };
  }

  async #readPlatformKeys(): Promise<PlatformKeys | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', PLATFORM_KEYS).executeTakeFirst();
    return row ? (JSON.parse(this.box.open(row.value)) as PlatformKeys) : undefined;
  }

  async createApp(app: AppRecord): Promise<CreateOutcome<AppRecord>> {
    const result = await this.db
      .insertInto('apps')
      .values({
        app_id: app.appId,
        name: app.name,
        sign_type: app.signType,
        public_key: app.publicKeyPem,
        status: app.status,
        products: JSON.stringify(app.products),
        scenes: JSON.stringify(app.scenes),
        notify_url: app.notifyUrl,
        created_at: app.createdAt,
        drills: JSON.stringify(app.drills),
        aes_key_sealed: app.aesKey ? this.box.seal(app.aesKey) : null,
        cert_pem: app.certPem ?? null,
        cert_sn: app.certSn ?? null,
      })
      .onConflict((oc) => oc.column('app_id').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 1) return { created: true, record: app };
    return { created: false, existing: (await this.getApp(app.appId))! };
  }

  /**
   * Apps as last read, kept while `apps_version` stands still (triggers bump it on any write to
   * `apps`, from this process or another); during a database outage they still let calls be
   * answered signed, with the key from memory.
   */
  readonly #knownApps = new Map<string, AppRecord>();
  #appsVersion: string | undefined;
  #healthy = true;

  async getApp(appId: string): Promise<AppRecord | undefined> {
    try {
      const { rows } = await this.db.executeQuery<{ version: unknown }>(this.#readAppsVersion({}));
      const version = String(rows[0]?.version);
      if (version !== this.#appsVersion) {
        this.#knownApps.clear();
        this.#appsVersion = version;
      }
      const known = this.#knownApps.get(appId);
      if (known) return known;
      const row = (await this.db.executeQuery<Selectable<AppsTable>>(this.#readApp({ appId }))).rows[0];
      const app = row && this.#toApp(row);
      if (app) this.#knownApps.set(appId, app);
      return app;
    } catch (e) {
      this.#healthy = false;
      const known = this.#knownApps.get(appId);
      if (known) return known;
      throw e;
    }
  }

  healthy(): boolean {
    return this.#healthy;
  }

  async probe(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.db);
      this.#healthy = true;
    } catch {
      this.#healthy = false;
    }
    return this.#healthy;
  }

  async updateApp(appId: string, patch: AppPatch): Promise<AppRecord | undefined> {
    const set = {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.signType !== undefined ? { sign_type: patch.signType } : {}),
      ...(patch.publicKeyPem !== undefined ? { public_key: patch.publicKeyPem } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.products !== undefined ? { products: JSON.stringify(patch.products) } : {}),
      ...(patch.scenes !== undefined ? { scenes: JSON.stringify(patch.scenes) } : {}),
      ...(patch.notifyUrl !== undefined ? { notify_url: patch.notifyUrl } : {}),
      ...(patch.drills !== undefined ? { drills: JSON.stringify(patch.drills) } : {}),
      ...(patch.aesKey !== undefined ? { aes_key_sealed: patch.aesKey ? this.box.seal(patch.aesKey) : null } : {}),
      ...(patch.certPem !== undefined ? { cert_pem: patch.certPem } : {}),
      ...(patch.certSn !== undefined ? { cert_sn: patch.certSn } : {}),
    };
    if (Object.keys(set).length > 0) await this.db.updateTable('apps').set(set).where('app_id', '=', appId).execute();
    return this.getApp(appId);
  }

  async reset(appId?: string): Promise<ResetCounts> {
    return this.db.transaction().execute(async (trx) => {
      let attempts = trx.deleteFrom('notification_attempts');
      let notifications = trx.deleteFrom('notifications');
      let sessions = trx.deleteFrom('verification_sessions');
      if (appId !== undefined) {
        attempts = attempts.where('app_id', '=', appId);
        notifications = notifications.where('app_id', '=', appId);
        sessions = sessions.where('app_id', '=', appId);
      }
      // Children first: the foreign keys point from attempts to notifications to sessions.
      const a = await attempts.executeTakeFirst();
      const n = await notifications.executeTakeFirst();
      const s = await sessions.executeTakeFirst();
      return { attempts: Number(a.numDeletedRows), notifications: Number(n.numDeletedRows), sessions: Number(s.numDeletedRows) };
    });
  }

  async listApps(): Promise<AppRecord[]> {
    const rows = await this.db.selectFrom('apps').selectAll().orderBy('created_at').execute();
    return rows.map((r) => this.#toApp(r));
  }

  async createSession(rec: SessionRecord): Promise<CreateOutcome<SessionRecord>> {
    const row: SessionRow = {
      id: rec.id,
      family: rec.family,
      app_id: rec.appId,
      external_id: rec.externalId,
      merchant_ref: rec.merchantRef,
      request_digest: rec.requestDigest,
      scene: rec.scene,
      identity_sealed: this.box.seal(JSON.stringify(rec.identity)),
      details: JSON.stringify(rec.details),
      return_url: rec.returnUrl,
      state: rec.state,
      failed_reason: rec.failedReason,
      created_at: rec.createdAt,
      updated_at: rec.updatedAt,
      expires_at: rec.expiresAt,
      started_at: rec.startedAt,
      finished_at: rec.finishedAt,
      notify_url: rec.notifyUrl,
      agent_app_id: rec.agentAppId ?? null,
    };
    if (await this.#insertSession(row)) return { created: true, record: rec };
    const existing = await this.findSession(rec.family, { appId: rec.appId, merchantRef: rec.merchantRef });
    if (!existing) throw new Error('session insert conflicted but no row matches');
    return { created: false, existing };
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const row = await this.db.selectFrom('verification_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && this.#toSession(row);
  }

  async listSessions(appId: string | undefined, limit: number): Promise<SessionRecord[]> {
    let q = this.db.selectFrom('verification_sessions').selectAll();
    if (appId !== undefined) q = q.where('app_id', '=', appId);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map((r) => this.#toSession(r));
  }

  /** findSession's queries, one per shape of lookup (which of app, external id, merchant ref it names). */
  readonly #findSession = new Map<string, Precompiled<'family' | keyof SessionLookup>>();

  async findSession(family: Family, by: SessionLookup): Promise<SessionRecord | undefined> {
    if (by.externalId === undefined && by.merchantRef === undefined) return undefined;
    const shape = [by.appId, by.externalId, by.merchantRef].map((v) => (v === undefined ? '-' : '+')).join('');
    let query = this.#findSession.get(shape);
    if (!query) {
      query = precompile((slot) => {
        let q = this.db.selectFrom('verification_sessions').selectAll().where('family', '=', slot('family'));
        if (by.appId !== undefined) q = q.where('app_id', '=', slot('appId'));
        if (by.externalId !== undefined) q = q.where('external_id', '=', slot('externalId'));
        if (by.merchantRef !== undefined) q = q.where('merchant_ref', '=', slot('merchantRef'));
        return q;
      });
      this.#findSession.set(shape, query);
    }
    const values = { family, appId: by.appId, externalId: by.externalId, merchantRef: by.merchantRef };
    const row = (await this.db.executeQuery<Selectable<VerificationSessionsTable>>(query(values))).rows[0];
    return row && this.#toSession(row);
  }

  async transitionSession(
    id: string,
    from: readonly SessionState[],
    to: SessionState,
    at: number,
    patch: TransitionPatch = {},
    notification?: NotificationRecord,
  ): Promise<SessionRecord | undefined> {
    const terminal = to !== 'INIT' && to !== 'PROCESSING';
    const changed = await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('verification_sessions')
        .set({
          state: to,
          updated_at: at,
          ...(to === 'PROCESSING' ? { started_at: sql<number>`coalesce(started_at, ${at})` } : {}),
          ...(terminal ? { finished_at: at } : {}),
          ...('returnUrl' in patch ? { return_url: patch.returnUrl ?? null } : {}),
          ...('failedReason' in patch ? { failed_reason: patch.failedReason ?? null } : {}),
        })
        .where('id', '=', id)
        .where('state', 'in', [...from])
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      if (notification) {
        await trx
          .insertInto('notifications')
          .values({
            id: notification.id,
            app_id: notification.appId,
            session_id: notification.sessionId,
            url: notification.url,
            payload: JSON.stringify(notification.payload),
            status: notification.status,
            attempts: notification.attempts,
            next_attempt_at: notification.nextAttemptAt,
            created_at: notification.createdAt,
          })
          .execute();
      }
      return true;
    });
    return changed ? this.getSession(id) : undefined;
  }

  async listNotifications(sessionId: string): Promise<NotificationRecord[]> {
    const rows = await this.db.selectFrom('notifications').selectAll().where('session_id', '=', sessionId).orderBy('created_at').execute();
    return rows.map((r) => ({
      id: r.id,
      appId: r.app_id,
      sessionId: r.session_id,
      url: r.url,
      payload: JSON.parse(r.payload),
      status: r.status as NotificationRecord['status'],
      attempts: Number(r.attempts),
      nextAttemptAt: Number(r.next_attempt_at),
      createdAt: Number(r.created_at),
    }));
  }

  #toSession(row: Selectable<VerificationSessionsTable>): SessionRecord {
    return {
      id: row.id,
      family: row.family as Family,
      appId: row.app_id,
      externalId: row.external_id,
      merchantRef: row.merchant_ref,
      requestDigest: row.request_digest,
      scene: row.scene,
      identity: JSON.parse(this.box.open(row.identity_sealed)),
      details: JSON.parse(row.details),
      returnUrl: row.return_url,
      state: row.state as SessionState,
      failedReason: row.failed_reason,
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
      expiresAt: Number(row.expires_at),
      startedAt: row.started_at === null ? null : Number(row.started_at),
      finishedAt: row.finished_at === null ? null : Number(row.finished_at),
      notifyUrl: row.notify_url,
      agentAppId: row.agent_app_id,
    };
  }

  #toApp(row: Selectable<AppsTable>): AppRecord {
    return {
      appId: row.app_id,
      name: row.name,
      signType: row.sign_type as AppRecord['signType'],
      publicKeyPem: row.public_key,
      status: row.status as AppRecord['status'],
      products: JSON.parse(row.products),
      scenes: JSON.parse(row.scenes),
      notifyUrl: row.notify_url,
      createdAt: Number(row.created_at),
      drills: JSON.parse(row.drills) as string[],
      aesKey: row.aes_key_sealed ? this.box.open(row.aes_key_sealed) : null,
      certPem: row.cert_pem,
      certSn: row.cert_sn,
    };
  }

  poolStats(): PoolStats | undefined {
    return this.pool && { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
