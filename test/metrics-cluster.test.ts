import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:cluster';
import pino from 'pino';
import { Counter, Registry } from 'prom-client';
import { answerScrape, joinClusterMetrics, type MetricsMessage } from '../src/metrics/cluster.js';

/** A cluster Worker as the primary sees it: `send` delivers to `onMessage`, whose answers come back as 'message'. */
function fakeWorker(onMessage: (m: MetricsMessage, reply: (r: MetricsMessage) => void) => void) {
  const w = new EventEmitter() as EventEmitter & { sent: MetricsMessage[]; send: Worker['send']; isConnected: () => boolean };
  w.sent = [];
  w.isConnected = () => true;
  w.send = ((m: MetricsMessage, cb?: (e: Error | null) => void) => {
    w.sent.push(m);
    onMessage(m, (r) => setImmediate(() => w.emit('message', r)));
    cb?.(null);
    return true;
  }) as Worker['send'];
  return w;
}

async function registryWithCalls(n: number): Promise<Registry> {
  const registry = new Registry();
  new Counter({ name: 'aopgate_calls_total', help: 'calls', registers: [registry] }).inc(n);
  return registry;
}

test('the primary merges the workers that answer and leaves out one that stays silent (missing: 1)', { timeout: 10_000 }, async () => {
  const answering = await registryWithCalls(7);
  const worker = fakeWorker((m, reply) => {
    if (m.aopgate === 'metrics-collect') void answering.getMetricsAsJSON().then((metrics) => reply({ aopgate: 'metrics-collected', id: m.id, metrics }));
  });
  const silent = fakeWorker(() => {});
  const asker = fakeWorker(() => {});
  await answerScrape(asker as unknown as Worker, 41, [worker, silent] as unknown as Worker[]);
  const answer = asker.sent.at(-1)!;
  assert.equal(answer.aopgate, 'metrics-aggregated');
  assert.ok('text' in answer, JSON.stringify(answer));
  assert.equal(answer.id, 41);
  assert.equal(answer.missing, 1);
  assert.match(answer.text, /^aopgate_calls_total 7$/m);
});

test('with no worker answering, the asking worker is told so (it then answers with its own metrics)', { timeout: 10_000 }, async () => {
  const asker = fakeWorker(() => {});
  await answerScrape(asker as unknown as Worker, 42, [fakeWorker(() => {})] as unknown as Worker[]);
  const answer = asker.sent.at(-1)!;
  assert.ok('error' in answer && answer.aopgate === 'metrics-aggregated', JSON.stringify(answer));
});

test('a worker with no primary to ask answers its own metrics and logs a warning, without hanging', { timeout: 10_000 }, async () => {
  assert.equal(process.send, undefined, 'this test runs outside a cluster');
  const warnings: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
  const scrape = joinClusterMetrics(await registryWithCalls(3), log);
  assert.match(await scrape(), /^aopgate_calls_total 3$/m);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /this worker's metrics only/);
});
