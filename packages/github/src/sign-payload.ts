import { sign } from '@octokit/webhooks-methods';

/** What GitHub puts in `X-Hub-Signature-256`; used by tests and the benchmark to send real deliveries. */
export function signGithubPayload(secret: string, body: string): Promise<string> {
  return sign(secret, body);
}
