// ESLint 9 flat config: typescript-eslint's `recommended` set (syntax-only, no type information, so it stays fast),
// Prettier owns formatting (eslint-config-prettier switches off the stylistic rules), and the layer boundaries of src/.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------------------------------
// Import boundaries of src/ (layers from top to bottom; imports only go DOWN):
//   cli/, cli.ts, runtime.ts, demo.ts (composition root) → http/, delivery/, seed/ → families/ → protocol/ → contracts/
//   → domain/ → store/ → crypto/, errors/ (leaves); services/config/log are shared plumbing.
//
// A unit is a top-level entry of src/, a folder (`src/http/`) or a module file (`src/config.ts`) that may later grow into
// a folder. An import reaches a unit when its relative specifier walks up with `../` and then enters that unit:
// '../http/server.js', '../../store/store.js', '../config.js', '../config/index.js'. Bare package names never match.
const UNITS = [
  'cli',
  'runtime',
  'demo',
  'apps',
  'http',
  'delivery',
  'seed',
  'journal',
  'faults',
  'metrics',
  'client',
  'families',
  'protocol',
  'contracts',
  'domain',
  'store',
  'crypto',
  'errors',
  'services',
  'config',
  'log',
];

// API families (src/families/<name>/). A family may not import another family.
const FAMILIES = ['zhima', 'risk', 'certify-open', 'face'];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (names) => `(?:${names.map(escape).join('|')})`;
const allExcept = (...keep) => UNITS.filter((u) => !keep.includes(u));

/** A relative import that walks up (`../`, `../../`, …) and enters one of `names` (a folder, or a `name.js` module). */
const reaching = (names, message) => ({
  regex: `^(?:\\.\\./)+${anyOf(names)}(?:/|\\.js$|$)`,
  message,
});

/** Any package import (bare specifier or `node:` built-in) other than `allowed`. */
const packagesExcept = (allowed, message) => ({ regex: `^(?![./])(?!${anyOf(allowed)}(?:/|$))`, message });

// One object per folder rule. `dir` is the folder the rule applies to (every file below it); `forbid` lists the units
// its files must not import; `packages`, if given, is the only list of npm packages / built-ins they may import;
// `patterns` adds raw no-restricted-imports patterns. A rule for a sub-folder (src/families/zhima) also carries every
// rule of the folders above it (src/families), since flat config would otherwise replace the rule's options.
const BOUNDARIES = [
  {
    dir: 'src/http',
    forbid: ['cli', 'runtime', 'demo', 'delivery', 'seed'],
    message: 'src/http/ is the Fastify wiring: it sits under the composition root (cli/, runtime.ts) and may not import it.',
  },
  {
    dir: 'src/delivery',
    forbid: ['http', 'seed', 'families', 'protocol', 'contracts', 'cli', 'runtime', 'demo'],
    message:
      'src/delivery/ sends the notification outbox: it may use domain/, store/, crypto/ and services, never the HTTP layer, the API families or the composition root.',
  },
  {
    dir: 'src/client',
    forbid: allExcept('client', 'crypto', 'contracts'),
    message: 'src/client/ is the typed client (aopgate/client): Node built-ins and src/crypto/ at run time, the contracts as types only.',
    patterns: [
      {
        regex: '^(?![./])(?!node:)',
        message: 'src/client/ has no runtime dependency beyond Node: import node: built-ins only (types of zod are fine).',
        allowTypeImports: true,
      },
      {
        regex: '^(?:\\.\\./)+contracts/',
        message: 'src/client/ reads the contracts as types only (import type): zod must not load at run time.',
        allowTypeImports: true,
      },
      {
        regex: '^(?:\\.\\./)+crypto/(?!aes\\.js$|certificates\\.js$|der\\.js$)',
        message: 'src/client/ may use only the dependency-free crypto modules (aes, certificates, der).',
      },
    ],
  },
  {
    dir: 'src/journal',
    forbid: ['http', 'delivery', 'seed', 'faults', 'metrics', 'families', 'contracts', 'cli', 'runtime', 'demo'],
    message:
      'src/journal/ is a gateway hook (journal, signature diagnosis): it may use protocol/, domain/, store/, crypto/ and services, never the HTTP layer, the families or the composition root.',
  },
  {
    dir: 'src/faults',
    forbid: ['http', 'delivery', 'seed', 'journal', 'metrics', 'families', 'contracts', 'cli', 'runtime', 'demo'],
    message:
      'src/faults/ is a gateway hook (fault injection): it may use protocol/, domain/, store/, errors/ and services, never the HTTP layer, the families or the composition root.',
  },
  {
    dir: 'src/metrics',
    forbid: ['http', 'delivery', 'seed', 'journal', 'faults', 'families', 'contracts', 'cli', 'runtime', 'demo'],
    message:
      'src/metrics/ is a gateway hook (Prometheus metrics): it may use protocol/, store/, crypto/ and services, never the HTTP layer, the families or the composition root.',
  },
  {
    dir: 'src/seed',
    forbid: ['http', 'delivery', 'journal', 'metrics', 'protocol', 'cli', 'runtime', 'demo'],
    message: 'src/seed/ applies a seed file to the store: it may use apps.ts, domain/ and store/, never the HTTP layer or the composition root.',
  },
  {
    dir: 'src/families',
    forbid: ['http', 'delivery', 'seed', 'journal', 'faults', 'metrics', 'cli', 'runtime', 'demo'],
    message:
      'src/families/ holds the API families: they may use protocol types, contracts, domain, store, crypto, errors and services, never the HTTP layer or the composition root.',
  },
  ...FAMILIES.map((family) => ({
    dir: `src/families/${family}`,
    patterns: [
      {
        regex: `^(?:\\.\\./)+(?:families/)?${anyOf(FAMILIES.filter((f) => f !== family))}(?:/|\\.js$|$)`,
        message: `src/families/${family}/ may not import another API family: move what they share down into domain/, contracts/ or src/families/*.ts.`,
      },
    ],
  })),
  {
    dir: 'src/protocol',
    forbid: ['families', 'http', 'delivery', 'seed', 'journal', 'faults', 'metrics', 'cli', 'runtime', 'demo'],
    message:
      'src/protocol/ is the gateway core (decode → verify → dispatch → respond): it knows no API method, so it may not import families/, http/ or the composition root.',
    patterns: [
      {
        regex: '^(?:\\.\\./)+contracts/(?!contract\\.js$|json-limits\\.js$)',
        message: "src/protocol/ may know what a contract is (contracts/contract.js) and the JSON bounds (contracts/json-limits.js), never a method's contract.",
      },
    ],
  },
  {
    dir: 'src/contracts',
    forbid: allExcept('contracts', 'errors'),
    packages: ['zod'],
    message:
      'src/contracts/ holds request/response schemas and error tables only: it may import zod, other contracts and src/errors/, nothing of the server (no node: built-ins either).',
  },
  {
    dir: 'src/domain',
    forbid: ['protocol', 'families', 'http', 'delivery', 'seed', 'journal', 'faults', 'metrics', 'cli', 'runtime', 'demo', 'contracts'],
    message: 'src/domain/ is below the gateway: it may not import protocol/, families/, contracts/, http/ or the composition root.',
  },
  {
    dir: 'src/store',
    forbid: ['domain', 'protocol', 'families', 'http', 'delivery', 'seed', 'journal', 'faults', 'metrics', 'cli', 'runtime', 'demo', 'contracts'],
    message: 'src/store/ is persistence only: it may not import domain/, protocol/, families/, contracts/, http/ or the composition root.',
  },
  {
    dir: 'src/crypto',
    forbid: allExcept('crypto', 'errors'),
    message: 'src/crypto/ is a leaf: it may import only src/errors/ (and packages).',
  },
  {
    dir: 'src/errors',
    forbid: allExcept('errors'),
    message: 'src/errors/ is a leaf: it may not import any other folder of src/.',
  },
];

const patternsOf = (b) => [
  ...(b.forbid ? [reaching(b.forbid, b.message)] : []),
  ...(b.packages ? [packagesExcept(b.packages, b.message)] : []),
  ...(b.patterns ?? []),
];

const boundaryBlocks = BOUNDARIES.map((b) => ({
  name: `aopgate/boundaries/${b.dir}`,
  files: [`${b.dir}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', { patterns: BOUNDARIES.filter((a) => b.dir === a.dir || b.dir.startsWith(`${a.dir}/`)).flatMap(patternsOf) }],
  },
}));

// ---------------------------------------------------------------------------------------------------------------------
export default defineConfig([
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'data/', 'test/fixtures/', '.aopgate-test/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'aopgate/base',
    files: ['**/*.{js,mjs,cjs,ts,mts,cts}'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // `any` is an error; where it is really meant, say so with `// eslint-disable-next-line @typescript-eslint/no-explicit-any`.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  ...boundaryBlocks,
  prettier,
]);
