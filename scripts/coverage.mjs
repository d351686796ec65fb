// Line coverage of src/ over the whole test suite: `npm run coverage` (extra arguments go to run-tests.mjs, e.g. one test file).
//
// c8 collects V8 coverage from every process the tests start (NODE_V8_COVERAGE) and maps it back to the TypeScript through the
// source maps tsx emits. Node 20's own --experimental-test-coverage maps the file names but counts interface and type lines
// as unexecuted, and it cannot list files no test loaded, so its percentages are off for .ts.
//
// Every src/**/*.ts file is reported (--all), including those no test loads, except files that hold types only: they have
// no code to run (tsx erases them and `import type` never loads them), and c8 would otherwise show them at 0%.
// Processes started from bin/aopgate.js run the compiled dist/ and are not counted. Exits non-zero if a test fails.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

/** True when the module compiles to nothing but `export {}`: interfaces, type aliases, `import type`. */
const typesOnly = (file) => {
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, removeComments: true },
  });
  return outputText.replace(/export\s*\{\s*\};?/g, '').trim() === '';
};
const typeOnlyFiles = walk(join(root, 'src'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && typesOnly(f))
  .map((f) => relative(root, f).split('\\').join('/'));

const work = mkdtempSync(join(tmpdir(), 'aopgate-coverage-'));
try {
  const c8 = join(root, 'node_modules', 'c8', 'bin', 'c8.js');
  const args = [
    c8,
    '--all',
    '--src=src',
    '--include=src/**/*.ts',
    '--exclude=src/**/*.d.ts',
    ...typeOnlyFiles.map((f) => `--exclude=${f}`),
    '--reporter=text',
    '--reporter=text-summary',
    `--temp-directory=${join(work, 'tmp')}`,
    `--reports-dir=${work}`,
    '--',
    process.execPath,
    join(root, 'scripts', 'run-tests.mjs'),
    ...process.argv.slice(2),
  ];
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (typeOnlyFiles.length > 0) console.log(`(types only, not counted: ${typeOnlyFiles.join(', ')})`);
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
