import type { Db } from '@paas/db';
import type { SecretBox } from '../crypto/secret-box';

/** The secret GitHub signs the App's deliveries with, or null before the App is made. */
export async function githubAppWebhookSecret(deps: { db: Db; secrets: SecretBox }): Promise<string | null> {
  const app = await deps.db.githubApp.findFirst({ select: { webhookSecretEnc: true } });
  return app ? deps.secrets.open(app.webhookSecretEnc) : null;
}
