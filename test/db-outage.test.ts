import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { seedInitializeBiz, startTestGateway, type TestGateway } from './support/harness.js';
import { createTestDatabase } from './support/pg.js';
import { needPostgres } from './support/requirements.js';
import { startTcpProxy, type LinkMode } from './support/tcp-proxy.js';
import { until } from './support/notify-flow.js';

const INIT = 'zhima.customer.certification.initialize';

/** PostgreSQL behind a proxy the test controls: refused, black-holed, then restored. */
describe('a database outage', { skip: await needPostgres() }, () => {
  for (const mode of ['refuse', 'blackhole'] as LinkMode[]) {
    test(`${mode}: answers stay signed 20000 and bounded, /readyz says not ready, service returns without a restart`, async () => {
      const db = await createTestDatabase();
      const target = new URL(db.url);
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const proxied = new URL(db.url);
      proxied.port = String(proxy.port);
      let gw: TestGateway | undefined;
      try {
        gw = await startTestGateway({ databaseUrl: proxied.toString(), pgConnectTimeoutMs: 500, pgQueryTimeoutMs: 500 });
        const app = await gw.createApp();
        const sdk = gw.sdk(app);
        assert.equal((await sdk.exec(INIT, { bizContent: seedInitializeBiz() }, { validateSign: true })).code, '10000');
        assert.equal((await fetch(`${gw.url}/readyz`)).status, 200);

        proxy.set(mode);
        for (let i = 0; i < 3; i++) {
          const started = Date.now();
          const res = await sdk.exec(INIT, { bizContent: seedInitializeBiz() }, { validateSign: true });
          const took = Date.now() - started;
          assert.deepEqual([res.code, res.subCode], ['20000', 'isp.unknow-error'], 'signed: validateSign passed');
          // A hang guard with room to spare, not a benchmark: the bound is two timeouts (about 1 s here).
          assert.ok(took < 4000, `answered in ${took} ms`);
        }
        const ready = await fetch(`${gw.url}/readyz`);
        assert.equal(ready.status, 503);
        assert.equal((await fetch(`${gw.url}/healthz`)).status, 200, 'liveness is not readiness');

        proxy.set('pass');
        await until(
          async () => (await fetch(`${gw!.url}/readyz`)).status,
          (s) => s === 200,
          'ready again',
        );
        const back = await sdk.exec(INIT, { bizContent: seedInitializeBiz() }, { validateSign: true });
        assert.equal(back.code, '10000', 'served again, no restart');
      } finally {
        await gw?.stop();
        await proxy.close();
        await db.drop();
      }
    });
  }
});
