import type { SecretBox } from '../crypto/secret-box';

// The builder fetches a pushed commit from the dashboard with this token: it
// names one app and one commit, expires, and is sealed with the platform's
// key (authenticated encryption), so it cannot be forged or widened.
const TTL_MS = 60 * 60_000;

export function sourceToken(secrets: SecretBox, appId: string, sha: string, now: Date): string {
  const claims = JSON.stringify({ app: appId, sha, exp: now.getTime() + TTL_MS });
  return Buffer.from(secrets.seal(claims)).toString('base64url');
}

/** True when the token was made for exactly this app and commit and has not expired. */
export function isSourceToken(secrets: SecretBox, token: string, appId: string, sha: string, now: Date): boolean {
  try {
    const claims = JSON.parse(secrets.open(Buffer.from(token, 'base64url'))) as { app?: string; sha?: string; exp?: number };
    return claims.app === appId && claims.sha === sha && typeof claims.exp === 'number' && claims.exp > now.getTime();
  } catch {
    return false;
  }
}
