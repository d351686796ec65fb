import type { AppRecord, Family, NotificationRecord, SessionRecord } from '../store/store.js';
import type { Services } from '../services.js';

/**
 * What differs between the API families that share the verification session, the hosted page,
 * the magic values and admin completion: how a session is shown, what its outcome looks like on
 * return_url, and whether it notifies. Adding a family is one adapter, registered in index.ts.
 */
export interface FamilyAdapter {
  family: Family;
  /** Heading of the hosted page. */
  title: string;
  /** The steps the hosted page walks through for this session's scene. */
  steps(session: SessionRecord): string[];
  /** Masked identity for display (never the raw values). */
  maskedIdentity(session: SessionRecord): Array<[label: string, value: string]>;
  /** The ID number whose magic sequence may decide the outcome (docs/magic-values.md). */
  certNo(session: SessionRecord): string | undefined;
  /** Business fields of the signed outcome appended to return_url, as the biz_content JSON. */
  resultContent(session: SessionRecord): Record<string, string>;
  /** The signed async notification to queue when the session finishes, if any. */
  notification?(session: SessionRecord, app: AppRecord, services: Services): Promise<NotificationRecord | undefined>;
}
