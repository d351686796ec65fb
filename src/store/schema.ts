import type { Generated } from 'kysely';

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
  /** JSON array of notification drills switched on (src/delivery/drills.ts). */
  drills: Generated<string>;
  /** The AES content key (Base64), sealed. */
  aes_key_sealed: Generated<string | null>;
  /** The app's public-key certificate (PEM) and its Alipay SN, once issued. */
  cert_pem: Generated<string | null>;
  cert_sn: Generated<string | null>;
}

/**
 * One row per verification session, whatever API family opened it: a zhima certification
 * (biz_no) or a security-risk authentication (token_id). Identity data is sealed.
 */
export interface VerificationSessionsTable {
  /** Random 32-hex secret: the hosted page's URL carries it. */
  id: string;
  family: string;
  app_id: string;
  /** The id the API hands out: biz_no (zhima) or token_id (risk). Unique per family. */
  external_id: string;
  /** The merchant's idempotency key: transaction_id (zhima) or biz_id (risk). Unique per app and family. */
  merchant_ref: string;
  /** Keyed digest of the business content, to tell a client retry from a conflicting reuse. */
  request_digest: string;
  /** biz_code (zhima) or verify_type (risk). */
  scene: string;
  identity_sealed: string;
  /** Family-specific, non-identity request data as JSON. */
  details: string;
  return_url: string | null;
  state: string;
  failed_reason: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** The call's own notify_url common parameter, which wins over the app's. */
  notify_url: Generated<string | null>;
  /** The ISV app that opened this session for the merchant (app_auth_token), if any. */
  agent_app_id: Generated<string | null>;
}

/** Durable outbox of asynchronous notifications; delivery with retries reads it. */
export interface NotificationsTable {
  id: string;
  app_id: string;
  session_id: string;
  url: string;
  /** The signed form parameters as JSON. */
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  max_attempts: Generated<number>;
  /** Real epoch ms until which `lease_owner` holds the row for delivery; 0 when free. */
  lease_until: Generated<number>;
  lease_owner: Generated<string | null>;
  delivered_at: Generated<number | null>;
}

/** Every delivery attempt, genuine or drill, with what the merchant answered. */
export interface NotificationAttemptsTable {
  id: string;
  notification_id: string;
  app_id: string;
  attempted_at: number;
  /** null for the genuine notification; else the drill that sent this copy. */
  drill: string | null;
  http_status: number | null;
  /** The first bytes of the merchant's answer. */
  response_head: string | null;
  /** Transport failure (timeout, refused, denied by the egress rules). */
  error: string | null;
  latency_ms: number;
  /** 1 when the merchant answered exactly `success`. */
  accepted: number;
}

/** app_auth_token grants: an ISV app acting for a merchant app. */
export interface AppAuthTokensTable {
  token: string;
  refresh_token: string;
  isv_app_id: string;
  merchant_app_id: string;
  user_id: string;
  /** JSON array of the methods the merchant authorised; null: every delegable method. */
  methods: string | null;
  expires_at: number;
  re_expires_at: number;
  revoked: Generated<number>;
  created_at: number;
}

/** One-time app_auth_code values, exchanged by alipay.open.auth.token.app. */
export interface AppAuthCodesTable {
  code: string;
  isv_app_id: string;
  merchant_app_id: string;
  methods: string | null;
  expires_at: number;
  used_at: number | null;
}

/** The platform's certificates (certificate mode), current and former. */
export interface PlatformCertsTable {
  sn: string;
  cert_pem: string;
  public_key: string;
  created_at: number;
}

/** One gateway call, masked; `entry` holds the JSON the journal API answers. */
export interface JournalTable {
  trace_id: string;
  time: number;
  protocol: string;
  app_id: string | null;
  method: string | null;
  code: string;
  sub_code: string | null;
  latency_ms: number;
  signature_valid: number | null;
  entry: string;
}

/** A fault injection rule (src/faults/). */
export interface FaultsTable {
  id: string;
  app_id: string | null;
  method: string | null;
  code: string;
  sub_code: string;
  sub_msg: string;
  latency_ms: number;
  /** answer: the chosen error; delay: only the latency, then the real answer; drop: close the connection. */
  action: string;
  probability: number;
  /** Calls left before the rule retires itself; null: until removed. */
  remaining: number | null;
  /** admin | cli | seed: a seed file replaces its own rules at each start. */
  source: string;
  created_at: number;
}

/** One row (id 1): bumped by triggers on every write to `apps`, so processes know to re-read them. */
export interface AppsVersionTable {
  id: number;
  version: number | string | bigint;
}

export interface Database {
  settings: SettingsTable;
  apps: AppsTable;
  apps_version: AppsVersionTable;
  verification_sessions: VerificationSessionsTable;
  notifications: NotificationsTable;
  notification_attempts: NotificationAttemptsTable;
  app_auth_tokens: AppAuthTokensTable;
  app_auth_codes: AppAuthCodesTable;
  platform_certs: PlatformCertsTable;
  journal: JournalTable;
  faults: FaultsTable;
}
