import type { SignType } from '../crypto/rsa.js';
import type { AppAuthStore } from './app-auth.js';
import type { FaultStore } from './faults.js';
import type { JournalStore } from './journal.js';
import type { Outbox } from './outbox.js';

/** What the rest of aopgate knows of persistence. Both backends implement it with one Kysely query set. */
export interface AppRecord {
  appId: string;
  name: string;
  signType: SignType;
  /** SPKI PEM; null when the app has not configured a key yet. */
  publicKeyPem: string | null;
  status: 'active' | 'disabled';
  products: string[];
  scenes: string[];
  notifyUrl: string | null;
  createdAt: number;
  /** Notification drills switched on for this app (src/delivery/drills.ts). */
  drills: string[];
  /** AES content key, Base64 (docs/alipay-openapi-v2.md §4); sealed at rest. */
  aesKey?: string | null;
  /** The app's public-key certificate and its SN (certificate mode, §5). */
  certPem?: string | null;
  certSn?: string | null;
}

/** What `updateApp` may change; app_id and creation time never change. */
export type AppPatch = Partial<Omit<AppRecord, 'appId' | 'createdAt'>>;

export interface PlatformKeys {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** The API family that opened a session (its adapter's `family`); all share one lifecycle and one hosted page. */
export type Family = string;

/**
 * INIT → PROCESSING → PASSED | FAILED; EXPIRED when the lifetime runs out unfinished;
 * CANCELLED by the risk family's cancel API. The last four are terminal.
 */
export type SessionState = 'INIT' | 'PROCESSING' | 'PASSED' | 'FAILED' | 'EXPIRED' | 'CANCELLED';

export const OPEN_STATES: readonly SessionState[] = ['INIT', 'PROCESSING'];

/** Identity data as the merchant sent it (after parsing); sealed at rest. */
export type IdentityData = Record<string, unknown>;

export interface SessionRecord {
  id: string;
  family: Family;
  appId: string;
  externalId: string;
  merchantRef: string;
  requestDigest: string;
  scene: string;
  identity: IdentityData;
  details: Record<string, unknown>;
  returnUrl: string | null;
  state: SessionState;
  failedReason: string | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** The call's notify_url common parameter; when set it wins over the app's notify URL. */
  notifyUrl: string | null;
  /** The ISV that acted for the merchant (app_auth_token); null for the merchant's own calls. */
  agentAppId?: string | null;
}

export interface SessionLookup {
  appId?: string | undefined;
  externalId?: string | undefined;
  merchantRef?: string | undefined;
}

export interface TransitionPatch {
  returnUrl?: string | null;
  failedReason?: string | null;
}

export interface NotificationRecord {
  id: string;
  appId: string;
  sessionId: string;
  url: string;
  payload: Record<string, string>;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
}

/** A platform certificate (certificate mode): current or former, all stay downloadable. */
export interface PlatformCert {
  sn: string;
  certPem: string;
  /** SPKI PEM of the key it certifies. */
  publicKeyPem: string;
  createdAt: number;
}

/** What a reset removed. */
export interface ResetCounts {
  sessions: number;
  notifications: number;
  attempts: number;
}

export type CreateOutcome<T> = { created: true; record: T } | { created: false; existing: T };

export interface Store {
  /** Stores the platform key pair unless one exists; returns whichever is stored (first writer wins). */
  ensurePlatformKeys(candidate: () => Promise<PlatformKeys>): Promise<PlatformKeys>;
  /** Replaces the platform key pair (a seed file fixing the "Alipay" key); later signatures use it. */
  replacePlatformKeys(keys: PlatformKeys): Promise<void>;
  createApp(app: AppRecord): Promise<CreateOutcome<AppRecord>>;
  /** Changes an existing app; undefined when there is none. */
  updateApp(appId: string, patch: AppPatch): Promise<AppRecord | undefined>;
  getApp(appId: string): Promise<AppRecord | undefined>;
  listApps(): Promise<AppRecord[]>;
  /** Inserts unless (appId, family, merchantRef) exists; race-safe through the unique constraint. */
  createSession(record: SessionRecord): Promise<CreateOutcome<SessionRecord>>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  /** Newest first, of one app or all (admin views). */
  listSessions(appId: string | undefined, limit: number): Promise<SessionRecord[]>;
  findSession(family: Family, by: SessionLookup): Promise<SessionRecord | undefined>;
  /**
   * Moves a session to `to` only if its state is one of `from` (one conditional UPDATE, so
   * concurrent completions cannot both win), writing the notification in the same transaction.
   * Returns the updated session, or undefined when the state did not match.
   */
  transitionSession(
    id: string,
    from: readonly SessionState[],
    to: SessionState,
    at: number,
    patch?: TransitionPatch,
    notification?: NotificationRecord,
  ): Promise<SessionRecord | undefined>;
  listNotifications(sessionId: string): Promise<NotificationRecord[]>;
  /** The delivery queue over the notifications table. */
  readonly outbox: Outbox;
  /** ISV delegation: app_auth_codes and app_auth_tokens. */
  readonly appAuth: AppAuthStore;
  /** The request journal (masked gateway calls). */
  readonly journal: JournalStore;
  /** Fault injection rules. */
  readonly faults: FaultStore;
  /** Small operator state (the clock offset): a value per key, unsealed. */
  getSetting(key: string): Promise<string | undefined>;
  putSetting(key: string, value: string): Promise<void>;
  /** Operator secrets (the CA's private key): sealed like identity data. */
  getSecret(key: string): Promise<string | undefined>;
  /** Stores a secret unless one exists under the key; returns the stored one (first writer wins). */
  putSecretOnce(key: string, value: string): Promise<string>;
  /** Stores the certificate unless its public key has one; returns the key's stored one (first writer wins). */
  putPlatformCertOnce(cert: PlatformCert): Promise<PlatformCert>;
  getPlatformCert(sn: string): Promise<PlatformCert | undefined>;
  /** The newest certificate of this public key, if any. */
  platformCertFor(publicKeyPem: string): Promise<PlatformCert | undefined>;
  /** Deletes sessions, notifications and attempts (of one app, or all) in one transaction. Apps stay. */
  reset(appId?: string): Promise<ResetCounts>;
  /** False since a query failed for want of the database, until a probe succeeds again. */
  healthy(): boolean;
  /** One cheap round trip (`select 1`); updates and answers `healthy()`. */
  probe(): Promise<boolean>;
  /** The connection pool's state (PostgreSQL); undefined for the embedded SQLite file. */
  poolStats(): PoolStats | undefined;
  close(): Promise<void>;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}
