import { z } from 'zod';
import { parseInput } from '../apps/app-input';
import { appTransaction } from '../apps/app-transaction';
import { findAppForChange } from '../apps/find-app';
import { lockApp } from '../apps/lock-app';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { validationError } from '../errors';
import { deliver } from '../queue-delivery';
import { deploymentSummary } from './deployment-summary';
import { deploymentJobKey } from './job-keys';
import type { DeployDeps } from './request-deploy';
import { supersedeOlder } from './supersede';

export const rollbackInputSchema = z
  .object({
    version: z
      .number({ error: 'version must be a release number' })
      .int('version must be a whole number')
      .min(1, 'version must be 1 or more'),
  })
  .strict();

/**
 * A new release that runs exactly what release N ran (its build, config and
 * template), never rebuilding; instant when N's server groups are still kept.
 * It goes to the front of the app's line of deployments.
 */
export async function requestRollback(
  deps: DeployDeps,
  appName: string,
  input: unknown,
  actor: Actor,
  trigger: 'api' | 'dashboard' = 'api',
) {
  const { version } = parseInput(rollbackInputSchema, input);
  const result = await appTransaction(deps.db, async (tx) => {
    const app = await findAppForChange(tx, appName);
    await lockApp(tx, app.id);
    const target = await tx.release.findUnique({ where: { appId_version: { appId: app.id, version } } });
    if (!target) throw validationError(`release v${version} does not exist`, { fields: { version: 'no such release' } });
    if ((target.status !== 'active' && target.status !== 'superseded') || !target.templateRef) {
      throw validationError(`release v${version} never ran successfully, so it cannot be rolled back to`, {
        fields: { version: `v${version} is ${target.status}` },
      });
    }
    const deployment = await tx.deployment.create({
      data: {
        appId: app.id,
        kind: 'rollback',
        step: 'release',
        targetReleaseId: target.id,
        trigger,
        description: `Rollback to v${version}`,
        nextCheckAt: new Date(),
      },
    });
    const superseded = await supersedeOlder(tx, { id: deployment.id, appId: app.id, kind: 'rollback', trigger, commitSha: null });
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: 'release.rollback',
      targetType: 'app',
      targetId: app.id,
      appName: app.name,
      data: { deployment: deployment.id, toVersion: version },
    });
    return { deployment, deliver: [deployment.id, ...superseded] };
  });
  for (const id of result.deliver) {
    await deliver(deps.log, 'a rollback', () => deps.queue.advanceDeployment(id, { key: deploymentJobKey.start(id) }));
  }
  return deploymentSummary(result.deployment);
}
