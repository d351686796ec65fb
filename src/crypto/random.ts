import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafeSlow(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * Fresh random bytes, never handed out twice, drawn from a pool refilled from the CSPRNG 4 KiB at
 * a time (Node's randomUUID does the same): each randomBytes() call crossed into C++ and OpenSSL
 * for 12 or 16 bytes, ~3 µs apiece and several times a call.
 */
export function freshRandom(bytes: number): Buffer {
  if (bytes > POOL_BYTES) throw new RangeError('freshRandom: at most 4096 bytes');
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + bytes));
  pool.fill(0, offset, offset + bytes);
  offset += bytes;
  return out;
}
