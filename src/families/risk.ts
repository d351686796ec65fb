import { newHexId } from '../domain/ids.js';
import { maskCertNo, maskMobile, maskName } from '../domain/mask.js';
import { signedNotification } from '../domain/signed-redirect.js';
import type { AppRecord, NotificationRecord, SessionRecord, SessionState } from '../store/store.js';
import type { Services } from '../services.js';
import type { FamilyAdapter } from './family.js';

/** Task status vocabulary of biz_result (docs/identity-apis.md §3.5: FAIL/SUCCESS/PROCESS/EXPIRED, INIT, CANCEL). */
export const TASK_STATUS: Record<SessionState, string> = {
  INIT: 'INIT',
  PROCESSING: 'PROCESS',
  PASSED: 'SUCCESS',
  FAILED: 'FAIL',
  EXPIRED: 'EXPIRED',
  CANCELLED: 'CANCEL',
};

export const NOTIFY_TYPE = 'alipay_security_risk_authentication_result';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** alipay.security.risk.authentication.*: external id token_id, merchant ref biz_id, return URL call_back_url. */
export const riskFamily: FamilyAdapter = {
  family: 'risk',
  title: '身份安全验证',
  steps: (s) => (s.scene === 'QRCODE' ? ['扫码打开验证页', '核对身份信息', '人脸识别'] : ['核对身份信息', '人脸识别']),
  maskedIdentity(s) {
    const out: Array<[string, string]> = [];
    if (str(s.identity.user_name)) out.push(['姓名', maskName(str(s.identity.user_name))]);
    if (str(s.identity.operator_cert_no)) out.push(['证件号', maskCertNo(str(s.identity.operator_cert_no))]);
    if (str(s.identity.mobile_no)) out.push(['手机号', maskMobile(str(s.identity.mobile_no))]);
    return out;
  },
  certNo: (s) => str(s.identity.operator_cert_no) || undefined,
  resultContent: (s: SessionRecord) => ({
    token_id: s.externalId,
    biz_id: s.merchantRef,
    status: TASK_STATUS[s.state],
    ...(s.state !== 'PASSED' && s.failedReason ? { failed_reason: s.failedReason } : {}),
  }),
  async notification(s: SessionRecord, app: AppRecord, services: Services): Promise<NotificationRecord | undefined> {
    if (!app.notifyUrl) return undefined;
    const id = newHexId();
    const payload = await signedNotification(services, app, id, NOTIFY_TYPE, riskFamily.resultContent(s));
    const now = services.clock();
    return { id, appId: app.appId, sessionId: s.id, url: app.notifyUrl, payload, status: 'PENDING', attempts: 0, nextAttemptAt: now, createdAt: now };
  },
};
