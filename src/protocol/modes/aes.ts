import { aesDecrypt, aesEncrypt } from '../../crypto/aes.js';
import { err, ok } from '../../errors/alipay-error.js';
import { GatewayErrors as E } from '../../errors/gateway-errors.js';
import { decodeBytes, encodeText } from '../charset.js';
import type { GatewayHook } from '../hooks.js';

/** Base64 that is not JSON: what an SDK sends once it encrypted biz_content. */
const looksEncrypted = (text: string) => /^[A-Za-z0-9+/]{16,}={0,2}$/.test(text.trim());

/**
 * `encrypt_type=AES` (docs/alipay-openapi-v2.md §4): the signature was verified over the
 * ciphertext; here biz_content is decrypted with the app's key (AES-CBC, zero IV, PKCS#7, bytes
 * in the request charset), and every answer to a call that decrypted is itself encrypted — the
 * node becomes the quoted Base64 ciphertext, signed with its quotes. Errors raised before
 * decryption stay plain objects, as Alipay's are.
 */
export const aesMode: GatewayHook = {
  name: 'aes',
  openContent(call, encryptType, text) {
    const key = call.app?.aesKey;
    if (encryptType === undefined) return key && looksEncrypted(text) ? err(E.missingEncryptType) : undefined;
    if (encryptType !== 'AES') return undefined;
    if (!key) return err(E.encryptKeyMissing);
    const plain = text.trim() === '' ? Buffer.alloc(0) : aesDecrypt(text, key);
    if (!plain) return err(E.decryptionFailed);
    call.encrypted = true;
    return ok(decodeBytes(plain, call.charset!));
  },
  sealContent(call, nodeText) {
    const key = call.app?.aesKey;
    if (!call.encrypted || !key) return nodeText;
    return JSON.stringify(aesEncrypt(encodeText(nodeText, call.responseCharset), key));
  },
};
