import type { Db } from '@paas/db';
import { parseInput } from '../apps/app-input';
import { appTransaction } from '../apps/app-transaction';
import { findAppForChange } from '../apps/find-app';
import { lockApp } from '../apps/lock-app';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { deploymentSummary } from '../deployments/deployment-summary';
import { deploymentJobKey } from '../deployments/job-keys';
import { supersedeOlder } from '../deployments/supersede';
import { AppError } from '../errors';
import type { JobQueue } from '../ports/job-queue';
import type { Logger } from '../ports/logger';
import { deliver } from '../queue-delivery';
import { processTypeSchema, updateFormationInputSchema } from './formation-input';

/**
 * Records the wanted quantity and size (the source of truth), then asks the
 * worker to make the cloud match. A new quantity resizes the running group; a
 * new size needs new instances, so it rolls out as a release (red/black, no
 * downtime), like any other change of what runs. Nothing waits for instances.
 */
export async function updateFormation(
  deps: { db: Db; queue: JobQueue; log: Logger },
  appName: string,
  type: string,
  input: unknown,
  actor: Actor,
) {
  const processType = parseInput(processTypeSchema, type);
  const { quantity, size } = parseInput(updateFormationInputSchema, input);

  const result = await appTransaction(deps.db, async (tx) => {
    const app = await findAppForChange(tx, appName);
    await lockApp(tx, app.id);
    const existing = await tx.processType.findUnique({ where: { appId_type: { appId: app.id, type: processType } } });
    if (!existing) {
      throw new AppError(
        'not_found',
        `app "${appName}" has no process type "${processType}" (it appears once a release declares it)`,
      );
    }
    const row = await tx.processType.update({
      where: { id: existing.id },
      data: { ...(quantity !== undefined ? { quantity } : {}), ...(size ? { instanceSize: size } : {}) },
    });
    const resized = size !== undefined && size !== existing.instanceSize;
    let deployment = null;
    let superseded: string[] = [];
    if (resized && (await tx.release.count({ where: { appId: app.id, status: 'active' } })) > 0) {
      deployment = await tx.deployment.create({
        data: {
          appId: app.id,
          kind: 'resize',
          step: 'release',
          trigger: 'api',
          description: `Resize ${processType} to ${size}`,
          nextCheckAt: new Date(),
        },
      });
      superseded = await supersedeOlder(tx, {
        id: deployment.id,
        appId: app.id,
        kind: 'resize',
        trigger: 'api',
        commitSha: null,
      });
    }
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: 'formation.update',
      targetType: 'app',
      targetId: app.id,
      appName: app.name,
      data: {
        processType,
        before: { quantity: existing.quantity, size: existing.instanceSize },
        after: { quantity: quantity ?? existing.quantity, size: size ?? existing.instanceSize },
      },
    });
    return { app, row, deployment, superseded };
  });

  if (quantity !== undefined) {
    const key = `${result.app.id}.${processType}.${result.row.updatedAt.getTime()}`;
    await deliver(deps.log, 'a formation change', () => deps.queue.applyFormation(result.app.id, processType, { key }));
  }
  for (const id of [...(result.deployment ? [result.deployment.id] : []), ...result.superseded]) {
    await deliver(deps.log, 'a resize', () => deps.queue.advanceDeployment(id, { key: deploymentJobKey.start(id) }));
  }
  return {
    formation: { type: result.row.type, quantity: result.row.quantity, size: result.row.instanceSize },
    deployment: result.deployment ? deploymentSummary(result.deployment) : null,
  };
}
