import type { TestApp } from '../support/client.js';
import type { TestGateway } from '../support/harness.js';
import { idNumberWithSequence, SEED_CERT_NO, SEED_NAME } from '../support/identity.js';
import { corrupt, uniqueRef, type ScenarioTable } from './common.js';

export const FACE_CERTIFY_INIT = 'datadigital.fincloud.generalsaas.face.certify.initialize';
export const FACE_CERTIFY_VERIFY = 'datadigital.fincloud.generalsaas.face.certify.verify';
export const FACE_CERTIFY_QUERY = 'datadigital.fincloud.generalsaas.face.certify.query';
export const FACE_VERIFICATION_INIT = 'datadigital.fincloud.generalsaas.face.verification.initialize';
export const FACE_VERIFICATION_QUERY = 'datadigital.fincloud.generalsaas.face.verification.query';

/** The H5 initialize request of the official Java demo's shape (nested objects), with the seed person. */
export function faceCertifyBiz(opts: { outerOrderNo?: string; certNo?: string; returnUrl?: string; asStrings?: boolean } = {}) {
  const identity = {
    identity_type: 'CERT_INFO',
    cert_type: 'IDENTITY_CARD',
    cert_name: SEED_NAME,
    cert_no: opts.certNo ?? SEED_CERT_NO,
    phone_no: '13000000000',
  };
  const config = { ...(opts.returnUrl !== undefined ? { return_url: opts.returnUrl } : {}), face_reserve_strategy: 'reserve' };
  return {
    outer_order_no: opts.outerOrderNo ?? uniqueRef('ZGYD'),
    biz_code: 'FUTURE_TECH_BIZ_FACE_SDK',
    identity_param: opts.asStrings ? JSON.stringify(identity) : identity,
    merchant_config: opts.asStrings ? JSON.stringify(config) : config,
  } as Record<string, unknown>;
}

/** The app-flow initialize request (flat fields), with the seed person. */
export function faceVerificationBiz(opts: { outerOrderNo?: string; certNo?: string } = {}) {
  return {
    outer_order_no: opts.outerOrderNo ?? uniqueRef('dsdfaeradsf'),
    biz_code: 'DATA_DIGITAL_BIZ_CODE_FACE_VERIFICATION',
    identity_type: 'CERT_INFO',
    cert_type: 'IDENTITY_CARD',
    cert_name: SEED_NAME,
    cert_no: opts.certNo ?? SEED_CERT_NO,
    phone_no: '13000000000',
    face_reserve_strategy: 'reserve',
  } as Record<string, unknown>;
}

const certifyId = async (gw: TestGateway, app: TestApp) => String((await gw.call(app, FACE_CERTIFY_INIT, faceCertifyBiz())).node.certify_id);
const verificationId = async (gw: TestGateway, app: TestApp) => String((await gw.call(app, FACE_VERIFICATION_INIT, faceVerificationBiz())).node.certify_id);
const corrupted = async (gw: TestGateway, id: string) => {
  await corrupt(gw, id);
  return id;
};
const NO_SUCH_ID = 'f'.repeat(32);

/** datadigital.fincloud.generalsaas.face.*: one scenario per declared sub_code. */
export const faceScenarios: ScenarioTable = {
  [FACE_CERTIFY_INIT]: {
    ILLEGAL_ARGUMENT_FORMAT: (gw, app) => gw.call(app, FACE_CERTIFY_INIT, { ...faceCertifyBiz(), biz_code: 'FACE' }),
    'unknown-sub-code': (gw, app) => gw.call(app, FACE_CERTIFY_INIT, { ...faceCertifyBiz(), identity_param: '{"cert_name":"x",' }),
    OUTER_ORDER_NO_CONFLICT: async (gw, app) => {
      const first = faceCertifyBiz();
      await gw.call(app, FACE_CERTIFY_INIT, first);
      return gw.call(app, FACE_CERTIFY_INIT, { ...faceCertifyBiz({ certNo: idNumberWithSequence('123') }), outer_order_no: first.outer_order_no });
    },
    BIZ_ERROR: (gw, app) => gw.call(app, FACE_CERTIFY_INIT, faceCertifyBiz({ certNo: idNumberWithSequence('998') })),
    SYSTEM_ERROR: async (gw, app) => {
      const biz = faceCertifyBiz();
      await corrupt(gw, String((await gw.call(app, FACE_CERTIFY_INIT, biz)).node.certify_id));
      return gw.call(app, FACE_CERTIFY_INIT, biz);
    },
  },
  [FACE_CERTIFY_VERIFY]: {
    ILLEGAL_ARGUMENT_FORMAT: (gw, app) => gw.call(app, FACE_CERTIFY_VERIFY, {}),
    OPEN_CERTIFY_BILL_NOT_EXIST: (gw, app) => gw.call(app, FACE_CERTIFY_VERIFY, { certify_id: NO_SUCH_ID }),
    SYSTEM_ERROR: async (gw, app) => gw.call(app, FACE_CERTIFY_VERIFY, { certify_id: await corrupted(gw, await certifyId(gw, app)) }),
  },
  [FACE_CERTIFY_QUERY]: {
    ILLEGAL_ARGUMENT_FORMAT: (gw, app) => gw.call(app, FACE_CERTIFY_QUERY, { certify_id: 'x'.repeat(33) }),
    OPEN_CERTIFY_BILL_NOT_EXIST: (gw, app) => gw.call(app, FACE_CERTIFY_QUERY, { certify_id: NO_SUCH_ID }),
    SYSTEM_ERROR: async (gw, app) => gw.call(app, FACE_CERTIFY_QUERY, { certify_id: await corrupted(gw, await certifyId(gw, app)) }),
  },
  [FACE_VERIFICATION_INIT]: {
    ILLEGAL_ARGUMENT_FORMAT: (gw, app) => gw.call(app, FACE_VERIFICATION_INIT, { ...faceVerificationBiz(), cert_type: 'RESIDENCE_PERMIT_HK_MC' }),
    OUTER_ORDER_NO_CONFLICT: async (gw, app) => {
      const first = faceVerificationBiz();
      await gw.call(app, FACE_VERIFICATION_INIT, first);
      return gw.call(app, FACE_VERIFICATION_INIT, { ...first, phone_no: '13100000000' });
    },
    BIZ_ERROR: (gw, app) => gw.call(app, FACE_VERIFICATION_INIT, faceVerificationBiz({ certNo: idNumberWithSequence('998') })),
    SYSTEM_ERROR: async (gw, app) => {
      const biz = faceVerificationBiz();
      await corrupt(gw, String((await gw.call(app, FACE_VERIFICATION_INIT, biz)).node.certify_id));
      return gw.call(app, FACE_VERIFICATION_INIT, biz);
    },
  },
  [FACE_VERIFICATION_QUERY]: {
    ILLEGAL_ARGUMENT_FORMAT: (gw, app) => gw.call(app, FACE_VERIFICATION_QUERY, { certify_id: NO_SUCH_ID, need_alive_photo: 'maybe' }),
    OPEN_CERTIFY_BILL_NOT_EXIST: (gw, app) => gw.call(app, FACE_VERIFICATION_QUERY, { certify_id: NO_SUCH_ID }),
    SYSTEM_ERROR: async (gw, app) => gw.call(app, FACE_VERIFICATION_QUERY, { certify_id: await corrupted(gw, await verificationId(gw, app)) }),
  },
};
