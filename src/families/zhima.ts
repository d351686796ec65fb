import { maskCertNo, maskName } from '../domain/mask.js';
import type { SessionRecord } from '../store/store.js';
import type { FamilyAdapter } from './family.js';

const STEPS: Record<string, string[]> = {
  FACE: ['核对身份信息', '人脸识别'],
  FACE_SDK: ['核对身份信息', '人脸识别'],
  SMART_FACE: ['环境安全检测', '人脸识别（按需）'],
  CERT_PHOTO: ['拍摄身份证人像面', '拍摄身份证国徽面'],
  CERT_PHOTO_FACE: ['拍摄身份证', '人脸识别'],
};

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** zhima.customer.certification.*: the session's external id is biz_no; return_url comes with certify. */
export const zhimaFamily: FamilyAdapter = {
  family: 'zhima',
  title: '芝麻认证',
  steps: (s) => STEPS[s.scene] ?? ['人脸识别'],
  maskedIdentity(s) {
    const out: Array<[string, string]> = [];
    if (str(s.identity.cert_name)) out.push(['姓名', maskName(str(s.identity.cert_name))]);
    if (str(s.identity.cert_no)) out.push(['证件号', maskCertNo(str(s.identity.cert_no))]);
    if (str(s.identity.user_id)) out.push(['支付宝账号', maskCertNo(str(s.identity.user_id))]);
    return out;
  },
  certNo: (s) => str(s.identity.cert_no) || undefined,
  resultContent: (s: SessionRecord) => ({
    biz_no: s.externalId,
    passed: s.state === 'PASSED' ? 'true' : 'false',
    ...(s.state !== 'PASSED' && s.failedReason ? { failed_reason: s.failedReason } : {}),
  }),
};
