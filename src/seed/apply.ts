import { createPrivateKey, createPublicKey } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { AppRegistrationError, checkAppSettings, DEFAULT_PRODUCTS, DEFAULT_SCENES } from '../apps.js';
import { cachedPrivateKey, parsePublicKey } from '../crypto/rsa.js';
import { KNOWN_SCENES } from '../families/index.js';
import { ruleFromSpec } from '../faults/faults.js';
import type { Services } from '../services.js';
import type { AppRecord, PlatformKeys, Store } from '../store/store.js';
import { seedError, type LoadedApp, type LoadedSeed } from './load.js';

export interface SeedReport {
  created: string[];
  updated: string[];
  /** Apps whose stored record already was the declared one: nothing was written. */
  unchanged: string[];
  platformKeyReplaced: boolean;
}

/** An app as the seed declares it: every field but the creation time, which only the store knows. */
type DeclaredApp = Omit<AppRecord, 'createdAt' | 'certPem' | 'certSn'>;

/**
 * Brings the store to the seed: each listed app gets exactly the declared fields (omitted ones take
 * their defaults), the platform key pair is replaced if the seed fixes it. Every app is checked before
 * anything is written, so a bad seed leaves the store as it was. Applying the same seed again writes nothing.
 */
export async function applySeed(services: Services, seed: LoadedSeed): Promise<SeedReport> {
  const declared = seed.apps.map((app, index) => declaredApp(seed.source, app, index));
  const report: SeedReport = { created: [], updated: [], unchanged: [], platformKeyReplaced: false };
  for (const app of declared) {
    const outcome = await applyApp(services.store, app, services.clock());
    report[outcome].push(app.appId);
  }
  if (seed.platform) report.platformKeyReplaced = await applyPlatformKey(services, seed.platform.private_key);
  if (seed.faults)
    await services.store.faults.replaceSource(
      'seed',
      seed.faults.map((f) => ruleFromSpec(f, 'seed', services.clock())),
    );
  return report;
}

function declaredApp(source: string, app: LoadedApp, index: number): DeclaredApp {
  const unknownScene = app.scenes?.findIndex((scene) => !KNOWN_SCENES.includes(scene)) ?? -1;
  if (unknownScene >= 0) {
    throw seedError(source, ['apps', index, 'scenes', unknownScene], `unknown scene ${app.scenes?.[unknownScene]} (known: ${KNOWN_SCENES.join(', ')})`);
  }
  try {
    checkAppSettings({ drills: app.drills, notifyUrl: app.notify_url });
  } catch (err) {
    if (err instanceof AppRegistrationError) throw seedError(source, ['apps', index], err.message);
    throw err;
  }
  return {
    appId: app.app_id,
    name: app.name ?? `App ${app.app_id}`,
    signType: app.sign_type,
    publicKeyPem: spkiPemOf(app),
    status: app.status,
    products: app.products ?? DEFAULT_PRODUCTS,
    scenes: app.scenes ?? DEFAULT_SCENES,
    notifyUrl: app.notify_url ?? null,
    drills: app.drills ?? [],
    aesKey: app.aes_key ?? null,
  };
}

/** One canonical text per key, so a key given as PKCS#1, Base64 or a private key compares equal to the stored one. */
function spkiPemOf(app: LoadedApp): string {
  const publicKey = app.public_key !== undefined ? parsePublicKey(app.public_key) : createPublicKey(createPrivateKey(app.private_key));
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

async function applyApp(store: Store, app: DeclaredApp, now: number): Promise<'created' | 'updated' | 'unchanged'> {
  const stored = await store.getApp(app.appId);
  if (!stored) {
    const outcome = await store.createApp({ ...app, createdAt: now });
    if (outcome.created) return 'created';
    // Another writer created it between our read and insert: fall through to bringing it to the declared state.
    return updateUnlessEqual(store, outcome.existing, app);
  }
  return updateUnlessEqual(store, stored, app);
}

async function updateUnlessEqual(store: Store, stored: AppRecord, app: DeclaredApp): Promise<'updated' | 'unchanged'> {
  // Only what a seed declares counts: an issued certificate, for one, is not the seed's to undo.
  const current = Object.fromEntries(Object.keys(app).map((k) => [k, stored[k as keyof AppRecord] ?? null]));
  if (isDeepStrictEqual(current, { ...app })) return 'unchanged';
  const { appId, ...patch } = app;
  await store.updateApp(appId, patch);
  return 'updated';
}

/** Returns whether the stored pair changed; the in-memory signer follows the seed either way. */
async function applyPlatformKey(services: Services, privateKeyText: string): Promise<boolean> {
  const keys = platformKeysOf(privateKeyText);
  // The gateway stored a pair at boot, so the candidate is never asked for.
  const stored = await services.store.ensurePlatformKeys(() => {
    throw new Error('unreachable: the platform keys exist once the store is open');
  });
  const replace = stored.privateKeyPem !== keys.privateKeyPem || stored.publicKeyPem !== keys.publicKeyPem;
  if (replace) await services.store.replacePlatformKeys(keys);
  services.platform = { privateKey: cachedPrivateKey(keys.privateKeyPem), publicKeyPem: keys.publicKeyPem };
  return replace;
}

function platformKeysOf(privateKeyText: string): PlatformKeys {
  const privateKey = createPrivateKey(privateKeyText);
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  };
}
