import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { parsePublicKey } from '../crypto/rsa.js';
import { SeedSchema, type AppKeyField, type Seed, type SeedApp, type SeedFault } from './schema.js';

/** A seed file that cannot be read, parsed, validated or applied; the message names the file and the field. */
export class SeedError extends Error {}

/** An app's key as text: exactly one of the two, every `*_file` already read. */
export type LoadedAppKey = { public_key: string; private_key?: undefined } | { private_key: string; public_key?: undefined };

export type LoadedApp = Omit<SeedApp, AppKeyField> & LoadedAppKey;

/** A validated seed with all key files read, so applying it never touches the filesystem. */
export interface LoadedSeed {
  /** The seed file's path as given; every error message names it. */
  source: string;
  platform?: { private_key: string };
  apps: LoadedApp[];
  /** Fault rules, when the file lists any (an absent list leaves earlier seed rules alone). */
  faults?: SeedFault[];
}

type PathSegment = PropertyKey;

/** `['apps', 1, 'sign_type']` → `apps[1].sign_type`: how a reader would point at the field in JS. */
export function fieldPath(segments: readonly PathSegment[]): string {
  return segments.reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    const name = String(segment);
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) return `${out}[${JSON.stringify(name)}]`;
    return out === '' ? name : `${out}.${name}`;
  }, '');
}

export function seedError(source: string, path: readonly PathSegment[], message: string): SeedError {
  const where = path.length > 0 ? `${fieldPath(path)}: ` : '';
  return new SeedError(`seed file ${source}: ${where}${message}`);
}

export function loadSeedFile(path: string): LoadedSeed {
  const seed = parseSeed(path, readSeedText(path));
  const baseDir = dirname(path);
  return {
    source: path,
    ...(seed.platform ? { platform: { private_key: loadPlatformKey(path, baseDir, seed.platform) } } : {}),
    apps: seed.apps.map((app, index) => loadApp(path, baseDir, app, index)),
    ...(seed.faults ? { faults: seed.faults } : {}),
  };
}

function readSeedText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new SeedError(`seed file ${path}: cannot read: ${errorCode(err)}`);
  }
}

function parseSeed(path: string, text: string): Seed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SeedError(`seed file ${path}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = SeedSchema.safeParse(json);
  if (!parsed.success) throw new SeedError(`seed file ${path}: ${parsed.error.issues.flatMap(describeIssue).join('; ')}`);
  return parsed.data;
}

/** Zod reports unknown keys on the object; the reader wants the path of the key itself. */
function describeIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${fieldPath([...issue.path, key])}: unknown key`);
  return [issue.path.length > 0 ? `${fieldPath(issue.path)}: ${issue.message}` : issue.message];
}

function loadPlatformKey(source: string, baseDir: string, platform: NonNullable<Seed['platform']>): string {
  const [field, text] = keyText(source, baseDir, ['platform'], platform);
  checkRsa(source, ['platform', field], 'private', () => createPrivateKey(text));
  return text;
}

function loadApp(source: string, baseDir: string, app: SeedApp, index: number): LoadedApp {
  const { public_key, public_key_file, private_key, private_key_file, ...settings } = app;
  const at = ['apps', index];
  const [field, text] = keyText(source, baseDir, at, { public_key, public_key_file, private_key, private_key_file });
  if (field === 'public_key' || field === 'public_key_file') {
    checkRsa(source, [...at, field], 'public', () => parsePublicKey(text));
    return { ...settings, public_key: text };
  }
  checkRsa(source, [...at, field], 'private', () => createPrivateKey(text));
  return { ...settings, private_key: text };
}

/** The one key field the schema let through, with a `*_file` replaced by the file's text. */
function keyText(source: string, baseDir: string, at: PathSegment[], fields: Partial<Record<AppKeyField, string>>): [AppKeyField, string] {
  const given = Object.entries(fields).find(([, value]) => value !== undefined) as [AppKeyField, string] | undefined;
  if (!given) throw seedError(source, at, 'no key given');
  const [field, value] = given;
  if (!field.endsWith('_file')) return [field, value];
  try {
    return [field, readFileSync(resolve(baseDir, value), 'utf8')];
  } catch (err) {
    throw seedError(source, [...at, field], `cannot read ${value} (${errorCode(err)})`);
  }
}

function checkRsa(source: string, path: PathSegment[], half: 'public' | 'private', parse: () => KeyObject): void {
  let key: KeyObject;
  try {
    key = parse();
  } catch {
    throw seedError(source, path, `not a valid ${half} key (${half === 'public' ? 'PEM or Base64 SPKI' : 'PEM'})`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw seedError(source, path, `not an RSA ${half} key (it is ${key.asymmetricKeyType ?? 'of unknown type'})`);
}

function errorCode(err: unknown): string {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}
