import { randomInt } from 'node:crypto';
import { newAesKey } from './crypto/aes.js';
import { generateRsaKeyPair, parsePublicKey, type SignType } from './crypto/rsa.js';
import { DRILLS, isDrill } from './domain/drills.js';
import { isHttpUrl } from './domain/notification.js';
import { KNOWN_SCENES } from './families/index.js';
import type { AppRecord, Store } from './store/store.js';

/** The seed's product code: what a new app has signed unless told otherwise. */
export const DEFAULT_PRODUCTS = ['w1010100000000002978'];
export const DEFAULT_SCENES = ['FACE', 'SMART_FACE', 'CERT_PHOTO', 'CERT_PHOTO_FACE'];

export interface NewApp {
  appId?: string | undefined;
  name?: string | undefined;
  signType?: SignType | undefined;
  /** The app's public key; when absent a key pair is generated and its private half returned. */
  publicKeyPem?: string | undefined;
  products?: string[] | undefined;
  scenes?: string[] | undefined;
  notifyUrl?: string | undefined;
  drills?: string[] | undefined;
  /** Give the app an AES content key (encrypt_type=AES); returned Base64. */
  aes?: boolean | undefined;
}

export interface RegisteredApp {
  app: AppRecord;
  /** PKCS#8 PEM, only when aopgate generated the key pair. */
  privateKeyPem?: string;
}

export class AppRegistrationError extends Error {}

/** Alipay app ids are 16 digits; ours start with 2021 like production ones. */
const newAppId = () => `2021${String(randomInt(0, 1e6)).padStart(6, '0')}${String(randomInt(0, 1e6)).padStart(6, '0')}`;

export async function registerApp(store: Store, input: NewApp, now: number): Promise<RegisteredApp> {
  const appId = input.appId ?? newAppId();
  if (!/^\d{1,32}$/.test(appId)) throw new AppRegistrationError('app id must be 1 to 32 digits');
  checkAppSettings(input);
  const unknownScene = input.scenes?.find((s) => !KNOWN_SCENES.includes(s));
  if (unknownScene) throw new AppRegistrationError(`unknown scene ${unknownScene} (known: ${KNOWN_SCENES.join(', ')})`);
  let publicKeyPem = input.publicKeyPem;
  let privateKeyPem: string | undefined;
  if (publicKeyPem) {
    try {
      publicKeyPem = parsePublicKey(publicKeyPem).export({ type: 'spki', format: 'pem' }).toString();
    } catch {
      throw new AppRegistrationError('public key is not a valid RSA public key (PEM or Base64 SPKI)');
    }
  } else {
    const pair = await generateRsaKeyPair();
    publicKeyPem = pair.publicKeyPem;
    privateKeyPem = pair.privateKeyPem;
  }
  const app: AppRecord = {
    appId,
    name: input.name ?? `App ${appId}`,
    signType: input.signType ?? 'RSA2',
    publicKeyPem,
    status: 'active',
    products: input.products ?? DEFAULT_PRODUCTS,
    scenes: input.scenes ?? DEFAULT_SCENES,
    notifyUrl: input.notifyUrl ?? null,
    createdAt: now,
    drills: input.drills ?? [],
    aesKey: input.aes ? newAesKey() : null,
  };
  const outcome = await store.createApp(app);
  if (!outcome.created) throw new AppRegistrationError(`app ${appId} already exists`);
  return privateKeyPem ? { app, privateKeyPem } : { app };
}

/** Rules shared by creating and updating an app: drills by name, notify URLs http(s). */
export function checkAppSettings(input: { drills?: string[] | undefined; notifyUrl?: string | null | undefined; scenes?: string[] | undefined }): void {
  const unknownScene = input.scenes?.find((s) => !KNOWN_SCENES.includes(s));
  if (unknownScene) throw new AppRegistrationError(`unknown scene ${unknownScene} (known: ${KNOWN_SCENES.join(', ')})`);
  const unknownDrill = input.drills?.find((d) => !isDrill(d));
  if (unknownDrill) throw new AppRegistrationError(`unknown drill ${unknownDrill} (known: ${DRILLS.join(', ')})`);
  if (input.notifyUrl && !isHttpUrl(input.notifyUrl)) throw new AppRegistrationError('notify URL must be an http(s) URL');
}
