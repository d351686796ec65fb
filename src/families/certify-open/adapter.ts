import { CERTIFY_OPEN_BIZ_CODES } from '../../contracts/certify-open-fields.js';
import type { FamilyAdapter } from '../../domain/family.js';
import type { SessionRecord } from '../../store/store.js';

const STEPS: Record<string, string[]> = {
  FACE: ['核对身份信息', '人脸识别'],
  SMART_FACE: ['环境安全检测', '人脸识别（按需）'],
  CERT_PHOTO: ['拍摄证件人像面', '拍摄证件国徽面'],
  CERT_PHOTO_FACE: ['拍摄证件', '人脸识别'],
};

/** "T"/"F", this family's vocabulary (zhima says "true"/"false"). */
export const passedFlag = (s: SessionRecord): 'T' | 'F' => (s.state === 'PASSED' ? 'T' : 'F');

/** alipay.user.certify.open.*: external id certify_id, merchant ref outer_order_no, return URL from merchant_config. */
export const certifyOpenFamily: FamilyAdapter = {
  family: 'certify-open',
  title: '支付宝身份验证',
  product: '支付宝身份验证 alipay.user.certify.open',
  adminPath: 'user-certifications',
  scenes: CERTIFY_OPEN_BIZ_CODES,
  pii: {
    cert_name: { kind: 'name', label: '姓名' },
    cert_no: { kind: 'idNumber', label: '证件号' },
    phone_no: { kind: 'mobile', label: '手机号' },
    user_id: { kind: 'account' },
    open_id: { kind: 'account' },
    cert_digest: { kind: 'account' },
    facial_picture_front: { kind: 'picture' },
    face_contrast_picture: { kind: 'picture' },
  },
  steps: (s) => STEPS[s.scene] ?? ['人脸识别'],
  certNoField: 'cert_no',
  resultContent: (s: SessionRecord) => ({
    certify_id: s.externalId,
    passed: passedFlag(s),
    ...(s.state !== 'PASSED' && s.failedReason ? { fail_reason: s.failedReason } : {}),
  }),
  /** aopgate's extension: Alipay documents no notification for this product (docs/notifications.md). */
  notifyType: 'alipay_user_certify_open_result',
};
