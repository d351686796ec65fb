import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTRACTS } from '../src/contracts/index.js';
import { METHODS } from '../src/families/index.js';
import { SEEDED_METHODS, seedDocument } from './support/fixtures.js';
import { seedInitializeBiz, useGateway } from './support/harness.js';
import { riskBiz } from './support/risk.js';
import { certifyOpenScenarios } from './scenarios/certify-open.js';
import { faceScenarios } from './scenarios/face.js';
import { openScenarios } from './scenarios/open.js';
import { riskScenarios } from './scenarios/risk.js';
import { zhimaScenarios } from './scenarios/zhima.js';
import type { ScenarioTable } from './scenarios/common.js';

describe('method contracts', () => {
  test('every registered method has its contract in CONTRACTS, and every contract is served', () => {
    assert.deepEqual(METHODS.map((m) => m.contract.method).sort(), Object.keys(CONTRACTS).sort());
    for (const m of METHODS) assert.equal(CONTRACTS[m.contract.method as keyof typeof CONTRACTS], m.contract);
  });

  for (const method of SEEDED_METHODS) {
    test(`${method}: the closed error table is exactly the seed document's`, () => {
      const seed = seedDocument(method);
      assert.ok(seed.business_errors.length > 0, 'the seed table is not empty');
      const expected = Object.fromEntries(seed.business_errors.map((e) => [e.sub_code, e.sub_msg]));
      assert.deepEqual({ ...CONTRACTS[method].errors }, expected);
    });
  }
});

/** Sets a dotted path inside a parsed biz_content (only through objects, not JSON strings). */
function setPath(obj: Record<string, unknown>, path: string, value: unknown): boolean {
  const keys = path.split('.');
  let at: unknown = obj;
  for (const k of keys.slice(0, -1)) {
    if (typeof at !== 'object' || at === null) return false;
    at = (at as Record<string, unknown>)[k];
  }
  if (typeof at !== 'object' || at === null) return false;
  const last = keys.at(-1)!;
  if (value === undefined) delete (at as Record<string, unknown>)[last];
  else (at as Record<string, unknown>)[last] = value;
  return true;
}

describe('every field of the seed documents: required flag and max length, over HTTP', () => {
  const ctx = useGateway();
  const examples: Record<(typeof SEEDED_METHODS)[number], () => Record<string, unknown>> = {
    'zhima.customer.certification.initialize': () => seedInitializeBiz(),
    'alipay.security.risk.authentication.initialize': () => riskBiz({ bizId: `B${Date.now()}${Math.random()}`.slice(0, 30) }),
  };

  for (const method of SEEDED_METHODS) {
    const fields = seedDocument(method).request_fields.filter((f) => f.type === 'String');
    test(`${method}: ${fields.length} String fields checked`, async () => {
      assert.ok(fields.length >= 7, 'the field table was read');
      for (const f of fields) {
        const leaf = f.path.split('.').at(-1)!;
        if (f.max_length !== null) {
          const tooLong = examples[method]();
          assert.ok(setPath(tooLong, f.path, 'x'.repeat(f.max_length + 1)), `${f.path} exists in the example`);
          const r = await ctx.gw.call(ctx.app, method, tooLong);
          assert.equal(r.node.sub_code, 'INVALID_PARAMETER', `${f.path} longer than ${f.max_length}`);
          assert.match(String(r.node.sub_msg), new RegExp(`${leaf}`), `${f.path} is named`);
        }
        if (f.required) {
          const without = examples[method]();
          setPath(without, f.path, undefined);
          const r = await ctx.gw.call(ctx.app, method, without);
          assert.equal(r.node.sub_code, 'INVALID_PARAMETER', `${f.path} is required`);
        }
      }
    });
  }
});

/**
 * Each declared business sub_code is reachable: one scenario per code, and the scenarios cover
 * the closed table exactly (a new code without a scenario fails here).
 */
describe('every declared sub_code is reachable', () => {
  const ctx = useGateway({}, { products: ['w1010100000000002978'], scenes: ['FACE'] });
  const scenarios: ScenarioTable = { ...zhimaScenarios, ...riskScenarios, ...certifyOpenScenarios, ...faceScenarios, ...openScenarios };

  for (const m of METHODS) {
    test(`${m.contract.method}: scenarios cover the closed table and each answers its code, signed`, async () => {
      const table = scenarios[m.contract.method];
      assert.ok(table, 'the method has scenarios');
      assert.deepEqual(Object.keys(table).sort(), Object.keys(m.contract.errors).sort(), 'one scenario per declared code, no more');
      for (const [code, scenario] of Object.entries(table)) {
        const r = await scenario(ctx.gw, ctx.app);
        assert.deepEqual([r.node.code, r.node.sub_code], ['40004', code], `${code}: ${JSON.stringify(r.node)}`);
        assert.ok(r.signatureValid, `${code} is signed`);
      }
    });
  }
});
