import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createVerify } from 'node:crypto';
import { notifySignContent } from '../src/domain/notify-sign.js';
import { vector, vectorFile as key } from './support/fixtures.js';
import { v1SignContent } from './support/notify.js';
import { extractSignedNode, publicKeyFrom, readResponse } from './support/response.js';

/**
 * Real Alipay-signed responses and notifications (test/fixtures/vectors, from the official Node
 * SDK's fixtures), read with the same extraction and verification code our client-facing tests
 * use: if our reading of the layout were wrong, these would fail.
 */
function verifyV1(content: string, sign: string, publicKey: string): boolean {
  return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKeyFrom(publicKey), sign, 'base64');
}

describe('real Alipay gateway responses verify with our node extraction', () => {
  for (const [name, bodyField] of [
    ['response_alipay_open_file_upload', 'response_body'],
    ['response_error_invalid_signature_2024', 'response_body'],
    ['decryption_error_alipay_security_risk_content_analyze', 'response_body'],
  ] as const) {
    test(name, () => {
      const v = vector(name);
      const body = String(v[bodyField]);
      assert.equal(extractSignedNode(body, v.response_key), v.signed_content, 'extracted node = the bytes Alipay signed');
      const r = readResponse(Buffer.from(body, 'utf8'), v.method, key(v.public_key_file));
      assert.ok(r.signatureValid, 'signature verifies');
      const flipped = body.replace('"code":"', '"code":" ');
      assert.equal(readResponse(Buffer.from(flipped, 'utf8'), v.method, key(v.public_key_file)).signatureValid, false, 'one changed byte fails');
    });
  }
});

describe('real Alipay notifications verify with our V1 string-to-sign', () => {
  test('trade_status_sync: signed without sign_type (V1)', () => {
    const v = vector('notify_trade_status_sync_2019');
    const fields = v.fields as Record<string, string>;
    const content = notifySignContent(fields);
    assert.equal(content, v.string_to_sign);
    assert.ok(verifyV1(content, fields.sign!, key(v.public_key_file)));
    const withType = v1SignContent(fields, true);
    assert.equal(verifyV1(withType, fields.sign!, key(v.public_key_file)), false, 'including sign_type fails');
    assert.equal(verifyV1(content.replace('trade_status=TRADE_SUCCESS', 'trade_status=TRADE_CLOSED'), fields.sign!, key(v.public_key_file)), false);
  });

  test('servicemarket order notify: this one keeps sign_type, so a verifier must try both forms', () => {
    const v = vector('notify_servicemarket_order_2019');
    const fields = v.fields as Record<string, string>;
    const sign = fields.sign ?? String(v.sign);
    assert.equal(verifyV1(notifySignContent(fields), sign, key(v.public_key_file)), false, 'V1 form does not verify');
    const withType = v1SignContent(fields, true);
    assert.equal(withType, v.string_to_sign);
    assert.ok(verifyV1(withType, sign, key(v.public_key_file)));
  });
});
