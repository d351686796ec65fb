import { zhimaQueryContract as contract } from '../../contracts/zhima.customer.certification.query.js';
import { ok } from '../../errors/alipay-error.js';
import { defineMethod } from '../../protocol/method.js';
import type { SessionRecord } from '../../store/store.js';
import { findCertification, passedAndReason } from './session.js';

/**
 * Alipay describes identity_info as normally empty: the merchant already knows whom it sent.
 * Only the open_id of a merchant that asked for user authorization is added after a pass.
 */
function identityInfo(s: SessionRecord): string {
  if (s.state !== 'PASSED') return '{}';
  const config = JSON.parse(String(s.details.merchant_config ?? '{}')) as Record<string, unknown>;
  return String(config.need_user_authorization) === 'true' ? JSON.stringify({ open_id: `0${s.externalId.slice(-20)}` }) : '{}';
}

function channelStatuses(s: SessionRecord): string {
  if (s.state !== 'PASSED' && s.state !== 'FAILED') return '[]';
  return JSON.stringify([{ name: s.scene, status: s.state === 'PASSED' ? 'PASS' : 'FAIL' }]);
}

/**
 * An unfinished certification is a normal 10000 answer with passed "false"
 * (docs/identity-apis.md §2.6); JSON-string fields are strings even when empty.
 */
export const zhimaQuery = defineMethod({
  contract,
  async handle(b, { app, services }) {
    const found = await findCertification(services, app, b.biz_no);
    if (!found.ok) return found;
    const s = found.value;
    return ok({
      code: '10000',
      msg: 'Success',
      ...passedAndReason(s),
      identity_info: identityInfo(s),
      attribute_info: '{}',
      channel_statuses: channelStatuses(s),
    });
  },
});
