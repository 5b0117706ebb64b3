import { createHash, randomBytes } from 'node:crypto';

// Tokens (API tokens, invitation links) are 256 random bits; only a SHA-256
// is stored, so a database dump cannot be replayed. A fast hash is right here:
// the input is random, not a password.
export function newSecretToken(prefix: 'paas' | 'inv'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Enough of a token to tell it apart in a list, never enough to use it. */
export function tokenHint(token: string): string {
  return `${token.slice(0, 9)}…`;
}
