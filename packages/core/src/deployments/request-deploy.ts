import type { Db } from '@paas/db';
import { z } from 'zod';
import { parseInput } from '../apps/app-input';
import { appTransaction } from '../apps/app-transaction';
import { findAppForChange } from '../apps/find-app';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { validationError } from '../errors';
import type { JobQueue } from '../ports/job-queue';
import type { Logger } from '../ports/logger';
import { deliver } from '../queue-delivery';
import { createDeploy } from './create-deploy';
import { deploymentSummary } from './deployment-summary';
import { deploymentJobKey } from './job-keys';

const FULL_SHA = /^[0-9a-f]{40}$/;

export const deployInputSchema = z
  .object({
    ref: z
      .string()
      .min(1, 'ref must not be empty')
      .max(255)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'ref must be a branch, tag or commit sha')
      .refine((r) => !r.includes('..') && !r.endsWith('.lock') && !r.endsWith('/'), 'ref must be a branch, tag or commit sha')
      .optional(),
  })
  .strict();

export interface DeployDeps {
  db: Db;
  queue: JobQueue;
  log: Logger;
}

/**
 * Deploys without GitHub: the tracked branch's head, or a given branch, tag or
 * commit. The builder resolves a branch to its commit (a ref that does not
 * exist fails the build, with git's answer in the build log).
 */
export async function requestDeploy(
  deps: DeployDeps,
  appName: string,
  input: unknown,
  actor: Actor,
  trigger: 'api' | 'dashboard' | 'git' = 'api',
) {
  const { ref: asked } = parseInput(deployInputSchema, input ?? {});
  const result = await appTransaction(deps.db, async (tx) => {
    const app = await findAppForChange(tx, appName);
    if (trigger !== 'git' && app.repoUrl === '' && app.githubRepoId === null) {
      throw validationError(
        `${app.name} has no repository to fetch from: push to it with git (git push paas main), or connect it to a GitHub repository`,
      );
    }
    const ref = asked ?? app.branch;
    const commitSha = FULL_SHA.test(ref) ? ref : null;
    const created = await createDeploy(tx, {
      appId: app.id,
      ref,
      commitSha,
      trigger,
      description: `Deploy ${commitSha ? commitSha.slice(0, 7) : ref}`,
    });
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: 'deployment.create',
      targetType: 'app',
      targetId: app.id,
      appName: app.name,
      data: { deployment: created.deployment.id, ref },
    });
    return created;
  });
  for (const id of result.deliver) {
    await deliver(deps.log, 'a deployment', () => deps.queue.advanceDeployment(id, { key: deploymentJobKey.start(id) }));
  }
  return deploymentSummary(result.deployment);
}
