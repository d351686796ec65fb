import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { freshRandom } from './random.js';

/** Stored data that cannot be unsealed: answered as the method's SYSTEM_ERROR, never a crash. */
export class SealedDataError extends Error {}

/**
 * Authenticated encryption for data at rest (identity data, private keys): AES-256-GCM with a
 * random 96-bit nonce. Stored form: "v1:" + base64(nonce | tag | ciphertext).
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('secret key must be 32 bytes');
    this.#key = key;
  }

  seal(plaintext: string): string {
    const nonce = freshRandom(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return 'v1:' + Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
  }

  /** Throws SealedDataError when the text was not sealed with this key (changed secret key, damaged row). */
  open(sealed: string): string {
    if (!sealed.startsWith('v1:')) throw new SealedDataError('unknown sealed format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedDataError('sealed data does not open with this key');
    }
  }

  /** Keyed digest: lets us compare request contents without storing a brute-forceable hash of PII. */
  digest(text: string): string {
    return createHmac('sha256', this.#key).update(text, 'utf8').digest('hex');
  }
}
