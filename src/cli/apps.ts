import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AppRegistrationError, checkAppSettings, registerApp } from '../apps.js';
import { newAesKey } from '../crypto/aes.js';
import { isSignType } from '../crypto/rsa.js';
import { certificateKit } from '../domain/platform-ca.js';
import { appView } from '../http/admin-view.js';
import { list, withServices } from './args.js';
import { saveProfile } from './profile.js';

export async function appsCreate(args: string[]): Promise<number> {
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
      drills: { type: 'string' },
      aes: { type: 'boolean' },
      'save-profile': { type: 'string' },
      gateway: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const signType = values['sign-type'] ?? 'RSA2';
  if (!isSignType(signType)) throw new AppRegistrationError('--sign-type must be RSA2 or RSA');
  return withServices(values.data, async (services) => {
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
        drills: list(values.drills),
        aes: values.aes,
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
      drills: app.drills,
      ...(app.aesKey ? { aes_key: app.aesKey } : {}),
    };
    if (values['save-profile']) {
      if (!privateKeyPem) throw new AppRegistrationError('--save-profile needs the key pair aopgate generates (leave out --public-key)');
      const gateway = values.gateway ?? `${services.publicUrl}/gateway.do`;
      const file = saveProfile(values['save-profile'], {
        appId: app.appId,
        privateKey: privateKeyPem,
        alipayPublicKey: services.platform.publicKeyPem,
        gateway,
        signType: app.signType,
        ...(app.aesKey ? { aesKey: app.aesKey } : {}),
      });
      if (!values.json) console.log(`profile ${values['save-profile']} saved in ${file} (aopgate call … --profile ${values['save-profile']})`);
    }
    if (values.json) console.log(JSON.stringify(out));
    else {
      console.log(`app_id: ${out.app_id} (${out.sign_type})`);
      if (privateKeyPem) console.log(`app private key (keep it, it is not stored):\n${privateKeyPem}`);
      console.log(`alipay public key:\n${out.alipay_public_key}`);
      if (app.aesKey) console.log(`AES key (encrypt_type=AES): ${app.aesKey}`);
    }
    return 0;
  });
}

/** `apps update --app-id ID [--notify-url URL|''] [--drills a,b|'']`: '' clears. Takes effect on a running server at once. */
export async function appsUpdate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      'app-id': { type: 'string' },
      'notify-url': { type: 'string' },
      drills: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const appId = values['app-id'];
  if (!appId) throw new AppRegistrationError('--app-id is required');
  const drills = list(values.drills);
  const notifyUrl = values['notify-url'] === undefined ? undefined : values['notify-url'] || null;
  checkAppSettings({ drills, notifyUrl });
  return withServices(values.data, async (services) => {
    if (!(await services.store.getApp(appId))) throw new AppRegistrationError(`no app ${appId}`);
    const app = await services.store.updateApp(appId, {
      ...(drills !== undefined ? { drills: [...new Set(drills)] } : {}),
      ...(notifyUrl !== undefined ? { notifyUrl } : {}),
    });
    const view = appView(app!);
    console.log(
      values.json ? JSON.stringify(view) : `app ${view.app_id}: notify_url ${view.notify_url ?? '(none)'}, drills ${view.drills.join(',') || '(none)'}`,
    );
    return 0;
  });
}

/** `apps rotate-aes --app-id ID`: a new AES content key; calls encrypted with the old one then fail to decrypt. */
export async function appsRotateAes(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { data: { type: 'string' }, 'app-id': { type: 'string' }, json: { type: 'boolean' } } });
  const appId = values['app-id'];
  if (!appId) throw new AppRegistrationError('--app-id is required');
  return withServices(values.data, async (services) => {
    if (!(await services.store.getApp(appId))) throw new AppRegistrationError(`no app ${appId}`);
    const aesKey = newAesKey();
    await services.store.updateApp(appId, { aesKey });
    console.log(values.json ? JSON.stringify({ app_id: appId, aes_key: aesKey }) : `AES key of ${appId}: ${aesKey}`);
    return 0;
  });
}

/**
 * `apps cert --app-id ID --out DIR`: issues the app's public-key certificate and writes the three
 * files a certificate-mode SDK is configured with (appCertPath, alipayPublicCertPath, alipayRootCertPath).
 */
export async function appsCert(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { data: { type: 'string' }, 'app-id': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } },
  });
  const appId = values['app-id'];
  if (!appId) throw new AppRegistrationError('--app-id is required');
  const out = values.out ?? '.';
  return withServices(values.data, async (services) => {
    const app = await services.store.getApp(appId);
    if (!app) throw new AppRegistrationError(`no app ${appId}`);
    const kit = await certificateKit(services, app);
    mkdirSync(out, { recursive: true });
    const files = {
      app_cert_path: join(out, kit.app.file),
      alipay_public_cert_path: join(out, kit.alipay.file),
      alipay_root_cert_path: join(out, kit.root.file),
    };
    writeFileSync(files.app_cert_path, kit.app.pem);
    writeFileSync(files.alipay_public_cert_path, kit.alipay.pem);
    writeFileSync(files.alipay_root_cert_path, kit.root.pem);
    const summary = { app_id: appId, app_cert_sn: kit.appCertSn, alipay_cert_sn: kit.alipayCertSn, alipay_root_cert_sn: kit.alipayRootCertSn, ...files };
    console.log(
      values.json
        ? JSON.stringify(summary)
        : Object.entries(summary)
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n'),
    );
    return 0;
  });
}
