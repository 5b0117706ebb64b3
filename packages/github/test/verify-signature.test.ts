import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signGithubPayload, verifyGithubSignature } from '../src';

const secret = "It's a Secret to Everybody";

describe('webhook signature', () => {
  it("matches the example in GitHub's documentation", async () => {
    // docs.github.com "Validating webhook deliveries": this secret and body give this signature.
    const expected = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(await signGithubPayload(secret, 'Hello, World!')).toBe(expected);
    expect(await verifyGithubSignature(secret, 'Hello, World!', expected)).toBe(true);
  });

  it('accepts an HMAC-SHA256 of the exact raw body', async () => {
    const body = JSON.stringify({ ref: 'refs/heads/main', after: 'a'.repeat(40) });
    const sig = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    expect(await verifyGithubSignature(secret, body, sig)).toBe(true);
  });

  it('rejects a changed body, the wrong secret, a missing or sha1 header', async () => {
    const body = '{"a":1}';
    const sig = await signGithubPayload(secret, body);
    expect(await verifyGithubSignature(secret, '{"a":2}', sig)).toBe(false);
    expect(await verifyGithubSignature('another secret', body, sig)).toBe(false);
    expect(await verifyGithubSignature(secret, body, null)).toBe(false);
    expect(await verifyGithubSignature(secret, body, `sha1=${'0'.repeat(40)}`)).toBe(false);
    expect(await verifyGithubSignature(secret, body, 'sha256=zz')).toBe(false);
  });
});
