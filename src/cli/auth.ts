import { parseArgs } from 'node:util';
import { issueCode, issueToken } from '../domain/app-auth.js';
import { list, UsageError, withServices } from './args.js';

/**
 * `aopgate auth grant --isv ISV --merchant MERCHANT [--methods m1,m2] [--code] [--json]`: the
 * merchant authorises the ISV (what its consent page does at Alipay). Prints an app_auth_token
 * with its refresh token, or with --code a one-time app_auth_code for alipay.open.auth.token.app.
 */
export async function authGrant(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      isv: { type: 'string' },
      merchant: { type: 'string' },
      methods: { type: 'string' },
      code: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const { isv, merchant } = values;
  if (!isv || !merchant) throw new UsageError('usage: aopgate auth grant --isv ISV_APP_ID --merchant MERCHANT_APP_ID [--methods m1,m2] [--code] [--json]');
  const methods = list(values.methods) ?? null;
  return withServices(values.data, async (services) => {
    for (const id of [isv, merchant]) if (!(await services.store.getApp(id))) throw new UsageError(`no app ${id}`);
    if (values.code) {
      const code = await issueCode(services, isv, merchant, methods);
      console.log(values.json ? JSON.stringify({ app_auth_code: code, isv_app_id: isv, auth_app_id: merchant }) : `app_auth_code: ${code}`);
      return 0;
    }
    const token = await issueToken(services, isv, merchant, methods);
    console.log(
      values.json
        ? JSON.stringify(token)
        : `app_auth_token: ${token.app_auth_token}\napp_refresh_token: ${token.app_refresh_token}\nexpires_in: ${token.expires_in}`,
    );
    return 0;
  });
}
