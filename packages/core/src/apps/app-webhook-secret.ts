import { randomBytes } from 'node:crypto';
import type { Db } from '@paas/db';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import type { SecretBox } from '../crypto/secret-box';
import { appTransaction } from './app-transaction';
import { findAppForChange } from './find-app';

/** Where GitHub delivers for an app with a webhook secret of its own (under the receiver's address). */
export const appWebhookPath = (name: string) => `/api/webhooks/github/apps/${name}`;

/**
 * Makes a new webhook secret for the app (the previous one stops working):
 * for a repository outside the GitHub App, whose hook is set up by hand.
 * Shown once; stored sealed. Deliveries signed with it may act on this app only.
 */
export async function rotateAppWebhookSecret(deps: { db: Db; secrets: SecretBox }, name: string, actor: Actor) {
  const secret = randomBytes(24).toString('hex');
  await appTransaction(deps.db, async (tx) => {
    const app = await findAppForChange(tx, name);
    await tx.app.update({ where: { id: app.id }, data: { webhookSecretEnc: deps.secrets.seal(secret) } });
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: 'app.webhook_secret.rotate',
      targetType: 'app',
      targetId: app.id,
      appName: app.name,
    });
  });
  return { secret, path: appWebhookPath(name) };
}

export async function removeAppWebhookSecret(deps: { db: Db }, name: string, actor: Actor) {
  await appTransaction(deps.db, async (tx) => {
    const app = await findAppForChange(tx, name);
    await tx.app.update({ where: { id: app.id }, data: { webhookSecretEnc: null } });
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: 'app.webhook_secret.remove',
      targetType: 'app',
      targetId: app.id,
      appName: app.name,
    });
  });
}

/** The app's own webhook secret, for the receiver; null when it has none (or no such app). */
export async function appWebhookSecret(deps: { db: Db; secrets: SecretBox }, name: string) {
  const app = await deps.db.app.findUnique({ where: { name }, select: { id: true, webhookSecretEnc: true, deletingAt: true } });
  if (!app?.webhookSecretEnc || app.deletingAt) return null;
  return { appId: app.id, secret: deps.secrets.open(app.webhookSecretEnc) };
}
