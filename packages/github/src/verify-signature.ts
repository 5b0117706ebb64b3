import { Webhooks } from '@octokit/webhooks';

const cache = new Map<string, Webhooks>();

function webhooksFor(secret: string): Webhooks {
  let w = cache.get(secret);
  if (!w) {
    w = new Webhooks({ secret });
    cache.set(secret, w);
  }
  return w;
}

/**
 * Checks `X-Hub-Signature-256` (`sha256=` + HMAC-SHA256 of the raw body) in
 * constant time. Must run on the exact bytes received, before any parsing.
 */
export async function verifyGithubSignature(secret: string, rawBody: string, signature: string | null): Promise<boolean> {
  if (!signature?.startsWith('sha256=')) return false;
  try {
    return await webhooksFor(secret).verify(rawBody, signature);
  } catch {
    return false;
  }
}
