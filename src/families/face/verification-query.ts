import { businessError } from '../../contracts/contract.js';
import { faceVerificationQueryContract as contract } from '../../contracts/datadigital.fincloud.generalsaas.face.verification.query.js';
import { FACE_VERIFICATION_BIZ_CODE } from '../../contracts/face-fields.js';
import { ok } from '../../errors/alipay-error.js';
import { defineMethod } from '../../protocol/method.js';
import type { SessionRecord } from '../../store/store.js';
import { certifyState, findFace } from './session.js';

/** A 1×1 PNG: the sandbox's stand-in for the liveness photo. */
export const ALIVE_PHOTO_PLACEHOLDER = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/**
 * Scores of a finished scan (doubles as strings, §5). A liveness failure is reported as an attack
 * with a low liveness score; other outcomes had a live face. Sessions nobody scanned (still open,
 * expired, cancelled) carry no scores.
 */
function scores(s: SessionRecord): { score?: string; quality?: string; attack_flag?: 'true' | 'false' } {
  if (s.state === 'PASSED') return { score: '98.5', quality: '85', attack_flag: 'false' };
  if (s.state !== 'FAILED') return {};
  if (s.failedReason === '活体检测未通过') return { score: '12.3', quality: '60', attack_flag: 'true' };
  return { score: '91.2', quality: '80', attack_flag: 'false' };
}

/** App flow: certify_state, scores and, when asked for and passed, the liveness photo; device h5 (the hosted page). */
export const faceVerificationQuery = defineMethod({
  contract,
  async handle(b, { app, services }) {
    const found = await findFace(services, app, b.certify_id, FACE_VERIFICATION_BIZ_CODE, businessError(contract, 'OPEN_CERTIFY_BILL_NOT_EXIST'));
    if (!found.ok) return found;
    const s = found.value;
    return ok({
      code: '10000',
      msg: 'Success',
      certify_state: certifyState(s),
      ...scores(s),
      ...(b.need_alive_photo && s.state === 'PASSED' ? { alive_photo: ALIVE_PHOTO_PLACEHOLDER } : {}),
      meta_info: { device_type: 'h5' as const },
    });
  },
});
