/** Row shapes of the tables, shared by the SQLite and PostgreSQL backends through Kysely. */
export interface SettingsTable {
  key: string;
  value: string;
}

export interface AppsTable {
  app_id: string;
  name: string;
  sign_type: string;
  public_key: string | null;
  status: string;
  /** JSON array of signed product codes. */
  products: string;
  /** JSON array of signed scene (biz_code) values. */
  scenes: string;
  notify_url: string | null;
  created_at: number;
}

export interface CertificationsTable {
  biz_no: string;
  app_id: string;
  transaction_id: string;
  /** Keyed digest of the business content, to tell a client retry from a conflicting reuse. */
  request_digest: string;
  product_code: string;
  biz_code: string;
  /** identity_param, sealed (it carries name and ID number). */
  identity_sealed: string;
  merchant_config: string;
  ext_biz_param: string;
  linked_merchant_id: string | null;
  state: string;
  created_at: number;
  updated_at: number;
}

export interface Database {
  settings: SettingsTable;
  apps: AppsTable;
  certifications: CertificationsTable;
}
