import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppRegistrationError, registerApp } from './apps.js';
import { loadConfig } from './config.js';
import { isSignType } from './crypto/rsa.js';
import { ensureDemoApp, printDemoSnippets } from './demo.js';
import { buildServices, startGateway } from './runtime.js';
import { createLogger } from './log.js';

const USAGE = `usage:
  aopgate serve [--port N] [--host H] [--data DIR] [--demo]
  aopgate apps create [--data DIR] [--app-id ID] [--name NAME] [--sign-type RSA2|RSA]
                      [--public-key FILE] [--products P1,P2] [--scenes S1,S2]
                      [--notify-url URL] [--json]
environment: AOPGATE_PORT, AOPGATE_HOST, AOPGATE_DATA_DIR, AOPGATE_DATABASE_URL, … (see README)`;

/** Entry point of the `aopgate` binary; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  try {
    if (command === 'serve') return await serve(argv.slice(1));
    if (command === 'apps' && sub === 'create') return await appsCreate(argv.slice(2));
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      console.log(USAGE);
      return 0;
    }
    console.error(`aopgate: unknown command ${argv.join(' ')}\n${USAGE}`);
    return 2;
  } catch (e) {
    if (e instanceof AppRegistrationError || (e instanceof Error && /invalid configuration|Unknown option|unexpected argument/i.test(e.message))) {
      console.error(`aopgate: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, demo: { type: 'boolean' } },
  });
  const gateway = await startGateway({ port: values.port, host: values.host, dataDir: values.data });
  const { services } = gateway;
  if (values.demo) printDemoSnippets(await ensureDemoApp(services), gateway.url, services.platform.publicKeyPem);
  services.log.info({ url: gateway.url, data_dir: services.config.dataDir, backend: services.config.databaseUrl ? 'postgres' : 'sqlite' }, 'aopgate listening');
  const stop = async (signal: string) => {
    services.log.info({ signal }, 'shutting down');
    await gateway.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {}); // serve until signalled
}

async function appsCreate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      'app-id': { type: 'string' },
      name: { type: 'string' },
      'sign-type': { type: 'string' },
      'public-key': { type: 'string' },
      products: { type: 'string' },
      scenes: { type: 'string' },
      'notify-url': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const signType = values['sign-type'] ?? 'RSA2';
  if (!isSignType(signType)) throw new AppRegistrationError('--sign-type must be RSA2 or RSA');
  const list = (v: string | undefined) =>
    v
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const config = loadConfig({ dataDir: values.data, logLevel: 'silent' });
  const services = await buildServices(config, { log: createLogger('silent') });
  try {
    const { app, privateKeyPem } = await registerApp(
      services.store,
      {
        appId: values['app-id'],
        name: values.name,
        signType,
        publicKeyPem: values['public-key'] ? readFileSync(values['public-key'], 'utf8') : undefined,
        products: list(values.products),
        scenes: list(values.scenes),
        notifyUrl: values['notify-url'],
      },
      services.clock(),
    );
    const out = {
      app_id: app.appId,
      sign_type: app.signType,
      ...(privateKeyPem ? { app_private_key: privateKeyPem } : {}),
      app_public_key: app.publicKeyPem,
      alipay_public_key: services.platform.publicKeyPem,
      products: app.products,
      scenes: app.scenes,
      notify_url: app.notifyUrl,
    };
    if (values.json) console.log(JSON.stringify(out));
    else {
      console.log(`app_id: ${out.app_id} (${out.sign_type})`);
      if (privateKeyPem) console.log(`app private key (keep it, it is not stored):\n${privateKeyPem}`);
      console.log(`alipay public key:\n${out.alipay_public_key}`);
    }
    return 0;
  } finally {
    await services.store.close();
  }
}
