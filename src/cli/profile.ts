import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The credentials `aopgate call` signs with: what `apps create --save-profile NAME` writes. */
export interface Profile {
  appId: string;
  /** PEM private key text. */
  privateKey: string;
  /** PEM of the platform (Alipay) public key. */
  alipayPublicKey: string;
  /** Full `…/gateway.do` URL. */
  gateway: string;
  /** Base URL for v3 calls; defaults to the gateway's origin. */
  endpoint?: string;
  aesKey?: string;
  signType?: 'RSA2' | 'RSA';
}

export type Profiles = Record<string, Profile>;

/** `AOPGATE_PROFILES`, else `~/.config/aopgate/profiles.json` (XDG_CONFIG_HOME honoured). */
export function profilesPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AOPGATE_PROFILES) return env.AOPGATE_PROFILES;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'aopgate', 'profiles.json');
}

/** Every saved profile; a missing file is an empty set. */
export function readProfiles(path = profilesPath()): Profiles {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${path} is not a JSON object of profiles`);
  return parsed as Profiles;
}

/**
 * Adds or replaces one profile. The file holds private keys: written 0600 through a temporary
 * file and a rename, so a crash never leaves half a file and other users never read it.
 */
export function saveProfile(name: string, profile: Profile, path = profilesPath()): string {
  const profiles = { ...readProfiles(path), [name]: profile };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(profiles, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return path;
}
