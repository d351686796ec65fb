import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerApp, type NewApp } from '../../src/apps.js';
import { CONTRACTS, type Contract } from '../../src/contracts/index.js';
import type { Config } from '../../src/config.js';
import type { Clock } from '../../src/domain/clock.js';
import type { MethodRegistry } from '../../src/protocol/method.js';
import type { GatewayHook } from '../../src/protocol/hooks.js';
import type { Logger } from 'pino';
import { startGateway, type RunningGateway } from '../../src/runtime.js';
import { buildSignedParams, send, type CallOptions, type TestApp } from './client.js';
import { readResponse, type ReadResponse } from './response.js';
import { officialSdk } from './sdk.js';
import type { AlipaySdk, AlipaySdkConfig } from 'alipay-sdk';
import { SEED_CERT_NO, SEED_NAME } from './identity.js';

export interface TestGateway extends RunningGateway {
  dataDir: string;
  alipayPublicKey: string;
  createApp(input?: NewApp): Promise<TestApp>;
  /** Signs and sends a call like an SDK, then reads and verifies the response. */
  call(app: TestApp, method: string, biz: unknown, opts?: CallOptions): Promise<ReadResponse & { status: number; headers: Headers }>;
  /** The official Node SDK configured for this gateway and app. */
  sdk(app: TestApp, extra?: Partial<AlipaySdkConfig>): AlipaySdk;
  stop(): Promise<void>;
}

export async function startTestGateway(
  overrides: Partial<Config> = {},
  opts: { clock?: Clock; registry?: MethodRegistry; log?: Logger; hooks?: readonly GatewayHook[] } = {},
): Promise<TestGateway> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'aopgate-test-'));
  const gw = await startGateway({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...overrides, dataDir }, opts);
  const alipayPublicKey = gw.services.platform.publicKeyPem;
  return {
    ...gw,
    dataDir,
    alipayPublicKey,
    async createApp(input: NewApp = {}) {
      const { app, privateKeyPem } = await registerApp(gw.services.store, input, Date.now());
      if (!privateKeyPem) throw new Error('createApp in tests needs a generated key');
      return { appId: app.appId, privateKeyPem, signType: app.signType };
    },
    async call(app, method, biz, opts = {}) {
      const params = buildSignedParams(app, method, biz, opts);
      const res = await send(gw.url, params, opts);
      const charset = opts.charset ?? 'utf-8';
      const read = readResponse(res.body, method, alipayPublicKey, app.signType, charset);
      checkAgainstContract(method, read.node);
      return { ...read, status: res.status, headers: res.headers };
    },
    sdk(app, extra = {}) {
      return officialSdk(gw.url, app, alipayPublicKey, extra);
    },
    async stop() {
      await gw.close();
      if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every success answer a test receives must match its method's declared response schema. */
function checkAgainstContract(method: string, node: Record<string, unknown>) {
  const contract = (CONTRACTS as Record<string, Contract>)[method];
  if (!contract || node.code !== '10000') return;
  const parsed = contract.response.safeParse(node);
  if (!parsed.success) throw new Error(`${method} answered outside its response schema: ${parsed.error.message}\n${JSON.stringify(node)}`);
}

/** The seed's own example request (test/fixtures/seeds/zhima.customer.certification.initialize.json). */
export function seedInitializeBiz(transactionId = `ZGYD${Date.now()}${Math.floor(Math.random() * 1e6)}`) {
  return {
    transaction_id: transactionId.slice(0, 32),
    product_code: 'w1010100000000002978',
    biz_code: 'FACE',
    identity_param: JSON.stringify({ identity_type: 'CERT_INFO', cert_type: 'IDENTITY_CARD', cert_name: SEED_NAME, cert_no: SEED_CERT_NO }),
    merchant_config: '{}',
    ext_biz_param: '{}',
    linked_merchant_id: '2088721630869411',
  };
}

/**
 * One gateway and one app for a whole describe block: started before its tests, stopped after.
 * Read `ctx.gw` / `ctx.app` inside tests (they are set once `before` ran).
 */
export function useGateway(overrides: Partial<Config> = {}, app: NewApp = {}): { gw: TestGateway; app: TestApp } {
  const ctx = {} as { gw: TestGateway; app: TestApp };
  before(async () => {
    ctx.gw = await startTestGateway(overrides);
    ctx.app = await ctx.gw.createApp(app);
  });
  after(() => ctx.gw.stop());
  return ctx;
}
