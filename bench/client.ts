/**
 * Calls per second of aopgate's typed client vs the official alipay-sdk `exec`, against the same
 * running gateway, same method: CONCURRENCY loops each calling back-to-back for SECONDS.
 * Run: node --import tsx bench/client.ts
 */
import { AlipaySdk } from 'alipay-sdk';
import { AopClient } from '../src/client/index.js';
import { startTestGateway } from '../test/support/harness.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const METHOD = 'alipay.security.risk.authentication.query';
const BIZ = { token_id: 'f'.repeat(32) };

async function rate(name: string, once: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await once(); // warm-up: connections, JIT
  let calls = 0;
  const until = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) {
        await once();
        calls++;
      }
    }),
  );
  const perSecond = calls / ((performance.now() - started) / 1000);
  console.log(`${name.padEnd(22)} ${perSecond.toFixed(0).padStart(6)} calls/s (${calls} calls, ${CONCURRENCY} loops, ${SECONDS} s)`);
  return perSecond;
}

const gw = await startTestGateway();
try {
  const app = await gw.createApp();
  const client = new AopClient({ gateway: `${gw.url}/gateway.do`, appId: app.appId, privateKey: app.privateKeyPem, alipayPublicKey: gw.alipayPublicKey });
  const sdk = new AlipaySdk({
    gateway: `${gw.url}/gateway.do`,
    appId: app.appId,
    privateKey: app.privateKeyPem,
    keyType: 'PKCS8',
    alipayPublicKey: gw.alipayPublicKey,
  });
  // The method answers a signed 40004 (no such token): the full sign → verify → sign → verify path, no database growth.
  const ours = () => client.call(METHOD, BIZ).catch((e: unknown) => e);
  const official = () => sdk.exec(METHOD, { bizContent: BIZ });
  const sdkRate = await rate('alipay-sdk exec', official);
  const clientRate = await rate('aopgate/client call', ours);
  console.log(`ratio client / alipay-sdk: ${(clientRate / sdkRate).toFixed(2)}x`);
} finally {
  await gw.stop();
}
