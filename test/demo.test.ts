import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlipaySdk } from 'alipay-sdk';
import { seedInitializeBiz } from './support/harness.js';

const root = new URL('..', import.meta.url).pathname;

/** `npm start` = `aopgate serve --demo`: the printed demo configuration works as pasted, and survives a restart. */
async function serveDemo(dataDir: string): Promise<{ out: string; stop(): void }> {
  const child = spawn(process.execPath, ['bin/aopgate.js', 'serve', '--demo', '--port', '0', '--data', dataDir], { cwd: root, env: { ...process.env, AOPGATE_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const out = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d) => {
      text += d;
      if (text.includes('aopgate listening')) resolve(text);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
  });
  return { out, stop: () => child.kill('SIGTERM') };
}

test('the demo app printed by serve --demo answers the Node SDK snippet, before and after a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-demo-'));
  try {
    for (let round = 0; round < 2; round++) {
      const server = await serveDemo(dataDir);
      try {
        const field = (name: string) => new RegExp(`${name}: '([^']+)'`).exec(server.out)?.[1];
        const gateway = field('gateway')!;
        assert.equal(field('appId'), '2021000000000001');
        assert.match(server.out, /Java \(alipay-sdk-java\)/);
        assert.match(server.out, /Python \(alipay-sdk-python\)/);
        assert.match(server.out, /PHP \(alipay-sdk-php, AopClient\)/);
        const sdk = new AlipaySdk({ appId: field('appId')!, privateKey: field('privateKey')!, keyType: 'PKCS8', alipayPublicKey: field('alipayPublicKey')!, gateway });
        const res = await sdk.exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true });
        assert.equal(res.code, '10000', `round ${round}`);
      } finally {
        server.stop();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
