import { readFileSync } from 'node:fs';

/** The project's own copies of the seed documents and the real Alipay vectors (test/fixtures/). */
const FIXTURES = new URL('../fixtures/', import.meta.url);

export interface SeedField {
  path: string;
  type: string;
  required: boolean;
  max_length: number | null;
  description: string;
  example: string | null;
}

export interface SeedDocument {
  method: string;
  request_fields: SeedField[];
  response_fields: SeedField[];
  business_errors: Array<{ sub_code: string; sub_msg: string; solution: string }>;
  /** The document's own request example, as the Java sample sends it. */
  example_biz_content: string;
}

/** The methods that have a seed document; reading any of them must succeed. */
export const SEEDED_METHODS = ['zhima.customer.certification.initialize', 'alipay.security.risk.authentication.initialize'] as const;

export function seedDocument(method: (typeof SEEDED_METHODS)[number]): SeedDocument {
  return JSON.parse(readFileSync(new URL(`seeds/${method}.json`, FIXTURES), 'utf8')) as SeedDocument;
}

export interface Vector {
  name: string;
  kind: string;
  method: string;
  response_key: string;
  public_key_file: string;
  [k: string]: unknown;
}

export function vectors(): Vector[] {
  return (JSON.parse(readFileSync(new URL('vectors/vectors.json', FIXTURES), 'utf8')) as { vectors: Vector[] }).vectors;
}

export function vector(name: string): Vector {
  const found = vectors().find((v) => v.name === name);
  if (!found) throw new Error(`no vector ${name} in test/fixtures/vectors/vectors.json`);
  return found;
}

export const vectorFile = (file: string): string => readFileSync(new URL(`vectors/${file}`, FIXTURES), 'utf8');
