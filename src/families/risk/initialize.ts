import { riskInitializeContract as contract } from '../../contracts/alipay.security.risk.authentication.initialize.js';
import { err, ok } from '../../errors/alipay-error.js';
import { newHexId } from '../../domain/ids.js';
import { refusedAtInitialize } from '../../domain/magic.js';
import { openSession } from '../../domain/verification.js';
import { defineMethod } from '../../protocol/method.js';
import { bizError, bizResult } from './session.js';

/** Seed example: 604800 s (7 days) when extend_info names QRCODE without a lifetime. */
const DEFAULT_QRCODE_SECONDS = 604_800;

export const riskInitialize = defineMethod({
  contract,
  async handle(b, ctx) {
    const { services } = ctx;
    const info = b.authentication_info;
    const scene = info.authentication_scene;
    const extend = (info.extend_info ?? scene.extend_info)!;
    const verifyType = (extend.value.verify_type ?? 'PAGE').toUpperCase();
    const qrSeconds = extend.value.qrcode_expired_time ?? DEFAULT_QRCODE_SECONDS;
    const p = info.principal_info;
    if (refusedAtInitialize(p.operator_cert_no)) return err(bizError('业务异常,身份验证初始化失败'));
    const identity = {
      user_name: p.user_name,
      user_id: p.user_id,
      mobile_no: p.mobile_no,
      operator_cert_type: p.operator_cert_type,
      operator_cert_no: p.operator_cert_no,
      params: p.params.text,
    };
    const details = {
      task_id: `T${newHexId().slice(0, 23)}`,
      tnt_inst_id: p.tnt_inst_id,
      authentication_scene: {
        biz_name: scene.biz_name,
        biz_product: scene.biz_product,
        biz_prod_node: scene.biz_prod_node,
        access_channel: scene.access_channel,
        scene_params: scene.scene_params.text,
      },
      extend_info: extend.text,
      env_info: b.env_info?.text ?? '',
      biz_info: b.biz_info?.text ?? '',
      qrcode_expired_time: verifyType === 'QRCODE' ? qrSeconds : null,
    };
    const { task_id: _taskId, ...content } = details;
    const opened = await openSession(ctx, {
      family: 'risk',
      externalId: newHexId(),
      merchantRef: info.biz_id,
      content: { content, identity, verifyType },
      scene: verifyType,
      identity,
      details,
      returnUrl: scene.scene_params.value.call_back_url?.trim() || null,
      ttlMs: (verifyType === 'QRCODE' ? qrSeconds : services.config.sessionTtlSeconds) * 1000,
    });
    // Same biz_id: a client retry gets the first token; different content is a conflict.
    if (!opened.ok) return err(bizError('biz_id已被另一笔不同内容的业务使用'));
    return ok({ code: '10000', msg: 'Success', token_id: opened.value.externalId, biz_result: bizResult(services, opened.value) });
  },
});
