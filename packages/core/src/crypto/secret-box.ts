import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// Config vars are encrypted at rest with AES-256-GCM. Layout:
//   [version:1][keyId:4][iv:12][tag:16][ciphertext]
// keyId (first bytes of the key's SHA-256) lets a later key rotation tell which
// key sealed a value; version leaves room to change the scheme.
const VERSION = 1;

export interface SecretBox {
  seal(plaintext: string): Uint8Array<ArrayBuffer>;
  open(sealed: Uint8Array): string;
}

/** `key` is 32 bytes given as 64 hex chars or base64. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('the secret key must be 32 bytes, as 64 hex characters or base64');
  return key;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
  const keyId = createHash('sha256').update(key).digest().subarray(0, 4);
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const out = Buffer.concat([Buffer.from([VERSION]), keyId, iv, cipher.getAuthTag(), body]);
      return new Uint8Array(out);
    },
    open(sealed) {
      const buf = Buffer.from(sealed);
      if (buf[0] !== VERSION) throw new Error('unknown secret format version');
      if (!buf.subarray(1, 5).equals(keyId)) throw new Error('secret was sealed with a different key');
      const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(5, 17));
      decipher.setAuthTag(buf.subarray(17, 33));
      return Buffer.concat([decipher.update(buf.subarray(33)), decipher.final()]).toString('utf8');
    },
  };
}
