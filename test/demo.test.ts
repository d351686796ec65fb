import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlipaySdk } from 'alipay-sdk';
import { seedInitializeBiz } from './support/harness.js';
import { spawnServe } from './support/serve.js';

/** `npm start` = `aopgate serve --demo`: the printed demo configuration works as pasted, and survives a restart. */

test('the demo app printed by serve --demo answers the Node SDK snippet, before and after a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-demo-'));
  try {
    for (let round = 0; round < 2; round++) {
      const server = await spawnServe(['--demo', '--data', dataDir]);
      try {
        const field = (name: string) => new RegExp(`${name}: '([^']+)'`).exec(server.output())?.[1];
        const gateway = field('gateway')!;
        assert.equal(field('appId'), '2021000000000001');
        assert.match(server.output(), /Java \(alipay-sdk-java\)/);
        assert.match(server.output(), /Python \(alipay-sdk-python\)/);
        assert.match(server.output(), /PHP \(alipay-sdk-php, AopClient\)/);
        const sdk = new AlipaySdk({
          appId: field('appId')!,
          privateKey: field('privateKey')!,
          keyType: 'PKCS8',
          alipayPublicKey: field('alipayPublicKey')!,
          gateway,
        });
        const res = await sdk.exec('zhima.customer.certification.initialize', { bizContent: seedInitializeBiz() }, { validateSign: true });
        assert.equal(res.code, '10000', `round ${round}`);
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
