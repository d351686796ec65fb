import type { FamilyModule } from '../family.js';
import { faceFamily } from './adapter.js';
import { faceCertifyInitialize } from './certify-initialize.js';
import { faceCertifyQuery } from './certify-query.js';
import { faceCertifyVerify } from './certify-verify.js';
import { faceVerificationInitialize } from './verification-initialize.js';
import { faceVerificationQuery } from './verification-query.js';

/**
 * 人脸核身 datadigital.fincloud.generalsaas.face.*: H5 certify.initialize → certify.verify (URL of
 * the hosted page) → certify.query; app verification.initialize (page_url / web_url) → verification.query.
 */
export const face: FamilyModule = {
  adapter: faceFamily,
  methods: [faceCertifyInitialize, faceCertifyVerify, faceCertifyQuery, faceVerificationInitialize, faceVerificationQuery],
};
