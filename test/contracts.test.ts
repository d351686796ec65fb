import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTRACTS } from '../src/contracts/index.js';
import { METHODS } from '../src/families/index.js';
import { rawDb } from './support/db.js';
import { SEEDED_METHODS, seedDocument } from './support/fixtures.js';
import { seedInitializeBiz, useGateway } from './support/harness.js';
import { identityParam, idNumberWithSequence } from './support/identity.js';
import { riskBiz } from './support/risk.js';
import type { TestGateway } from './support/harness.js';
import { buildSignedParams, send, type TestApp } from './support/client.js';

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
  const ZHIMA_INIT = 'zhima.customer.certification.initialize';
  const RISK_INIT = 'alipay.security.risk.authentication.initialize';
  type Scenario = (gw: TestGateway, app: TestApp) => Promise<unknown>;

  const zhimaBizNo = async (gw: TestGateway, app: TestApp, certNo?: string) =>
    String((await gw.call(app, ZHIMA_INIT, { ...seedInitializeBiz(), ...(certNo ? { identity_param: identityParam(certNo) } : {}) })).node.biz_no);
  const riskToken = async (gw: TestGateway, app: TestApp, certNo?: string) => {
    const biz = riskBiz({ bizId: `R${Date.now()}${Math.floor(Math.random() * 1e6)}`, ...(certNo ? { certNo } : {}) });
    return { token: String((await gw.call(app, RISK_INIT, biz)).node.token_id), biz };
  };
  /** Damages a stored session's sealed identity, as a changed AOPGATE_SECRET_KEY would. */
  const corrupt = (gw: TestGateway, externalId: string) =>
    rawDb(gw.services.store)
      .updateTable('verification_sessions')
      .set({ identity_sealed: 'v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })
      .where('external_id', '=', externalId)
      .execute();
  const finishedBizNo = async (gw: TestGateway, app: TestApp) => {
    const bizNo = await zhimaBizNo(gw, app, idNumberWithSequence('990'));
    await gw.call(app, 'zhima.customer.certification.certify', { biz_no: bizNo });
    return bizNo;
  };

  const scenarios: Record<string, Record<string, Scenario>> = {
    [ZHIMA_INIT]: {
      INVALID_PARAMETER: (gw, app) => gw.call(app, ZHIMA_INIT, { ...seedInitializeBiz(), biz_code: '' }),
      ARRANGEMENT_ERROR: (gw, app) => gw.call(app, ZHIMA_INIT, { ...seedInitializeBiz(), product_code: 'w0000' }),
      UNSUPPORTED_BIZ_CODE: (gw, app) => gw.call(app, ZHIMA_INIT, { ...seedInitializeBiz(), biz_code: 'CERT_PHOTO' }),
      TRANSACTION_ERROR: async (gw, app) => {
        const first = seedInitializeBiz();
        await gw.call(app, ZHIMA_INIT, first);
        return gw.call(app, ZHIMA_INIT, { ...first, identity_param: identityParam(idNumberWithSequence('123')) });
      },
      BIZ_ERROR: (gw, app) => gw.call(app, ZHIMA_INIT, { ...seedInitializeBiz(), identity_param: identityParam(idNumberWithSequence('998')) }),
      SYSTEM_ERROR: async (gw, app) => {
        const biz = seedInitializeBiz();
        await corrupt(gw, String((await gw.call(app, ZHIMA_INIT, biz)).node.biz_no));
        return gw.call(app, ZHIMA_INIT, biz);
      },
    },
    'zhima.customer.certification.certify': {
      INVALID_PARAMETER: (gw, app) => gw.call(app, 'zhima.customer.certification.certify', {}),
      ILLEGAL_INVOKE: (gw, app) => gw.call(app, 'zhima.customer.certification.certify', { biz_no: 'ZM201611253000000000000000000000' }),
      // Only the page (a browser opening a finished biz_no) refuses; it shows the code on an HTML page.
      BIZ_ERROR: async (gw, app) => {
        const bizNo = await finishedBizNo(gw, app);
        const res = await send(gw.url, buildSignedParams(app, 'zhima.customer.certification.certify', { biz_no: bizNo }), { via: 'get' });
        const subCode = /data-sub-code="([^"]+)"/.exec(res.body.toString('utf8'))?.[1];
        return { node: { code: subCode ? '40004' : 'none', sub_code: subCode }, signatureValid: true };
      },
      SYSTEM_ERROR: async (gw, app) => {
        const bizNo = await zhimaBizNo(gw, app);
        await corrupt(gw, bizNo);
        return gw.call(app, 'zhima.customer.certification.certify', { biz_no: bizNo });
      },
    },
    'zhima.customer.certification.query': {
      INVALID_PARAMETER: (gw, app) => gw.call(app, 'zhima.customer.certification.query', { biz_no: 'x'.repeat(33) }),
      ILLEGAL_INVOKE: (gw, app) => gw.call(app, 'zhima.customer.certification.query', { biz_no: 'ZM201611253000000000000000000000' }),
      SYSTEM_ERROR: async (gw, app) => {
        const bizNo = await zhimaBizNo(gw, app);
        await corrupt(gw, bizNo);
        return gw.call(app, 'zhima.customer.certification.query', { biz_no: bizNo });
      },
    },
    [RISK_INIT]: {
      INVALID_PARAMETER: (gw, app) => gw.call(app, RISK_INIT, {}),
      BIZ_ERROR: (gw, app) => gw.call(app, RISK_INIT, riskBiz({ bizId: `R${Date.now()}`, certNo: idNumberWithSequence('998') })),
      SYSTEM_ERROR: async (gw, app) => {
        const { token, biz } = await riskToken(gw, app);
        await corrupt(gw, token);
        return gw.call(app, RISK_INIT, biz);
      },
    },
    'alipay.security.risk.authentication.query': {
      INVALID_PARAMETER: (gw, app) => gw.call(app, 'alipay.security.risk.authentication.query', {}),
      BIZ_ERROR: (gw, app) => gw.call(app, 'alipay.security.risk.authentication.query', { token_id: 'f'.repeat(32) }),
      SYSTEM_ERROR: async (gw, app) => {
        const { token } = await riskToken(gw, app);
        await corrupt(gw, token);
        return gw.call(app, 'alipay.security.risk.authentication.query', { token_id: token });
      },
    },
    'alipay.security.risk.authentication.cancel': {
      INVALID_PARAMETER: (gw, app) => gw.call(app, 'alipay.security.risk.authentication.cancel', { biz_id: 'x'.repeat(129) }),
      BIZ_ERROR: (gw, app) => gw.call(app, 'alipay.security.risk.authentication.cancel', { biz_id: 'no-such-biz' }),
      SYSTEM_ERROR: async (gw, app) => {
        const { token } = await riskToken(gw, app);
        await corrupt(gw, token);
        return gw.call(app, 'alipay.security.risk.authentication.cancel', { token_id: token });
      },
    },
  };

  for (const m of METHODS) {
    test(`${m.contract.method}: scenarios cover the closed table and each answers its code, signed`, async () => {
      const table = scenarios[m.contract.method];
      assert.ok(table, 'the method has scenarios');
      assert.deepEqual(Object.keys(table).sort(), Object.keys(m.contract.errors).sort(), 'one scenario per declared code, no more');
      for (const [code, scenario] of Object.entries(table)) {
        const r = (await scenario(ctx.gw, ctx.app)) as { node: Record<string, unknown>; signatureValid: boolean; root?: unknown };
        assert.deepEqual([r.node.code, r.node.sub_code], ['40004', code], `${code}: ${JSON.stringify(r.node)}`);
        assert.ok(r.signatureValid, `${code} is signed`);
      }
    });
  }
});
