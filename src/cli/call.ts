import { parseArgs } from 'node:util';
import { AopClient, AopError, type MethodName, type RequestOf } from '../client/index.js';
import { profilesPath, readProfiles } from './profile.js';

export const CALL_USAGE = "aopgate call <method> --biz '<json>' [--profile NAME] [--gateway URL] [--show-sign-string] [--v3]";

/**
 * `aopgate call`: one typed-client call with a saved profile's credentials; prints the verified
 * answer as JSON (exit 0), or the AopError (exit 2).
 */
export async function callCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        biz: { type: 'string', default: '{}' },
        profile: { type: 'string', default: 'default' },
        gateway: { type: 'string' },
        'show-sign-string': { type: 'boolean', default: false },
        v3: { type: 'boolean', default: false },
        encrypt: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    return usage((e as Error).message);
  }
  const { values, positionals } = parsed;
  const method = positionals[0];
  if (!method || positionals.length > 1) return usage('exactly one method is expected');
  let biz: unknown;
  try {
    biz = JSON.parse(values.biz);
  } catch {
    return usage('--biz is not JSON');
  }
  const path = profilesPath();
  const profile = readProfiles(path)[values.profile];
  if (!profile) {
    console.error(`aopgate: no profile ${values.profile} in ${path} (apps create --save-profile ${values.profile} writes one)`);
    return 2;
  }
  const gateway = values.gateway ?? profile.gateway;
  const client = new AopClient({
    gateway,
    endpoint: profile.endpoint ?? new URL(gateway).origin,
    appId: profile.appId,
    privateKey: profile.privateKey,
    alipayPublicKey: profile.alipayPublicKey,
    ...(profile.aesKey ? { aesKey: profile.aesKey } : {}),
    ...(profile.signType ? { signType: profile.signType } : {}),
    protocol: values.v3 ? 'v3' : 'v2',
    onSign: (text) => {
      if (values['show-sign-string']) console.error(`string to sign:\n${text}\n`);
    },
  });
  try {
    // The method is a command-line string: the gateway, not the compiler, judges it here.
    const node = await client.call(method as MethodName, biz as RequestOf<MethodName>, { encrypt: values.encrypt });
    console.log(JSON.stringify(node, null, 2));
    return 0;
  } catch (e) {
    if (!(e instanceof AopError)) throw e;
    const { code, subCode, subMsg, traceId, httpStatus } = e;
    console.error(`aopgate: ${e.message}`);
    console.log(JSON.stringify({ error: { code, subCode, subMsg, traceId, httpStatus } }, null, 2));
    return 2;
  }
}

function usage(problem: string): number {
  console.error(`aopgate call: ${problem}\nusage: ${CALL_USAGE}`);
  return 2;
}
