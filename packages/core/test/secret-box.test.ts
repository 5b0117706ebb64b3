import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseSecretKey } from '../src/crypto/secret-box';

describe('secret box', () => {
  const key = randomBytes(32);

  it('round-trips and never stores the plaintext', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('DATABASE_PASSWORD=hunter2');
    expect(Buffer.from(sealed).toString('latin1')).not.toContain('hunter2');
    expect(box.open(sealed)).toBe('DATABASE_PASSWORD=hunter2');
  });

  it('uses a fresh IV each time', () => {
    const box = createSecretBox(key);
    expect(Buffer.from(box.seal('x')).equals(Buffer.from(box.seal('x')))).toBe(false);
  });

  it('detects tampering and the wrong key', () => {
    const box = createSecretBox(key);
    const sealed = box.seal('secret');
    sealed[sealed.length - 1] = (sealed[sealed.length - 1] ?? 0) ^ 1;
    expect(() => box.open(sealed)).toThrow();
    expect(() => createSecretBox(randomBytes(32)).open(box.seal('secret'))).toThrow(/different key/);
  });

  it('parses hex and base64 keys, rejects short ones', () => {
    expect(parseSecretKey(key.toString('hex')).equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64')).equals(key)).toBe(true);
    expect(() => parseSecretKey('abcd')).toThrow(/32 bytes/);
  });
});
