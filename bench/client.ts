/**
 * Calls per second of aopgate's typed client vs the official alipay-sdk `exec`, against the same
 * running gateway, same method: CONCURRENCY loops each calling back-to-back for SECONDS.
 * Run: node --import tsx bench/client.ts
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlipaySdk } from 'alipay-sdk';
import { AopClient } from '../src/client/index.js';

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

/**
 * Pinned as issue #14 asks: the gateway in its own process on core 0, this script (both clients)
 * on core 1, so what is compared is the clients' own cost per call.
 */
const TASKSET = existsSync('/usr/bin/taskset') ? '/usr/bin/taskset' : undefined;
if (TASKSET && !process.env.BENCH_PINNED) {
  const child = spawn(TASKSET, ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  const root = new URL('..', import.meta.url).pathname;
  const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-client-bench-'));
  const created = JSON.parse(
    execFileSync(process.execPath, ['bin/aopgate.js', 'apps', 'create', '--data', dataDir, '--json'], {
      cwd: root,
      env: { ...process.env, AOPGATE_LOG_LEVEL: 'silent' },
    }).toString(),
  );
  const port = 18000 + Math.floor(Math.random() * 2000);
  const serverArgs = [process.execPath, 'bin/aopgate.js', 'serve', '--port', String(port), '--data', dataDir];
  const server = TASKSET
    ? spawn(TASKSET, ['-c', '0', ...serverArgs], { cwd: root, stdio: 'ignore' })
    : spawn(serverArgs[0]!, serverArgs.slice(1), { cwd: root, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const client = new AopClient({
      gateway: `${url}/gateway.do`,
      appId: created.app_id,
      privateKey: created.app_private_key,
      alipayPublicKey: created.alipay_public_key,
    });
    const sdk = new AlipaySdk({
      gateway: `${url}/gateway.do`,
      appId: created.app_id,
      privateKey: created.app_private_key,
      keyType: 'PKCS8',
      alipayPublicKey: created.alipay_public_key,
    });
    // The method answers a signed 40004 (no such token): the full sign → verify → sign → verify path, no database growth.
    const ours = () => client.call(METHOD, BIZ).catch((e: unknown) => e);
    const official = () => sdk.exec(METHOD, { bizContent: BIZ });
    const sdkRate = await rate('alipay-sdk exec', official);
    const clientRate = await rate('aopgate/client call', ours);
    console.log(
      `ratio client / alipay-sdk: ${(clientRate / sdkRate).toFixed(2)}x${TASKSET ? ' (gateway on core 0, clients on core 1)' : ' (taskset missing: not pinned)'}`,
    );
  } finally {
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
