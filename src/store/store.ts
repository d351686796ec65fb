import type { SignType } from '../crypto/rsa.js';

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
}

export interface PlatformKeys {
  privateKeyPem: string;
  publicKeyPem: string;
}

export type CertificationState = 'INIT' | 'PROCESSING' | 'PASSED' | 'FAILED' | 'EXPIRED';

/** identity_param as the merchant sent it (after parsing); sealed at rest. */
export type IdentityParam = Record<string, unknown>;

export interface CertificationRecord {
  bizNo: string;
  appId: string;
  transactionId: string;
  requestDigest: string;
  productCode: string;
  bizCode: string;
  identity: IdentityParam;
  merchantConfig: string;
  extBizParam: string;
  linkedMerchantId: string | null;
  state: CertificationState;
  createdAt: number;
  updatedAt: number;
}

export type CreateOutcome<T> = { created: true; record: T } | { created: false; existing: T };

export interface Store {
  /** Stores the platform key pair unless one exists; returns whichever is stored (first writer wins). */
  ensurePlatformKeys(candidate: () => Promise<PlatformKeys>): Promise<PlatformKeys>;
  createApp(app: AppRecord): Promise<CreateOutcome<AppRecord>>;
  getApp(appId: string): Promise<AppRecord | undefined>;
  listApps(): Promise<AppRecord[]>;
  /** Inserts unless (appId, transactionId) exists; race-safe through the unique constraint. */
  createCertification(record: CertificationRecord): Promise<CreateOutcome<CertificationRecord>>;
  getCertification(appId: string, bizNo: string): Promise<CertificationRecord | undefined>;
  close(): Promise<void>;
}
