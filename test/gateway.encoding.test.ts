import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { buildSignedParams, formEncode, postRaw, send } from './support/client.js';
import { readResponse } from './support/response.js';
import { seedInitializeBiz, useGateway } from './support/harness.js';

const METHOD = 'zhima.customer.certification.initialize';

describe('request intake and response encoding', () => {
  const ctx = useGateway();

  for (const charset of ['utf-8', 'GBK', 'gb2312', 'UTF-8']) {
    test(`${charset} request with the seed's Chinese name verifies, is stored intact, and is answered in ${charset}`, async () => {
      const biz = seedInitializeBiz();
      const r = await ctx.gw.call(ctx.app, METHOD, biz, { charset });
      assert.equal(r.node.code, '10000', JSON.stringify(r.node));
      assert.ok(r.signatureValid);
      assert.match(r.headers.get('content-type') ?? '', new RegExp(`charset=${charset}$`, 'i'));
      const stored = await ctx.gw.services.store.findSession('zhima', { appId: ctx.app.appId, externalId: String(r.node.biz_no) });
      assert.equal(stored?.identity.cert_name, '收委');
    });
  }

  test('a GBK error node with Chinese text is signed over its GBK bytes', async () => {
    const biz = {
      ...seedInitializeBiz(),
      identity_param: JSON.stringify({ identity_type: 'CERT_INFO', cert_type: 'IDENTITY_CARD', cert_name: '收委', cert_no: '260104197909275965' }),
    };
    const params = buildSignedParams(ctx.app, METHOD, biz, { charset: 'gbk' });
    const res = await send(ctx.gw.url, params, { charset: 'gbk' });
    const text = iconv.decode(res.body, 'gbk');
    assert.ok(text.includes('参数有误。参数[identity_param.cert_no]不是有效的入参'));
    assert.notEqual(res.body.toString('utf8'), text, 'body bytes are GBK, not UTF-8');
    const r = readResponse(res.body, METHOD, ctx.gw.alipayPublicKey, 'RSA2', 'gbk');
    assert.equal(r.node.sub_code, 'INVALID_PARAMETER');
    assert.ok(r.signatureValid);
  });

  test('GBK bytes sent while claiming utf-8 fail the signature instead of crashing', async () => {
    const params = buildSignedParams(ctx.app, METHOD, seedInitializeBiz(), { charset: 'gbk' });
    params.charset = 'utf-8';
    const res = await postRaw(ctx.gw.url, formEncode(params, 'gbk'), 'application/x-www-form-urlencoded');
    assert.equal(readResponse(res.body, METHOD, ctx.gw.alipayPublicKey).node.sub_code, 'isv.invalid-signature');
  });

  test('GET with every parameter in the query string works like POST', async () => {
    const r = await ctx.gw.call(ctx.app, METHOD, seedInitializeBiz(), { via: 'get' });
    assert.equal(r.node.code, '10000');
    assert.ok(r.signatureValid);
  });

  test('parameters split between query and body (Java layout) are merged; + is a space in the query too', async () => {
    const params = buildSignedParams(ctx.app, METHOD, seedInitializeBiz());
    const { biz_content, ...common } = params;
    // timestamp "yyyy-MM-dd HH:mm:ss" travels as yyyy-MM-dd+HH%3Amm%3Ass
    const query = formEncode(common);
    assert.ok(query.includes('+'));
    const res = await postRaw(ctx.gw.url, formEncode({ biz_content: biz_content! }), 'application/x-www-form-urlencoded;charset=utf-8', query);
    const r = readResponse(res.body, METHOD, ctx.gw.alipayPublicKey);
    assert.equal(r.node.code, '10000', JSON.stringify(r.node));
  });

  test('.NET layout: everything in the body, charset also in the query', async () => {
    const params = buildSignedParams(ctx.app, METHOD, seedInitializeBiz());
    const res = await postRaw(ctx.gw.url, formEncode(params), 'application/x-www-form-urlencoded;charset=utf-8', 'charset=utf-8');
    assert.equal(readResponse(res.body, METHOD, ctx.gw.alipayPublicKey).node.code, '10000');
  });

  test('Java-style multipart (no space after header colons, leading CRLF) with a file part', async () => {
    const params = buildSignedParams(ctx.app, METHOD, seedInitializeBiz());
    const boundary = '1700000000000';
    const parts = Object.entries(params).map(
      ([k, v]) => `--${boundary}\r\nContent-Disposition:form-data;name="${k}"\r\nContent-Type:text/plain\r\n\r\n${v}\r\n`,
    );
    const file = `--${boundary}\r\nContent-Disposition:form-data;name="image_content";filename="a.png"\r\nContent-Type:application/octet-stream\r\n\r\n\x89PNG\x00\x01\r\n`;
    const body = Buffer.from(`\r\n${parts.join('')}${file}--${boundary}--\r\n`, 'utf8');
    const res = await postRaw(ctx.gw.url, body, `multipart/form-data;boundary=${boundary}`);
    const r = readResponse(res.body, METHOD, ctx.gw.alipayPublicKey);
    assert.equal(r.node.code, '10000', JSON.stringify(r.node));
    assert.ok(r.signatureValid);
  });

  test('any HTTP method and a 60 KiB query string still get HTTP 200 and a node', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(`${ctx.gw.url}/gateway.do?method=${METHOD}&app_id=${ctx.app.appId}`, { method });
      assert.equal(res.status, 200, method);
      const r = readResponse(Buffer.from(await res.arrayBuffer()), METHOD, ctx.gw.alipayPublicKey);
      assert.equal(r.node.sub_code, 'isv.missing-signature');
    }
    const biz = { ...seedInitializeBiz(), ext_biz_param: JSON.stringify({ pad: 'x'.repeat(60_000) }) };
    const r = await ctx.gw.call(ctx.app, METHOD, biz, { via: 'get' });
    assert.equal(r.node.sub_code, 'INVALID_PARAMETER', 'read whole, then rejected by the 4096 limit of ext_biz_param');
  });

  test('the envelope is compact, node first, sign last, no \\/ escapes', async () => {
    const params = buildSignedParams(ctx.app, METHOD, seedInitializeBiz());
    const res = await send(ctx.gw.url, params);
    const text = res.body.toString('utf8');
    assert.match(
      text,
      /^\{"zhima_customer_certification_initialize_response":\{"code":"10000","msg":"Success","biz_no":"[A-Z0-9]{32}"\},"sign":"[A-Za-z0-9+/=]{300,}"\}$/,
    );
    assert.ok(!text.includes('\\/'));
  });

  test('any byte sequence gets HTTP 200 and a well-formed node (seeded fuzz)', async () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const types = ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=xx', 'application/json', 'text/plain', 'multipart/form-data'];
    const valid = formEncode(buildSignedParams(ctx.app, METHOD, seedInitializeBiz()));
    for (let i = 0; i < 150; i++) {
      let body: Buffer;
      if (i % 3 === 0) {
        body = Buffer.from(Array.from({ length: Math.floor(rand() * 600) }, () => Math.floor(rand() * 256)));
      } else {
        // Mutate a valid request: flip, drop or insert bytes, including % and & and =.
        const bytes = [...Buffer.from(valid)];
        for (let m = 0; m < 1 + Math.floor(rand() * 8); m++) {
          const at = Math.floor(rand() * bytes.length);
          const pick = [0x25, 0x26, 0x3d, 0x2b, 0xff, 0x00, 0xe6, Math.floor(rand() * 256)][Math.floor(rand() * 8)]!;
          if (rand() < 0.5) bytes[at] = pick;
          else bytes.splice(at, 1);
        }
        body = Buffer.from(bytes);
      }
      const res = await postRaw(ctx.gw.url, body, types[i % types.length]!, i % 4 === 0 ? `charset=${['gbk', 'utf-8', '%ZZ', ''][i % 4]}` : '');
      assert.equal(res.status, 200, `case ${i}`);
      const text = res.body.toString('utf8');
      const root = JSON.parse(text) as Record<string, { code?: string }>;
      const node = Object.values(root).find((v) => typeof v === 'object');
      assert.ok(node && typeof node.code === 'string', `case ${i}: ${text}`);
    }
  });
});
