import { AppError, type ServerGroupInput, validationError } from '@paas/core';
import type { LocalContext } from '../context';
import { assertImageKept } from '../housekeeping/assert-image-kept';
import { localNames } from '../names';
import type { GroupRecord } from '../state/records';
import { assertCapacity } from './capacity';
import { convergeServerGroup } from './converge-server-group';
import { readGroup, readTemplate, saveGroup, withGroupLock } from './group-store';

/**
 * Idempotent by the group's id, like creating an Auto Scaling Group with a
 * name derived from it: a retry finds the group and finishes starting it. An
 * existing group keeps its own capacity (change it with setCapacity).
 */
export async function ensureServerGroup(ctx: LocalContext, input: ServerGroupInput): Promise<{ ref: string }> {
  const ref = localNames.serverGroup(input.id);
  assertCapacity(input.capacity);
  const template = await readTemplate(ctx, input.templateRef);
  const process = template.processes[input.processType];
  if (process === undefined)
    throw validationError(`release template ${input.templateRef} has no "${input.processType}" process type`);
  if (template.app.id !== input.app.id) throw validationError(`release template ${input.templateRef} belongs to another app`);
  await assertImageKept(ctx, input.templateRef, template);

  await withGroupLock(ctx, ref, async () => {
    const existing = await readGroup(ctx, ref);
    if (existing !== null) {
      if (existing.templateRef !== input.templateRef || existing.processType !== input.processType) {
        throw new AppError(
          'conflict',
          `server group ${ref} already exists for ${existing.templateRef} (${existing.processType})`,
          {
            details: { serverGroup: ref },
          },
        );
      }
      if (existing.destroyed) throw new AppError('conflict', `server group ${ref} was destroyed; a new group needs a new id`);
    } else {
      const now = new Date().toISOString();
      const group: GroupRecord = {
        ref,
        app: { id: input.app.id, name: input.app.name },
        release: { id: input.release.id, version: input.release.version },
        processType: input.processType,
        templateRef: input.templateRef,
        healthCheck: process.healthCheck,
        capacity: { ...input.capacity },
        enabled: true,
        destroyed: false,
        nextSeq: 1,
        createdAt: now,
        updatedAt: now,
        instances: [],
      };
      await saveGroup(ctx, group);
      ctx.log.info('server group created', { group: ref, app: input.app.name, desired: input.capacity.desired });
    }
    await convergeServerGroup(ctx, ref);
  });
  return { ref };
}
