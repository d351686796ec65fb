import type { FamilyAdapter } from '../../domain/family.js';
import type { SessionRecord } from '../../store/store.js';
import { ZHIMA_SCENES } from '../../contracts/zhima.customer.certification.initialize.js';

const STEPS: Record<string, string[]> = {
  FACE: ['核对身份信息', '人脸识别'],
  FACE_SDK: ['核对身份信息', '人脸识别'],
  SMART_FACE: ['环境安全检测', '人脸识别（按需）'],
  CERT_PHOTO: ['拍摄身份证人像面', '拍摄身份证国徽面'],
  CERT_PHOTO_FACE: ['拍摄身份证', '人脸识别'],
};

/** zhima.customer.certification.*: the session's external id is biz_no; return_url comes with certify. */
export const zhimaFamily: FamilyAdapter = {
  family: 'zhima',
  title: '芝麻认证',
  product: '芝麻认证 zhima.customer.certification',
  adminPath: 'certifications',
  scenes: ZHIMA_SCENES,
  pii: {
    cert_name: { kind: 'name', label: '姓名' },
    cert_no: { kind: 'idNumber', label: '证件号' },
    user_id: { kind: 'account', label: '支付宝账号' },
    mobile_no: { kind: 'mobile' },
    principal_id: { kind: 'account' },
    face_contrast_picture: { kind: 'picture' },
  },
  steps: (s) => STEPS[s.scene] ?? ['人脸识别'],
  certNoField: 'cert_no',
  resultContent: (s: SessionRecord) => ({
    biz_no: s.externalId,
    passed: s.state === 'PASSED' ? 'true' : 'false',
    ...(s.state !== 'PASSED' && s.failedReason ? { failed_reason: s.failedReason } : {}),
  }),
  /** aopgate's extension: Alipay documents no notification for this product (docs/notifications.md). */
  notifyType: 'zhima_customer_certification_result',
};
