import type { FamilyAdapter } from '../../domain/family.js';
import type { SessionRecord, SessionState } from '../../store/store.js';

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

/** verify_type values the hosted flow knows; others are accepted and shown as a page flow. */
const VERIFY_TYPES = ['PAGE', 'QRCODE'] as const;

/** alipay.security.risk.authentication.*: external id token_id, merchant ref biz_id, return URL call_back_url. */
export const riskFamily: FamilyAdapter = {
  family: 'risk',
  title: '身份安全验证',
  product: '身份安全 alipay.security.risk.authentication',
  adminPath: 'authentications',
  scenes: VERIFY_TYPES,
  pii: {
    user_name: { kind: 'name', label: '姓名' },
    operator_cert_no: { kind: 'idNumber', label: '证件号' },
    mobile_no: { kind: 'mobile', label: '手机号' },
    user_id: { kind: 'account' },
  },
  qrCodes: true,
  steps: (s) => (s.scene === 'QRCODE' ? ['扫码打开验证页', '核对身份信息', '人脸识别'] : ['核对身份信息', '人脸识别']),
  certNoField: 'operator_cert_no',
  resultContent: (s: SessionRecord) => ({
    token_id: s.externalId,
    biz_id: s.merchantRef,
    status: TASK_STATUS[s.state],
    ...(s.state !== 'PASSED' && s.failedReason ? { failed_reason: s.failedReason } : {}),
  }),
  notifyType: NOTIFY_TYPE,
};
