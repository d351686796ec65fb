import { zhimaQueryContract as contract } from '../../contracts/zhima.customer.certification.query.js';
import { ok } from '../../errors/alipay-error.js';
import { defineMethod } from '../../protocol/method.js';
import type { SessionRecord } from '../../store/store.js';
import { findCertification, passedAndReason } from './session.js';

/** Subject of a passed certification; open_id only when the merchant asked for user authorization. */
function identityInfo(s: SessionRecord): string {
  if (s.state !== 'PASSED') return '{}';
  const { cert_type, cert_name, cert_no, user_id } = s.identity as Record<string, string | undefined>;
  const config = JSON.parse(String(s.details.merchant_config ?? '{}')) as Record<string, unknown>;
  const info: Record<string, string> = {};
  if (cert_type) info.cert_type = cert_type;
  if (cert_name) info.cert_name = cert_name;
  if (cert_no) info.cert_no = cert_no;
  if (user_id) info.user_id = user_id;
  if (String(config.need_user_authorization) === 'true') info.open_id = `0${s.externalId.slice(-20)}`;
  return JSON.stringify(info);
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
