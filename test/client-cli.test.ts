import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seedInitializeBiz } from './support/harness.js';
import { REPO_ROOT, spawnServe } from './support/serve.js';

const run = promisify(execFile);

describe('aopgate call', () => {
  test('apps create --save-profile, then signed calls through the typed client (v2 and v3), the string-to-sign on request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aopgate-call-'));
    const server = await spawnServe(['--data', dir]);
    const env = { ...process.env, AOPGATE_PROFILES: join(dir, 'profiles.json'), AOPGATE_LOG_LEVEL: 'silent' };
    const cli = (...args: string[]) => run(process.execPath, ['bin/aopgate.js', ...args], { cwd: REPO_ROOT, env });
    try {
      await cli('apps', 'create', '--data', dir, '--save-profile', 'ci', '--gateway', `${server.url}/gateway.do`, '--json');
      assert.equal(statSync(join(dir, 'profiles.json')).mode & 0o777, 0o600, 'the profile file holds a private key');
      const v2 = await cli(
        'call',
        'zhima.customer.certification.initialize',
        '--biz',
        JSON.stringify(seedInitializeBiz()),
        '--profile',
        'ci',
        '--show-sign-string',
      );
      assert.match(v2.stdout + v2.stderr, /app_id=\d+&biz_content=/, 'the string-to-sign is shown');
      const answer = JSON.parse(v2.stdout.slice(v2.stdout.indexOf('{')));
      assert.equal(answer.code, '10000');
      assert.match(answer.biz_no, /\w+/);
      const v3 = await cli('call', 'zhima.customer.certification.query', '--biz', JSON.stringify({ biz_no: answer.biz_no }), '--profile', 'ci', '--v3');
      assert.equal(JSON.parse(v3.stdout.slice(v3.stdout.indexOf('{'))).passed, 'false');
      const failed = await cli('call', 'zhima.customer.certification.query', '--biz', '{"biz_no":"nope"}', '--profile', 'ci').catch(
        (e: { code: number; stderr: string; stdout: string }) => e,
      );
      assert.equal((failed as { code: number }).code, 2);
      assert.match(`${(failed as { stderr: string }).stderr}${(failed as { stdout: string }).stdout}`, /ILLEGAL_INVOKE/);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
