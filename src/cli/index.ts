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

/** Each command's module is loaded when it runs: `serve` needs none of the others (nor they the HTTP server). */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.js')).serve,
  'apps create': async () => (await import('./apps.js')).appsCreate,
  'apps update': async () => (await import('./apps.js')).appsUpdate,
  'apps rotate-aes': async () => (await import('./apps.js')).appsRotateAes,
  'apps cert': async () => (await import('./apps.js')).appsCert,
  'platform rotate-key': async () => (await import('./platform.js')).platformRotateKey,
  reset: async () => (await import('./reset.js')).reset,
  'notifications list': async () => (await import('./notifications.js')).notificationsList,
  'notifications resend': async () => (await import('./notifications.js')).notificationsResend,
  clock: async () => (await import('./clock.js')).clock,
  'auth grant': async () => (await import('./auth.js')).authGrant,
  call: async () => (await import('./call.js')).callCommand,
  journal: async () => (await import('./journal.js')).journal,
  'faults add': async () => (await import('./faults.js')).faultsAdd,
  'faults list': async () => (await import('./faults.js')).faultsList,
  'faults rm': async () => (await import('./faults.js')).faultsRemove,
};

/** Entry point of the `aopgate` binary; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return 0;
  }
  const two = COMMANDS[`${command} ${sub}`];
  const one = COMMANDS[command];
  const run = two ? async () => (await two())(argv.slice(2)) : one && (async () => (await one())(argv.slice(1)));
  if (!run) {
    console.error(`aopgate: unknown command ${argv.join(' ')}\n${USAGE}`);
    return 2;
  }
  try {
    return await run();
  } catch (e) {
    const [{ AppRegistrationError }, { UsageError }, { SeedError }] = await Promise.all([import('../apps.js'), import('./args.js'), import('../seed/load.js')]);
    if (e instanceof AppRegistrationError || e instanceof UsageError || e instanceof SeedError || isConfigError(e)) {
      console.error(`aopgate: ${(e as Error).message}`);
      return 2;
    }
    throw e;
  }
}

const isConfigError = (e: unknown) =>
  e instanceof Error && /invalid configuration|Unknown option|unexpected argument|ERR_PARSE_ARGS/i.test(`${e.message} ${(e as NodeJS.ErrnoException).code}`);
