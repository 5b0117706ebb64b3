import type { Db } from '@paas/db';
import { z } from 'zod';
import { branchSchema, parseInput } from '../apps/app-input';
import { appTransaction } from '../apps/app-transaction';
import { canonicalRepoUrl } from '../apps/repo-url';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { notFound, validationError } from '../errors';

const connectSchema = z.object({
  /** GitHub's id of a repository one of the App's installations gives access to; null disconnects. */
  repositoryId: z.number({ error: 'repositoryId must be a GitHub repository id (a number) or null' }).int().positive().nullable(),
  branch: branchSchema.optional(),
});

/**
 * Connects an app to a repository of the GitHub App's installations, picked by
 * GitHub's repository id, and the branch to deploy: pushes then match by that
 * id, so renaming or transferring the repository does not break the app.
 * `{"repositoryId": null}` disconnects it (pushes match by its URL again).
 */
export async function connectRepository(deps: { db: Db; githubUrl: string }, name: string, input: unknown, actor: Actor) {
  const { repositoryId, branch } = parseInput(connectSchema, input);
  return appTransaction(deps.db, async (tx) => {
    const app = await tx.app.findUnique({ where: { name } });
    if (!app || app.deletingAt) throw notFound('app', name);
    const before = {
      githubRepoId: app.githubRepoId === null ? null : Number(app.githubRepoId),
      repoUrl: app.repoUrl,
      branch: app.branch,
    };
    let data: {
      githubRepoId: bigint | null;
      githubInstallationId: string | null;
      repoUrl?: string;
      repoKey?: string;
      branch?: string;
    };
    if (repositoryId === null) {
      data = { githubRepoId: null, githubInstallationId: null };
    } else {
      const repo = await tx.githubRepository.findUnique({ where: { id: BigInt(repositoryId) } });
      if (!repo) {
        throw validationError(
          `no installation of the GitHub App gives access to repository ${repositoryId}: install the App on it (or add it to the installation), then pick it`,
          { repositoryId },
        );
      }
      const repoUrl = `${deps.githubUrl.replace(/\/$/, '')}/${repo.fullName}.git`;
      data = {
        githubRepoId: repo.id,
        githubInstallationId: repo.installationId,
        repoUrl,
        repoKey: canonicalRepoUrl(repoUrl),
      };
    }
    if (branch) data.branch = branch;
    const updated = await tx.app.update({ where: { id: app.id }, data });
    const after = {
      githubRepoId: updated.githubRepoId === null ? null : Number(updated.githubRepoId),
      repoUrl: updated.repoUrl,
      branch: updated.branch,
    };
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: repositoryId === null ? 'app.github.disconnect' : 'app.github.connect',
      targetType: 'app',
      targetId: app.id,
      appName: app.name,
      data: { before, after },
    });
    return { name: updated.name, ...after };
  });
}
