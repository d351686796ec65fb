import { AppRegistrationError } from '../apps.js';
import { SeedError } from '../seed/load.js';
import { appsCert, appsCreate, appsRotateAes, appsUpdate } from './apps.js';
import { UsageError } from './args.js';
import { authGrant } from './auth.js';
import { callCommand } from './call.js';
import { clock } from './clock.js';
import { faultsAdd, faultsList, faultsRemove } from './faults.js';
import { journal } from './journal.js';
import { notificationsList, notificationsResend } from './notifications.js';
import { platformRotateKey } from './platform.js';
import { reset } from './reset.js';
import { serve } from './serve.js';

const USAGE = `usage:
  aopgate serve [--port N] [--host H] [--data DIR] [--demo] [--seed FILE]
  aopgate apps create [--data DIR] [--app-id ID] [--name NAME] [--sign-type RSA2|RSA]
                      [--public-key FILE] [--products P1,P2] [--scenes S1,S2]
                      [--notify-url URL] [--drills D1,D2] [--aes] [--save-profile NAME [--gateway URL]] [--json]
  aopgate apps update --app-id ID [--data DIR] [--notify-url URL|''] [--drills D1,D2|''] [--json]
  aopgate apps rotate-aes --app-id ID [--data DIR] [--json]
  aopgate apps cert --app-id ID [--out DIR] [--data DIR] [--json]
  aopgate platform rotate-key [--data DIR] [--json]
  aopgate reset [--data DIR] [--app-id ID] [--json]
  aopgate notifications list [--data DIR] [--app-id ID] [--status S] [--limit N] [--json]
  aopgate notifications resend NOTIFY_ID [--data DIR]
  aopgate auth grant --isv ISV_APP_ID --merchant MERCHANT_APP_ID [--methods M1,M2] [--code] [--data DIR] [--json]
  aopgate journal [--app-id ID] [--method M] [--code C] [--sub-code S] [--limit N] [--tail] [--data DIR] [--json]
  aopgate faults add [--app-id ID] [--method M] [--code C] [--sub-code S] [--sub-msg T]
                     [--latency-ms N] [--drop] [--probability P] [--count N] [--data DIR] [--json]
  aopgate faults list [--data DIR] [--json] | aopgate faults rm ID [--data DIR]
  aopgate call <method> --biz '<json>' [--profile NAME] [--gateway URL] [--show-sign-string] [--v3] [--encrypt]
  aopgate clock [show | advance 25h | set "yyyy-MM-dd HH:mm:ss" | reset] [--url URL] [--token T]
drills: duplicate, out-of-order, forged-signature
environment: AOPGATE_PORT, AOPGATE_HOST, AOPGATE_DATA_DIR, AOPGATE_DATABASE_URL, AOPGATE_SEED, … (see README)`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  serve,
  'apps create': appsCreate,
  'apps update': appsUpdate,
  'apps rotate-aes': appsRotateAes,
  'apps cert': appsCert,
  'platform rotate-key': platformRotateKey,
  reset,
  'notifications list': notificationsList,
  'notifications resend': notificationsResend,
  clock,
  'auth grant': authGrant,
  call: callCommand,
  journal,
  'faults add': faultsAdd,
  'faults list': faultsList,
  'faults rm': faultsRemove,
};

/** Entry point of the `aopgate` binary; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return 0;
  }
  const two = COMMANDS[`${command} ${sub}`];
  const run = two ? () => two(argv.slice(2)) : COMMANDS[command] && (() => COMMANDS[command]!(argv.slice(1)));
  if (!run) {
    console.error(`aopgate: unknown command ${argv.join(' ')}\n${USAGE}`);
    return 2;
  }
  try {
    return await run();
  } catch (e) {
    if (e instanceof AppRegistrationError || e instanceof UsageError || e instanceof SeedError || isConfigError(e)) {
      console.error(`aopgate: ${(e as Error).message}`);
      return 2;
    }
    throw e;
  }
}

const isConfigError = (e: unknown) =>
  e instanceof Error && /invalid configuration|Unknown option|unexpected argument|ERR_PARSE_ARGS/i.test(`${e.message} ${(e as NodeJS.ErrnoException).code}`);
