import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A key that is not Base64 of 16, 24 or 32 bytes. */
export class AesKeyError extends Error {}

const ZERO_IV = Buffer.alloc(16);

/** Alipay's content key: Base64 of 16, 24 or 32 bytes → AES-128/192/256 (docs/alipay-openapi-v2.md §4). */
export function aesKeyBytes(keyBase64: string): Buffer {
  const key = Buffer.from(keyBase64.trim(), 'base64');
  if (![16, 24, 32].includes(key.length) || key.toString('base64') !== keyBase64.trim()) throw new AesKeyError('AES key must be Base64 of 16, 24 or 32 bytes');
  return key;
}

const algorithm = (key: Buffer) => `aes-${key.length * 8}-cbc`;

/** AES-CBC, PKCS#7, zero IV, Base64 out: what every SDK's `encrypt_type=AES` does. */
export function aesEncrypt(plaintext: Buffer, keyBase64: string): string {
  const key = aesKeyBytes(keyBase64);
  const cipher = createCipheriv(algorithm(key), key, ZERO_IV);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
}

/** The inverse; undefined when the text is not Base64 ciphertext under this key (bad length or padding). */
export function aesDecrypt(ciphertextBase64: string, keyBase64: string): Buffer | undefined {
  const key = aesKeyBytes(keyBase64);
  const text = ciphertextBase64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const data = Buffer.from(text, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) return undefined;
  try {
    const decipher = createDecipheriv(algorithm(key), key, ZERO_IV);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** A new random AES-128 key, Base64, as Alipay's console hands out. */
export const newAesKey = (): string => randomBytes(16).toString('base64');
