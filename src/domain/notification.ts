import { outOfOrderDue } from './drills.js';
import type { FamilyAdapter } from './family.js';
import { newHexId } from './ids.js';
import { signedNotification } from './signed-redirect.js';
import type { Services } from '../services.js';
import type { AppRecord, NotificationRecord, SessionRecord } from '../store/store.js';

/** What a notify URL must look like, wherever one is given (app settings, a call's notify_url). */
export const isHttpUrl = (text: string): boolean => /^https?:\/\/[^\s/?#]+/i.test(text);

/**
 * The outbox row for a finished session, or undefined when nobody asked to be told: the call's
 * notify_url wins over the app's (docs/notifications.md). Signed now, once, so every retry
 * carries the same notify_id, notify_time and signature, as Alipay's do.
 */
export async function notificationFor(
  services: Services,
  family: FamilyAdapter,
  session: SessionRecord,
  app: AppRecord,
): Promise<NotificationRecord | undefined> {
  const url = session.notifyUrl ?? app.notifyUrl;
  if (!url || !family.notifyType) return undefined;
  const id = newHexId();
  const payload = await signedNotification(services, app, id, family.notifyType, family.resultContent(session), session.agentAppId);
  const now = services.clock();
  const due = app.drills.includes('out-of-order') ? outOfOrderDue(now) : now;
  return { id, appId: app.appId, sessionId: session.id, url, payload, status: 'PENDING', attempts: 0, nextAttemptAt: due, createdAt: now };
}
