import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../crypto/secretbox.js';
import type { AppsTable, CertificationsTable, Database } from './schema.js';
import type { AppRecord, CertificationRecord, CreateOutcome, PlatformKeys, Store } from './store.js';

const PLATFORM_KEYS = 'platform_keys';

/**
 * The Store on top of Kysely: the same queries run on SQLite and PostgreSQL. Identity data and
 * the platform private key are sealed with the SecretBox before they reach SQL.
 */
export class KyselyStore implements Store {
  constructor(
    readonly db: Kysely<Database>,
    readonly box: SecretBox,
  ) {}

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
      })
      .onConflict((oc) => oc.column('app_id').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 1) return { created: true, record: app };
    return { created: false, existing: (await this.getApp(app.appId))! };
  }

  async getApp(appId: string): Promise<AppRecord | undefined> {
    const row = await this.db.selectFrom('apps').selectAll().where('app_id', '=', appId).executeTakeFirst();
    return row && toApp(row);
  }

  async listApps(): Promise<AppRecord[]> {
    const rows = await this.db.selectFrom('apps').selectAll().orderBy('created_at').execute();
    return rows.map(toApp);
  }

  async createCertification(rec: CertificationRecord): Promise<CreateOutcome<CertificationRecord>> {
    const result = await this.db
      .insertInto('certifications')
      .values({
        biz_no: rec.bizNo,
        app_id: rec.appId,
        transaction_id: rec.transactionId,
        request_digest: rec.requestDigest,
        product_code: rec.productCode,
        biz_code: rec.bizCode,
        identity_sealed: this.box.seal(JSON.stringify(rec.identity)),
        merchant_config: rec.merchantConfig,
        ext_biz_param: rec.extBizParam,
        linked_merchant_id: rec.linkedMerchantId,
        state: rec.state,
        created_at: rec.createdAt,
        updated_at: rec.updatedAt,
      })
      .onConflict((oc) => oc.columns(['app_id', 'transaction_id']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 1) return { created: true, record: rec };
    const row = await this.db
      .selectFrom('certifications')
      .selectAll()
      .where('app_id', '=', rec.appId)
      .where('transaction_id', '=', rec.transactionId)
      .executeTakeFirstOrThrow();
    return { created: false, existing: this.#toCertification(row) };
  }

  async getCertification(appId: string, bizNo: string): Promise<CertificationRecord | undefined> {
    const row = await this.db
      .selectFrom('certifications')
      .selectAll()
      .where('app_id', '=', appId)
      .where('biz_no', '=', bizNo)
      .executeTakeFirst();
    return row && this.#toCertification(row);
  }

  #toCertification(row: Selectable<CertificationsTable>): CertificationRecord {
    return {
      bizNo: row.biz_no,
      appId: row.app_id,
      transactionId: row.transaction_id,
      requestDigest: row.request_digest,
      productCode: row.product_code,
      bizCode: row.biz_code,
      identity: JSON.parse(this.box.open(row.identity_sealed)),
      merchantConfig: row.merchant_config,
      extBizParam: row.ext_biz_param,
      linkedMerchantId: row.linked_merchant_id,
      state: row.state as CertificationRecord['state'],
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    };
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

function toApp(row: Selectable<AppsTable>): AppRecord {
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
  };
}
