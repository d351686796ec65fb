import { businessError } from '../../contracts/contract.js';
import { riskQueryContract } from '../../contracts/alipay.security.risk.authentication.query.js';
import { err, ok, type AlipayError, type Result } from '../../errors/alipay-error.js';
import { formatShanghaiTimestamp } from '../../domain/clock.js';
import { refresh } from '../../domain/verification.js';
import type { Services } from '../../services.js';
import { OPEN_STATES, type AppRecord, type SessionRecord } from '../../store/store.js';
import { TASK_STATUS } from './adapter.js';

/** BIZ_ERROR with a specific reason; every method of the family shares the seed's error table. */
export const bizError = (subMsg: string): AlipayError => businessError(riskQueryContract, 'BIZ_ERROR', subMsg);

/** token_id and/or biz_id, scoped to the calling app; when both are given they must name one session. */
export async function findAuthentication(services: Services, app: AppRecord, tokenId?: string, bizId?: string): Promise<Result<SessionRecord, AlipayError>> {
  const token = tokenId?.trim() || undefined;
  const biz = bizId?.trim() || undefined;
  const session = await services.store.findSession('risk', { appId: app.appId, ...(token ? { externalId: token } : { merchantRef: biz }) });
  if (!session) return err(bizError('认证记录不存在，请检查token_id或biz_id'));
  if (token && biz && session.merchantRef !== biz) return err(bizError('token_id与biz_id不属于同一笔业务'));
  return ok(await refresh(services, session));
}

/**
 * biz_result, the JSON string every method of the family answers with: the seed's task_list
 * (status, task_id, biz_info, signed_file_list) plus, while the session is open, where to verify.
 */
export function bizResult(services: Services, s: SessionRecord): string {
  const status = TASK_STATUS[s.state];
  const open = OPEN_STATES.includes(s.state);
  const pageUrl = `${services.publicUrl}/verify/${s.id}`;
  const result: Record<string, unknown> = {
    biz_id: s.merchantRef,
    token_id: s.externalId,
    status,
    verify_type: s.scene,
    task_list: [{ status, task_id: String(s.details.task_id), biz_info: String(s.details.biz_info ?? ''), signed_file_list: [] }],
  };
  if (s.failedReason && s.state !== 'PASSED') result.failed_reason = s.failedReason;
  if (open && s.scene === 'QRCODE') {
    result.qrcode = {
      content: pageUrl,
      image_png: `${services.publicUrl}/qrcode/${s.externalId}.png`,
      image_svg: `${services.publicUrl}/qrcode/${s.externalId}.svg`,
      expired_time: Number(s.details.qrcode_expired_time),
      expire_at: formatShanghaiTimestamp(s.expiresAt),
    };
  } else if (open) {
    result.verify_url = pageUrl;
  }
  return JSON.stringify(result);
}
