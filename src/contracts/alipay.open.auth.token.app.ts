import { z } from 'zod';
import { alipayError } from '../errors/alipay-error.js';
import { defineContract, successHead } from './contract.js';
import { optionalString } from './fields.js';

const token = {
  user_id: z.string(),
  auth_app_id: z.string(),
  app_auth_token: z.string(),
  app_refresh_token: z.string(),
  expires_in: z.number().int(),
  re_expires_in: z.number().int(),
};

/**
 * 换取应用授权令牌: an ISV exchanges a merchant's app_auth_code, or refreshes with the refresh
 * token (docs/alipay-openapi-v2.md §7). The answer carries the token flat and, as newer
 * gateways do, inside `tokens`.
 */
export const authTokenAppContract = defineContract({
  method: 'alipay.open.auth.token.app',
  kind: 'api',
  request: z.object({
    grant_type: z.enum(['authorization_code', 'refresh_token']),
    code: optionalString(64),
    refresh_token: optionalString(64),
  }),
  response: z.object({ ...successHead, ...token, tokens: z.array(z.object(token)) }),
  errors: {},
  delegable: false,
  sealedData: false,
});

/** The gateway's answers to a bad code or refresh token: 40002, as for alipay.system.oauth.token. */
export const AuthTokenErrors = {
  codeInvalid: alipayError('40002', 'isv.code-invalid', '授权码code无效'),
  refreshTokenInvalid: alipayError('40002', 'isv.refresh-token-invalid', '刷新令牌refresh_token无效'),
  /** A refresh token already used: its successor's token must be refreshed instead. */
  refreshedTokenInvalid: alipayError('40002', 'isv.refreshed-token-invalid', '该刷新令牌刷出的令牌已无效,请尝试用返回的令牌再次刷新'),
} as const;
