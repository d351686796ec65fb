import { FACE_CERTIFY_BIZ_CODE, FACE_SCENES } from '../../contracts/face-fields.js';
import type { FamilyAdapter } from '../../domain/family.js';
import type { SessionRecord } from '../../store/store.js';
import { certifyState, passedAndReason } from './session.js';

/**
 * 人脸核身 datadigital.fincloud.generalsaas.face.*: one session family for both flows, told apart
 * by the scene (= biz_code): FUTURE_TECH_BIZ_FACE_SDK (H5 certify.*) and
 * DATA_DIGITAL_BIZ_CODE_FACE_VERIFICATION (app verification.*). External id certify_id, merchant
 * reference outer_order_no (one namespace per app for both flows).
 */
export const faceFamily: FamilyAdapter = {
  family: 'face',
  title: '人脸核身',
  product: '人脸核身 datadigital.fincloud.generalsaas.face',
  adminPath: 'face-certifications',
  scenes: FACE_SCENES,
  pii: {
    cert_name: { kind: 'name', label: '姓名' },
    cert_no: { kind: 'idNumber', label: '证件号' },
    phone_no: { kind: 'mobile', label: '手机号' },
    face_contrast_picture: { kind: 'picture' },
  },
  steps: (s) => (s.scene === FACE_CERTIFY_BIZ_CODE ? ['核对身份信息', '人脸识别'] : ['核对身份信息', '活体检测', '人脸比对']),
  certNoField: 'cert_no',
  /** The signed outcome on return_url speaks each flow's query vocabulary. */
  resultContent: (s: SessionRecord): Record<string, string> => {
    if (s.scene !== FACE_CERTIFY_BIZ_CODE) return { certify_id: s.externalId, certify_state: certifyState(s) };
    const { passed, fail_reason } = passedAndReason(s);
    return { certify_id: s.externalId, passed, ...(fail_reason ? { fail_reason } : {}) };
  },
  /** aopgate's extension: Alipay documents no notification for this product (docs/notifications.md). */
  notifyType: 'datadigital_fincloud_generalsaas_face_result',
};
