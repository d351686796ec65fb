import type { SessionRecord } from '../store/store.js';

/** How an identity field is masked wherever it is shown (hosted page, admin views, journal). */
export type PiiKind = 'name' | 'idNumber' | 'mobile' | 'account' | 'picture';

export interface PiiField {
  kind: PiiKind;
  /** Label on the hosted page; fields without one are not shown there. */
  label?: string;
}

/**
 * What differs between the API families that share the verification session, the hosted page,
 * the magic values and admin completion. The admin routes, the masks and the log redaction are
 * derived from these declarations.
 */
export interface FamilyAdapter {
  /** Stored with each session; never changes once released. */
  family: string;
  /** Heading of the hosted page. */
  title: string;
  /** The product name shown on the hosted page. */
  product: string;
  /** `/admin/<adminPath>/{id}` shows and completes this family's sessions by their external id. */
  adminPath: string;
  /** Scenes (biz_code, verify_type) a session of this family may have; an app signs a subset. */
  scenes: readonly string[];
  /** Identity fields that are personal data, and how each is masked. */
  pii: Readonly<Record<string, PiiField>>;
  /** Whether sessions of the QRCODE scene get /qrcode/{external id}.png|svg images. */
  qrCodes?: boolean;
  /** The steps the hosted page walks through for this session's scene. */
  steps(session: SessionRecord): string[];
  /** The identity field holding the ID number whose magic sequence may decide the outcome (docs/magic-values.md). */
  certNoField: string;
  /** Business fields of the signed outcome appended to return_url, as the biz_content JSON. */
  resultContent(session: SessionRecord): Record<string, string>;
  /** notify_type of the asynchronous notification sent when a session finishes (to a notify URL, if one is set). */
  notifyType?: string;
}
