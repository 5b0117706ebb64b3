import { type Db, Prisma } from '@paas/db';
import { parseInput } from '../apps/app-input';
import { appTransaction } from '../apps/app-transaction';
import { findAppForChange } from '../apps/find-app';
import { lockApp } from '../apps/lock-app';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { deploymentSummary } from '../deployments/deployment-summary';
import { deploymentJobKey } from '../deployments/job-keys';
import { supersedeOlder } from '../deployments/supersede';
import { AppError } from '../errors';
import type { CloudInventoryRegistry } from '../ports/cloud-provider';
import type { JobQueue } from '../ports/job-queue';
import type { Logger } from '../ports/logger';
import { deliver } from '../queue-delivery';
import { type Autoscaling, parseAutoscaling } from './autoscaling';
import { processTypeSchema, updateFormationInputSchema } from './formation-input';

/**
 * Records the wanted quantity and size (the source of truth), then asks the
 * worker to make the cloud match. A new quantity resizes the running group; a
 * new size needs new instances, so it rolls out as a release (red/black, no
 * downtime), like any other change of what runs. Nothing waits for instances.
 */
export async function updateFormation(
  deps: { db: Db; queue: JobQueue; log: Logger; clouds: CloudInventoryRegistry },
  appName: string,
  type: string,
  input: unknown,
  actor: Actor,
) {
  const processType = parseInput(processTypeSchema, type);
  const { quantity, size, autoscaling } = parseInput(updateFormationInputSchema, input);
  if (autoscaling?.metric === 'requests' && processType !== 'web') {
    throw new AppError(
      'validation_failed',
      `only the web process type gets requests from the load balancer: autoscale "${processType}" on cpu instead`,
    );
  }

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
    if (size !== undefined && size !== existing.instanceSize) {
      const account = await tx.cloudAccount.findUniqueOrThrow({ where: { id: app.cloudAccountId } });
      const offered = deps.clouds.forAccount(account).instanceSizes();
      if (!offered.includes(size)) {
        throw new AppError(
          'validation_failed',
          `cloud account "${account.name}" does not offer size ${size}: choose ${offered.join(', ')}, or add the size to the account's settings`,
        );
      }
    }
    const before = parseAutoscaling(existing.autoscaling);
    const after: Autoscaling | null = autoscaling === undefined ? before : autoscaling;
    // Turning autoscaling off keeps the count it had got to: no jump back to the last slider position.
    const running =
      before && after === null && quantity === undefined
        ? await tx.serverGroup.findFirst({
            where: { appId: app.id, processType, status: 'active' },
            orderBy: { createdAt: 'desc' },
            select: { observedDesired: true },
          })
        : null;
    const count = quantityWithin(quantity ?? running?.observedDesired ?? undefined, existing.quantity, after);
    const row = await tx.processType.update({
      where: { id: existing.id },
      data: {
        quantity: count,
        ...(size ? { instanceSize: size } : {}),
        ...(autoscaling !== undefined ? { autoscaling: autoscaling ?? Prisma.DbNull } : {}),
      },
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
        before: { quantity: existing.quantity, size: existing.instanceSize, autoscaling: before },
        after: { quantity: count, size: size ?? existing.instanceSize, autoscaling: after },
      },
    });
    const rescaled = count !== existing.quantity || JSON.stringify(before) !== JSON.stringify(after);
    return { app, row, deployment, superseded, rescaled };
  });

  if (result.rescaled) {
    const key = `${result.app.id}.${processType}.${result.row.updatedAt.getTime()}`;
    await deliver(deps.log, 'a formation change', () => deps.queue.applyFormation(result.app.id, processType, { key }));
  }
  for (const id of [...(result.deployment ? [result.deployment.id] : []), ...result.superseded]) {
    await deliver(deps.log, 'a resize', () => deps.queue.advanceDeployment(id, { key: deploymentJobKey.start(id) }));
  }
  return {
    formation: {
      type: result.row.type,
      quantity: result.row.quantity,
      size: result.row.instanceSize,
      autoscaling: parseAutoscaling(result.row.autoscaling),
    },
    deployment: result.deployment ? deploymentSummary(result.deployment) : null,
  };
}

/**
 * The count to store. With autoscaling, a count outside [min, max] is refused
 * when asked for (the slider cannot go there), and the stored one is moved
 * into the range when only the range changed.
 */
function quantityWithin(asked: number | undefined, current: number, autoscaling: Autoscaling | null): number {
  if (!autoscaling) return asked ?? current;
  const { min, max } = autoscaling;
  if (asked !== undefined && (asked < min || asked > max)) {
    throw new AppError(
      'validation_failed',
      `quantity ${asked} is outside the autoscaling range ${min}–${max}: choose a count in it, widen min/max, or turn autoscaling off`,
    );
  }
  return Math.min(max, Math.max(min, asked ?? current));
}
