import type { Db } from '@paas/db';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { isUniqueViolation } from '../db-errors';
import { AppError, validationError } from '../errors';
import { ensureDefaultTenancy, ensureTeamCloudAccount } from '../teams/ensure-default-tenancy';
import { createAppInputSchema, parseInput } from './app-input';
import { canonicalRepoUrl } from './repo-url';

export interface CreateAppDeps {
  db: Db;
  cloud: { provider: 'local' | 'aws'; region: string };
  /** The caller's team; without it (tools, tests) the default team. */
  teamId?: string;
}

/** Creates an app with a formation of one web process; nothing runs until the first push. */
export async function createApp(deps: CreateAppDeps, input: unknown, actor: Actor) {
  const { name, repoUrl, branch, cloudAccount } = parseInput(createAppInputSchema, input);
  try {
    return await deps.db.$transaction(async (tx) => {
      const tenancy = deps.teamId
        ? await ensureTeamCloudAccount(tx, deps.teamId, deps.cloud)
        : await ensureDefaultTenancy(tx, deps.cloud);
      const { teamId } = tenancy;
      let cloudAccountId = tenancy.cloudAccountId;
      if (cloudAccount) {
        const chosen = await tx.cloudAccount.findUnique({ where: { teamId_name: { teamId, name: cloudAccount } } });
        if (!chosen) throw validationError(`there is no cloud account named "${cloudAccount}"`, { cloudAccount });
        cloudAccountId = chosen.id;
      }
      const app = await tx.app.create({
        data: {
          name,
          repoUrl: repoUrl ?? '',
          // No repository: no push delivery ever names it (a canonical URL is never empty).
          repoKey: repoUrl ? canonicalRepoUrl(repoUrl) : '',
          branch,
          teamId,
          cloudAccountId,
          processTypes: { create: [{ type: 'web', quantity: 1 }] },
        },
      });
      await recordAuditEvent(tx, {
        teamId,
        actor,
        action: 'app.create',
        targetType: 'app',
        targetId: app.id,
        appName: app.name,
        data: { name, repoUrl: app.repoUrl, branch },
      });
      return app;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', `an app named "${name}" already exists`, { details: { name } });
    throw error;
  }
}
