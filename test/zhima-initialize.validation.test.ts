import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { seedInitializeBiz, useGateway } from './support/harness.js';

const METHOD = 'zhima.customer.certification.initialize';
const identity = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ identity_type: 'CERT_INFO', cert_type: 'IDENTITY_CARD', cert_name: '收委', cert_no: '260104197909275964', ...over });

/** Every field of the seed document (test/fixtures/seeds/zhima.customer.certification.initialize.json): type, required flag, max length. */
describe('zhima.customer.certification.initialize field validation', () => {
  const ctx = useGateway();

  async function expectInvalid(biz: Record<string, unknown>, field: string) {
    const r = await ctx.gw.call(ctx.app, METHOD, biz);
    assert.deepEqual(
      { code: r.node.code, msg: r.node.msg, sub_code: r.node.sub_code, sub_msg: r.node.sub_msg },
      { code: '40004', msg: 'Business Failed', sub_code: 'INVALID_PARAMETER', sub_msg: `参数有误。参数[${field}]不是有效的入参` },
    );
    assert.ok(r.signatureValid);
  }
  const without = (key: string) => {
    const b: Record<string, unknown> = seedInitializeBiz();
    delete b[key];
    return b;
  };

  for (const field of ['transaction_id', 'product_code', 'biz_code', 'identity_param']) {
    test(`${field} is required (absent, empty, whitespace)`, async () => {
      await expectInvalid(without(field), field);
      await expectInvalid({ ...seedInitializeBiz(), [field]: '' }, field);
      await expectInvalid({ ...seedInitializeBiz(), [field]: '   ' }, field);
    });
  }

  test('max lengths: transaction_id/product_code/biz_code 32, linked_merchant_id 16', async () => {
    await expectInvalid({ ...seedInitializeBiz(), transaction_id: 'T'.repeat(33) }, 'transaction_id');
    await expectInvalid({ ...seedInitializeBiz(), product_code: 'w'.repeat(33) }, 'product_code');
    await expectInvalid({ ...seedInitializeBiz(), biz_code: 'F'.repeat(33) }, 'biz_code');
    await expectInvalid({ ...seedInitializeBiz(), linked_merchant_id: '2'.repeat(17) }, 'linked_merchant_id');
  });

  test('exactly-at-limit values are accepted (transaction_id of 32)', async () => {
    const r = await ctx.gw.call(ctx.app, METHOD, { ...seedInitializeBiz(), transaction_id: `T${Date.now()}`.padEnd(32, '0') });
    assert.equal(r.node.code, '10000');
  });

  test('transaction_id is letters, digits and underscore only', async () => {
    await expectInvalid({ ...seedInitializeBiz(), transaction_id: 'ZGYD-2016' }, 'transaction_id');
    await expectInvalid({ ...seedInitializeBiz(), transaction_id: '收委' }, 'transaction_id');
  });

  test('wrong JSON types are rejected (number, object, array where a String is declared)', async () => {
    await expectInvalid({ ...seedInitializeBiz(), transaction_id: 12345 }, 'transaction_id');
    await expectInvalid({ ...seedInitializeBiz(), biz_code: ['FACE'] }, 'biz_code');
    await expectInvalid({ ...seedInitializeBiz(), linked_merchant_id: 2088721630869411 }, 'linked_merchant_id');
  });

  test('identity_param: bad JSON-in-JSON, not an object, over 4096 characters', async () => {
    await expectInvalid({ ...seedInitializeBiz(), identity_param: '{"identity_type":' }, 'identity_param');
    await expectInvalid({ ...seedInitializeBiz(), identity_param: '[1]' }, 'identity_param');
    await expectInvalid({ ...seedInitializeBiz(), identity_param: 42 }, 'identity_param');
    await expectInvalid({ ...seedInitializeBiz(), identity_param: identity({ principal_id: 'p', pad: 'x'.repeat(4100) }) }, 'identity_param');
  });

  test('identity_param contents: identity_type, cert_type, cert_name, cert_no', async () => {
    await expectInvalid({ ...seedInitializeBiz(), identity_param: identity({ identity_type: 'FOO' }) }, 'identity_param.identity_type');
    await expectInvalid({ ...seedInitializeBiz(), identity_param: identity({ cert_type: 'DRIVER' }) }, 'identity_param.cert_type');
    await expectInvalid({ ...seedInitializeBiz(), identity_param: identity({ cert_name: '' }) }, 'identity_param.cert_name');
    await expectInvalid({ ...seedInitializeBiz(), identity_param: identity({ cert_no: undefined }) }, 'identity_param.cert_no');
  });

  test('IDENTITY_CARD cert_no: checksum, birth date and length are checked; the region is not', async () => {
    for (const bad of ['260104197909275965', '320123455599087654', '26010419790927596', '2601041979092759644', '26010419790927596A', '260104207909275960']) {
      await expectInvalid({ ...seedInitializeBiz(), identity_param: identity({ cert_no: bad }) }, 'identity_param.cert_no');
    }
    for (const good of ['260104197909275964', '320107198911021111', '330102198807312189', '260104790927596']) {
      const r = await ctx.gw.call(ctx.app, METHOD, { ...seedInitializeBiz(), identity_param: identity({ cert_no: good }) });
      assert.equal(r.node.code, '10000', `${good}: ${JSON.stringify(r.node)}`);
    }
  });

  test('merchant_config (≤1024) and ext_biz_param (≤4096) must be JSON objects when present', async () => {
    await expectInvalid({ ...seedInitializeBiz(), merchant_config: 'nope' }, 'merchant_config');
    await expectInvalid({ ...seedInitializeBiz(), merchant_config: JSON.stringify({ a: 'x'.repeat(1100) }) }, 'merchant_config');
    await expectInvalid({ ...seedInitializeBiz(), ext_biz_param: JSON.stringify({ a: 'x'.repeat(4100) }) }, 'ext_biz_param');
    const r = await ctx.gw.call(ctx.app, METHOD, { ...seedInitializeBiz(), merchant_config: { need_user_authorization: 'false' }, ext_biz_param: {} });
    assert.equal(r.node.code, '10000');
  });

  test('optional fields may be omitted', async () => {
    const b: Record<string, unknown> = seedInitializeBiz();
    delete b.merchant_config;
    delete b.ext_biz_param;
    delete b.linked_merchant_id;
    assert.equal((await ctx.gw.call(ctx.app, METHOD, b)).node.code, '10000');
  });

  test('a rejected call writes nothing', async () => {
    const tx = `NOWRITE${Date.now()}`;
    await expectInvalid({ ...seedInitializeBiz(tx), identity_param: identity({ cert_no: '260104197909275965' }) }, 'identity_param.cert_no');
    const r = await ctx.gw.call(ctx.app, METHOD, seedInitializeBiz(tx));
    assert.equal(r.node.code, '10000', 'the transaction_id was not consumed by the failed call');
  });

  test('each call gets a unique 32-character biz_no', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const r = await ctx.gw.call(ctx.app, METHOD, seedInitializeBiz(`UNIQ${Date.now()}_${i}`));
      assert.match(String(r.node.biz_no), /^ZM\d{30}$/);
      seen.add(String(r.node.biz_no));
    }
    assert.equal(seen.size, 20);
  });
});
