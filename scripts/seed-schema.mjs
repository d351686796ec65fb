// Writes schema/aopgate.seed.schema.json from the seed file's Zod schema, so editors can validate seed files.
// Run: node --import tsx scripts/seed-schema.mjs (test/seed.test.ts fails when the shipped file drifts).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { seedJsonSchema } from '../src/seed/schema.ts';

const target = fileURLToPath(new URL('../schema/aopgate.seed.schema.json', import.meta.url));
// Formatted the way Prettier would, so `npm run lint` (prettier --check .) passes on the generated file.
const options = { ...(await resolveConfig(target)), filepath: target };
writeFileSync(target, await format(`${JSON.stringify(seedJsonSchema(), null, 2)}\n`, options));
console.log(`wrote ${target}`);
