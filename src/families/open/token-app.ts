import { AuthTokenErrors as E, authTokenAppContract as contract } from '../../contracts/alipay.open.auth.token.app.js';
import { err, ok } from '../../errors/alipay-error.js';
import { exchangeCode, refreshToken, type IssuedToken } from '../../domain/app-auth.js';
import { defineMethod } from '../../protocol/method.js';

const answer = (t: IssuedToken) => ok({ code: '10000' as const, msg: 'Success' as const, ...t, tokens: [t] });

/** alipay.open.auth.token.app: the calling app is the ISV; the code or refresh token must be its own. */
export const authTokenApp = defineMethod({
  contract,
  async handle(b, { app, services }) {
    if (b.grant_type === 'authorization_code') {
      if (!b.code?.trim()) return err(E.codeInvalid);
      const issued = await exchangeCode(services, app.appId, b.code.trim());
      return issued.ok ? answer(issued.value) : err(E.codeInvalid);
    }
    if (!b.refresh_token?.trim()) return err(E.refreshTokenInvalid);
    const issued = await refreshToken(services, app.appId, b.refresh_token.trim());
    if (issued.ok) return answer(issued.value);
    return err(issued.error === 'spent' ? E.refreshedTokenInvalid : E.refreshTokenInvalid);
  },
});
