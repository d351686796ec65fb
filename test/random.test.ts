import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshRandom } from '../src/crypto/random.js';

test('freshRandom: pooled bytes are never handed out twice, across pool refills, and callers own their copy', () => {
  const seen = new Set<string>();
  const drawn: Buffer[] = [];
  for (let i = 0; i < 1000; i++) {
    const b = freshRandom(i % 2 ? 12 : 16); // 14 000 bytes: three refills of the 4 KiB pool
    assert.equal(b.length, i % 2 ? 12 : 16);
    const hex = b.toString('hex');
    assert.ok(!seen.has(hex), `repeated bytes at draw ${i}`);
    seen.add(hex);
    drawn.push(b);
  }
  const first = drawn[0]!.toString('hex');
  freshRandom(4096); // a refill must not touch what was handed out
  assert.equal(drawn[0]!.toString('hex'), first);
  assert.throws(() => freshRandom(4097), RangeError);
});
