import { z } from 'zod';
import { jsonObject, optionalString, requiredString } from './fields.js';

/**
 * biz_content shapes of alipay.security.risk.authentication.* (the seed document, kept as
 * test/fixtures/seeds/alipay.security.risk.authentication.initialize.json; docs/identity-apis.md §3). Nested
 * AuthenticationInfo / PrincipalInfo / AuthenticationScene are objects; params, scene_params,
 * extend_info, env_info and biz_info are JSON carried as strings (objects accepted too).
 *
 * The seed's own example masks user_name, mobile_no and operator_cert_no ("320107******021111"),
 * so those are checked for presence and length only.
 */
const anyObject = z.record(z.string(), z.unknown());

export const principalInfo = z.object({
  tnt_inst_id: requiredString(32),
  user_name: requiredString(200),
  user_id: requiredString(128),
  mobile_no: requiredString(100),
  operator_cert_type: requiredString(32),
  operator_cert_no: requiredString(128),
  params: jsonObject(500, anyObject),
});

export const sceneParams = z
  .object({
    call_back_url: z.string().max(1024).optional(),
  })
  .passthrough();

export const extendInfo = z
  .object({
    verify_type: z.string().max(32).optional(),
    /** Seconds (604800 in the seed); some clients send it as a numeric string. */
    qrcode_expired_time: z
      .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
      .pipe(
        z
          .number()
          .int()
          .positive()
          .max(365 * 86_400),
      )
      .optional(),
  })
  .passthrough();

export const authenticationScene = z.object({
  biz_name: requiredString(128),
  biz_product: requiredString(128),
  biz_prod_node: requiredString(128),
  access_channel: requiredString(128),
  scene_params: jsonObject(2000, sceneParams),
  /** The seed's table indents extend_info under the scene; the SDK models put it beside it. */
  extend_info: jsonObject(2000, extendInfo).optional(),
});

export const authenticationInfo = z.object({
  biz_id: requiredString(128),
  principal_info: principalInfo,
  authentication_scene: authenticationScene,
  extend_info: jsonObject(2000, extendInfo).optional(),
});

export const initializeBiz = z
  .object({
    authentication_info: authenticationInfo,
    env_info: jsonObject(1000, anyObject).optional(),
    biz_info: jsonObject(5000, anyObject).optional(),
  })
  .superRefine((b, ctx) => {
    const info = b.authentication_info;
    if (!info.extend_info && !info.authentication_scene.extend_info) {
      ctx.addIssue({ code: 'custom', path: ['authentication_info', 'extend_info'], message: 'required' });
    }
  });

/** query and cancel share one request shape (§3.3): token_id and/or biz_id identify the session. */
export const lookupBiz = z
  .object({
    token_id: optionalString(128),
    biz_id: optionalString(128),
    authentication_scene: authenticationScene.partial().optional(),
    biz_info: jsonObject(5000, anyObject).optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.token_id?.trim() && !b.biz_id?.trim()) ctx.addIssue({ code: 'custom', path: ['token_id'], message: 'token_id or biz_id required' });
  });

/** Business error table of the seed document, shared by query and cancel; sub_msg verbatim. */
export const RISK_ERRORS = {
  SYSTEM_ERROR: '系统繁忙',
  INVALID_PARAMETER: '参数有误缺少必选参数',
  BIZ_ERROR: '业务异常',
} as const;
