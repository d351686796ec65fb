// `prepare` compiles dist/ on `npm ci`. It also runs whenever npx installs this checkout as a
// file: package (`npx aopgate …` from the checkout, first time per npx cache), and tsc rewriting
// dist/ in place there broke every aopgate process starting at that moment (a module read
// half-written: "does not provide an export named …"). npx needs dist/ to exist, not to be rebuilt.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

if (process.env.npm_command === 'exec' && existsSync('dist/cli/index.js')) process.exit(0);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
