import type { Db } from '@paas/db';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import type { SecretBox } from '../crypto/secret-box';
import { isUniqueViolation } from '../db-errors';
import { AppError } from '../errors';
import type { GithubApi } from '../ports/github';
import type { JobQueue } from '../ports/job-queue';
import type { Logger } from '../ports/logger';
import { deliver } from '../queue-delivery';
import { githubAppView } from './github-app-view';

/**
 * The App-manifest flow's last step: GitHub sent the admin back with a one-time
 * code; exchanging it yields the new App's id, private key, client secret and
 * webhook secret, stored encrypted. Then a worker reads its installations.
 */
export async function completeGithubAppSetup(
  deps: { db: Db; secrets: SecretBox; github: GithubApi; queue: JobQueue; log: Logger },
  code: string,
  actor: Actor,
) {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(code)) throw new AppError('validation_failed', 'the code GitHub returned is malformed');
  if (await deps.db.githubApp.findFirst({ select: { id: true } })) {
    throw new AppError('conflict', 'this platform already has a GitHub App; delete it on GitHub and here before making another');
  }
  const made = await deps.github.convertManifest(code);
  try {
    const app = await deps.db.$transaction(async (tx) => {
      const row = await tx.githubApp.create({
        data: {
          githubAppId: BigInt(made.id),
          slug: made.slug,
          name: made.name,
          ownerLogin: made.ownerLogin,
          htmlUrl: made.htmlUrl,
          clientId: made.clientId,
          clientSecretEnc: deps.secrets.seal(made.clientSecret),
          privateKeyEnc: deps.secrets.seal(made.privateKey),
          webhookSecretEnc: deps.secrets.seal(made.webhookSecret),
        },
      });
      await recordAuditEvent(tx, {
        actor,
        action: 'github_app.create',
        targetType: 'github_app',
        targetId: row.id,
        data: { githubAppId: made.id, slug: made.slug, owner: made.ownerLogin },
      });
      return row;
    });
    await deliver(deps.log, 'a GitHub sync', () => deps.queue.syncGithub({ key: `sync.${app.id}.setup` }));
    return githubAppView(app);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', 'this platform already has a GitHub App');
    throw error;
  }
}
