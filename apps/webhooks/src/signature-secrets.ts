import { appWebhookSecret, githubAppWebhookSecret, type SecretBox } from '@paas/core';
import type { Db } from '@paas/db';

/**
 * The secrets a delivery's signature may be made with: the platform's own
 * (GITHUB_WEBHOOK_SECRET, for hooks set up by hand) and the GitHub App's. A
 * delivery signed with none of them is refused.
 */
export interface SignatureSecrets {
  candidates(): Promise<string[]>;
  /** Read again now (a signature matched none: the App may have just been made). */
  refresh(): Promise<boolean>;
  /**
   * An app's own webhook secret, or null when it has none. Read on every
   * delivery (hooks set up by hand are few): a removed or replaced secret
   * stops working at once.
   */
  forApp(name: string): Promise<{ appId: string; secret: string } | null>;
}

// How long the App's secret is trusted from memory, and how often a failed
// match may read it again (so forged deliveries cannot hammer Postgres).
const CACHE_MS = 60_000;
const REFRESH_MIN_MS = 2_000;

export function platformSecrets(webhookSecret: string, app?: { db: Db; secrets: SecretBox }): SignatureSecrets {
  let appSecret: string | null = null;
  let readAt = 0;
  let reading: Promise<void> | null = null;
  const read = () => {
    reading ??= (async () => {
      try {
        appSecret = app ? await githubAppWebhookSecret(app) : null;
        readAt = Date.now();
      } finally {
        reading = null;
      }
    })();
    return reading;
  };
  return {
    async candidates() {
      if (app && Date.now() - readAt > CACHE_MS) await read();
      return appSecret ? [webhookSecret, appSecret] : [webhookSecret];
    },
    async refresh() {
      if (!app || Date.now() - readAt < REFRESH_MIN_MS) return false;
      await read();
      return true;
    },
    forApp: async (name) => (app ? appWebhookSecret(app, name) : null),
  };
}
