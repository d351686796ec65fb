import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { buildSignedParams, formEncode, postRaw, send } from './support/client.js';
import { seedInitializeBiz, startTestGateway, useGateway, type TestGateway } from './support/harness.js';
import { ADMIN_TOKEN, admin, until } from './support/notify-flow.js';
import { createTestDatabase } from './support/pg.js';
import { needPostgres } from './support/requirements.js';
import { readResponse } from './support/response.js';
import { riskBiz } from './support/risk.js';
import { spawnServe } from './support/serve.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INIT = 'zhima.customer.certification.initialize';
const noPostgres = await needPostgres();

/** A raw TCP client: resolves when the server closes the connection (the hang guard is not a timing). */
function rawClient(gw: TestGateway, lines: string): { socket: Socket; closed: Promise<string> } {
  const { port } = new URL(gw.url);
  const socket = connect(Number(port), '127.0.0.1');
  let received = '';
  socket.on('data', (d) => (received += d.toString()));
  socket.write(lines);
  const closed = new Promise<string>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error('the server never closed the connection')), 10_000);
    socket.on('close', () => {
      clearTimeout(guard);
      resolve(received);
    });
    socket.on('error', () => {});
  });
  return { socket, closed };
}

describe('bounded connections', () => {
  test('a stalled body and a header drip are cut at their timeouts while other clients are served', async () => {
    const gw = await startTestGateway({ requestTimeoutMs: 500, headersTimeoutMs: 500 });
    try {
      const app = await gw.createApp();
      const body = rawClient(
        gw,
        'POST /gateway.do HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\napp_id=1',
      );
      const headers = rawClient(gw, 'POST /gateway.do HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      const meanwhile = await gw.call(app, INIT, seedInitializeBiz());
      assert.equal(meanwhile.node.code, '10000', 'served while two connections stall');
      await body.closed;
      await headers.closed;
    } finally {
      await gw.stop();
    }
  });

  test('SIGTERM with a stalled upload still exits 0, after the grace', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aopgate-term-'));
    const server = await spawnServe(['--data', dataDir], { AOPGATE_SHUTDOWN_GRACE_MS: '300', AOPGATE_REQUEST_TIMEOUT_MS: '60000' });
    try {
      const { port } = new URL(server.url);
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('error', () => {});
      socket.write('POST /gateway.do HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\napp_id=1');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(await server.stop('SIGTERM'), 0);
      socket.destroy();
    } finally {
      await server.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('during shutdown a keep-alive client gets an Alipay answer or a closed connection, never a 503', async () => {
    const gw = await startTestGateway({ adminToken: ADMIN_TOKEN });
    const app = await gw.createApp();
    await admin(gw, 'POST', '/admin/faults', { app_id: app.appId, latency_ms: 400, count: 1 });
    const slow = send(gw.url, buildSignedParams(app, INIT, seedInitializeBiz()));
    await new Promise((r) => setTimeout(r, 100));
    const closing = gw.close();
    const during = await send(gw.url, buildSignedParams(app, INIT, seedInitializeBiz())).catch((e: Error) => e);
    if (!(during instanceof Error)) {
      assert.equal(during.status, 200);
      assert.ok(readResponse(during.body, INIT, gw.alipayPublicKey).node.code);
    }
    assert.equal((await slow).status, 200, 'the call in flight is answered');
    await closing;
  });
});

describe('bombs and bad bytes', () => {
  const ctx = useGateway();

  test('130,000 parameters: one signed 40002, the gateway stays up', async () => {
    const { gw, app } = ctx;
    const params = buildSignedParams(app, INIT, seedInitializeBiz());
    const bomb = `${formEncode(params)}&${Array.from({ length: 130_000 }, (_, i) => `p${i}=1`).join('&')}`;
    const res = await postRaw(gw.url, bomb, 'application/x-www-form-urlencoded');
    const read = readResponse(res.body, INIT, gw.alipayPublicKey);
    assert.deepEqual([read.node.code, read.node.sub_code, read.node.sub_msg], ['40002', 'isv.invalid-parameter', '请求参数个数超过上限']);
    assert.ok(read.signatureValid, 'signed: app_id came first');
    assert.equal((await gw.call(app, INIT, seedInitializeBiz())).node.code, '10000');
  });

  test('deep JSON: nested objects in a field and a million-deep biz_content are parameter errors, signed', async () => {
    const { gw, app } = ctx;
    const depth = 20_000;
    const deepField = JSON.stringify({ ...seedInitializeBiz(), merchant_config: '__X__' }).replace('"__X__"', '{"a":'.repeat(depth) + '{}' + '}'.repeat(depth));
    const field = await gw.call(app, INIT, deepField);
    assert.deepEqual([field.node.code, field.node.sub_code], ['40004', 'INVALID_PARAMETER']);
    assert.ok(field.signatureValid);
    const risk = riskBiz();
    risk.biz_info = '{"a":'.repeat(100) + '1' + '}'.repeat(100);
    const inJsonString = await gw.call(app, 'alipay.security.risk.authentication.initialize', risk);
    assert.equal(inJsonString.node.code, '40004', 'a JSON-in-JSON string nested too deep');
    const million = '['.repeat(500_000) + ']'.repeat(500_000);
    const whole = await gw.call(app, INIT, million);
    assert.deepEqual([whole.node.code, whole.node.sub_code], ['40004', 'INVALID_PARAMETER']);
  });

  test('a NUL in charset is answered signed (the app is known)', async () => {
    const { gw, app } = ctx;
    const params = buildSignedParams(app, INIT, seedInitializeBiz(), { params: { charset: 'utf-8\0' } });
    const res = await postRaw(gw.url, formEncode(params), 'application/x-www-form-urlencoded');
    const read = readResponse(res.body, INIT, gw.alipayPublicKey);
    assert.equal(read.node.code, '40002');
    assert.ok(read.signatureValid);
  });
});

/** One answer per input, whatever the backend. */
function nulSuite(name: string, overrides: () => Promise<{ databaseUrl?: string; drop?: () => Promise<void> }>) {
  test(`NUL bytes in app_id and inside biz_content get the same clean answers (${name})`, async () => {
    const db = await overrides();
    const gw = await startTestGateway(db.databaseUrl ? { databaseUrl: db.databaseUrl } : {});
    try {
      const app = await gw.createApp();
      const badApp = buildSignedParams(app, INIT, seedInitializeBiz(), { params: { app_id: `${app.appId}\0` } });
      const r1 = readResponse((await postRaw(gw.url, formEncode(badApp), 'application/x-www-form-urlencoded')).body, INIT, gw.alipayPublicKey);
      assert.deepEqual([r1.node.code, r1.node.sub_code], ['40002', 'isv.invalid-parameter']);
      const risk = riskBiz({ callBackUrl: 'https://m.example/cb\u0000x' });
      const r2 = await gw.call(app, 'alipay.security.risk.authentication.initialize', risk);
      assert.deepEqual([r2.node.code, r2.node.sub_code, r2.signatureValid], ['40002', 'isv.invalid-parameter', true]);
      assert.equal((await gw.call(app, INIT, seedInitializeBiz())).node.code, '10000');
    } finally {
      await gw.stop();
      await db.drop?.();
    }
  });
}

describe('NUL bytes per backend', () => {
  nulSuite('SQLite', async () => ({}));
  if (!noPostgres)
    nulSuite('PostgreSQL', async () => {
      const db = await createTestDatabase();
      return { databaseUrl: db.url, drop: db.drop };
    });
});

describe('aborted uploads', () => {
  test('cost no log line and no lookup', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) }));
    const gw = await startTestGateway({}, { log });
    try {
      for (let i = 0; i < 20; i++) {
        const { port } = new URL(gw.url);
        const s = connect(Number(port), '127.0.0.1');
        s.on('error', () => {});
        s.write('POST /gateway.do?app_id=2021000000000001 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc');
        await new Promise((r) => setTimeout(r, 10));
        s.destroy();
      }
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(
        lines.filter((l) => l.includes('gateway call')),
        [],
      );
    } finally {
      await gw.stop();
    }
  });
});

describe('more bounds', () => {
  test('connections beyond AOPGATE_MAX_CONNECTIONS are closed at once; the others are served', async () => {
    const gw = await startTestGateway({ maxConnections: 2 });
    try {
      const held = [rawClient(gw, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'), rawClient(gw, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')];
      await new Promise((r) => setTimeout(r, 100));
      const third = rawClient(gw, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      assert.equal(await third.closed, '', 'closed without an answer');
      for (const h of held) h.socket.destroy();
      await Promise.all(held.map((h) => h.closed));
    } finally {
      await gw.stop();
    }
  });

  test('a call answered by the error handler logs its real latency (from the first byte)', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) }));
    const gw = await startTestGateway({ bodyLimitBytes: 1024 }, { log });
    try {
      const { port } = new URL(gw.url);
      const s = connect(Number(port), '127.0.0.1');
      s.on('error', () => {});
      // Chunked, so the limit is only found out once the slow second chunk arrives.
      s.write(
        `POST /gateway.do HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n${'a'.repeat(600)}\r\n`,
      );
      await new Promise((r) => setTimeout(r, 300));
      s.write(`578\r\n${'b'.repeat(1400)}\r\n0\r\n\r\n`);
      await until(
        async () => lines.filter((l) => l.includes('gateway call')),
        (l) => l.length === 1,
        'the log line',
      );
      const entry = JSON.parse(lines.find((l) => l.includes('gateway call'))!);
      assert.equal(entry.sub_code, 'isv.invalid-parameter');
      assert.ok(entry.latency_ms >= 250, `latency ${entry.latency_ms} ms counts the slow upload`);
      s.destroy();
    } finally {
      await gw.stop();
    }
  });
});
