import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestGateway, type TestGateway } from './support/harness.js';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const BUDGET_BYTES = 60 * 1024;

async function get(gw: TestGateway, path: string): Promise<{ res: Response; text: string }> {
  const res = await fetch(`${gw.url}${path}`);
  return { res, text: await res.text() };
}

/**
 * Every HTML sink in the script: `innerHTML =`, `outerHTML =`, `insertAdjacentHTML(…)`,
 * `document.write(…)` / `writeln`. Each may appear only with a constant empty string.
 */
function htmlSinks(js: string): string[] {
  const sink = /\b(?:innerHTML|outerHTML)\s*\+?=\s*([^;\n]*)|\binsertAdjacentHTML\s*\(([^)]*)\)|\bdocument\s*\.\s*write(?:ln)?\s*\(([^)]*)\)/g;
  const offending: string[] = [];
  for (const m of js.matchAll(sink)) {
    const argument = (m[1] ?? m[3] ?? m[2]?.split(',').slice(1).join(',') ?? '').trim();
    if (!/^(?:''|""|``)$/.test(argument)) offending.push(m[0]);
  }
  return offending;
}

describe('browser console assets', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ adminToken: 'x' });
  });
  after(() => gw.stop());

  for (const [path, type] of [
    ['/console', 'text/html'],
    ['/console/', 'text/html'],
    ['/console/console.js', 'text/javascript'],
    ['/console/console.css', 'text/css'],
  ] as const) {
    test(`GET ${path}: ${type}, exact CSP, nosniff, no token needed`, async () => {
      const { res } = await get(gw, path);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), `${type}; charset=utf-8`);
      assert.equal(res.headers.get('content-security-policy'), CSP);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      if (type === 'text/html') assert.equal(res.headers.get('cache-control'), 'no-store');
    });
  }

  test('the page loads its script and stylesheet from their routes and has nothing inline', async () => {
    const { text } = await get(gw, '/console');
    assert.match(text, /<script type="module" src="\/console\/console\.js"><\/script>/);
    assert.match(text, /<link rel="stylesheet" href="\/console\/console\.css">/);
    assert.doesNotMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(text, /<style|\sstyle=|\son[a-z]+=/i, 'no inline style or handler');
    assert.doesNotMatch(text, /<img|(?:src|href)="(?:https?:)?\/\//, 'no images, nothing loaded from elsewhere');
  });

  test(`the whole console stays under ${BUDGET_BYTES / 1024} KB`, async () => {
    let total = 0;
    for (const path of ['/console', '/console/console.js', '/console/console.css']) total += Buffer.byteLength((await get(gw, path)).text);
    assert.ok(total < BUDGET_BYTES, `console is ${total} bytes`);
  });

  test('the served script parses as an ES module (node --check)', async () => {
    const { text } = await get(gw, '/console/console.js');
    const dir = mkdtempSync(join(tmpdir(), 'aopgate-console-'));
    try {
      const file = join(dir, 'console.mjs');
      writeFileSync(file, text);
      await promisify(execFile)(process.execPath, ['--check', file]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the script writes no HTML: innerHTML/outerHTML/insertAdjacentHTML/document.write only with a constant empty string', async () => {
    const { text } = await get(gw, '/console/console.js');
    assert.deepEqual(htmlSinks(text), []);
    // The scan itself finds what it should.
    assert.deepEqual(htmlSinks("a.innerHTML = name; b.innerHTML = ''; c.insertAdjacentHTML('beforeend', x); document.write(y)").length, 3);
  });

  test('the admin API the console calls still needs the token', async () => {
    assert.equal((await fetch(`${gw.url}/admin/apps`)).status, 401);
    assert.equal((await fetch(`${gw.url}/admin/apps`, { headers: { authorization: 'Bearer x' } })).status, 200);
  });
});
