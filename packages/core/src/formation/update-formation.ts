import type { Db } from '@paas/db';
import { parseInput } from '../apps/app-input';
import { type Actor, recordAuditEvent } from '../audit/record-audit-event';
import { AppError, notFound } from '../errors';
import type { JobQueue } from '../ports/job-queue';
import type { Logger } from '../ports/logger';
import { processTypeSchema, updateFormationInputSchema } from './formation-input';

/**
 * Records the wanted quantity (the source of truth), then asks the worker to
 * make the cloud match. The response does not wait for instances to start.
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
  const app = await deps.db.app.findUnique({ where: { name: appName }, select: { id: true, teamId: true } });
  if (!app) throw notFound('app', appName);

  const updated = await deps.db.$transaction(async (tx) => {
    const existing = await tx.processType.findUnique({ where: { appId_type: { appId: app.id, type: processType } } });
    if (!existing) {
      throw new AppError(
        'not_found',
        `app "${appName}" has no process type "${processType}" (it appears once a release declares it)`,
      );
    }
    const row = await tx.processType.update({
      where: { id: existing.id },
      data: { quantity, ...(size ? { instanceSize: size } : {}) },
    });
    await recordAuditEvent(tx, {
      teamId: app.teamId,
      actor,
      action: 'formation.update',
      targetType: 'app',
      targetId: app.id,
      data: { processType, from: existing.quantity, to: quantity, ...(size ? { size } : {}) },
    });
    return row;
  });

  try {
    await deps.queue.applyFormation(app.id, processType, { key: `${app.id}.${processType}.${updated.updatedAt.getTime()}` });
  } catch (error) {
    // The wanted state is saved; the reconciler applies it when the queue is back.
    deps.log.warn('could not enqueue formation change', { app: appName, error: String(error) });
  }
  return { type: updated.type, quantity: updated.quantity, size: updated.instanceSize };
}
