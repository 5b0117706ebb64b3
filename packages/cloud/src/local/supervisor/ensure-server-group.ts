import { AppError, type ServerGroupInput, validationError } from '@paas/core';
import type { LocalContext } from '../context';
import { safeName } from '../state/layout';
import type { GroupRecord } from '../state/records';
import { convergeServerGroup } from './converge-server-group';
import { readGroup, readTemplate, saveGroup, withGroupLock } from './group-store';

export const MAX_INSTANCES = 100;

export function assertDesired(desired: number): void {
  if (!Number.isInteger(desired) || desired < 0 || desired > MAX_INSTANCES) {
    throw validationError(`desired must be an integer between 0 and ${MAX_INSTANCES}`);
  }
}

/**
 * Idempotent by name, like creating an Auto Scaling Group with a deterministic
 * name: a retry finds the group and finishes starting it. An existing group
 * keeps its own desired count (change it with resize); a destroyed one is
 * created again, which is how a rollback brings an old release back.
 */
export async function ensureServerGroup(ctx: LocalContext, input: ServerGroupInput): Promise<{ ref: string }> {
  const name = safeName(input.name, 'server group');
  assertDesired(input.desired);
  const template = await readTemplate(ctx, input.templateRef);
  if (template.processes[input.processType] === undefined) {
    throw validationError(`release template ${input.templateRef} has no "${input.processType}" process type`);
  }

  await withGroupLock(ctx, name, async () => {
    const existing = await readGroup(ctx, name);
    if (existing !== null && !existing.destroyed) {
      if (existing.templateRef !== input.templateRef || existing.processType !== input.processType) {
        throw new AppError(
          'conflict',
          `server group ${name} already exists for ${existing.templateRef} (${existing.processType})`,
          {
            details: { serverGroup: name },
          },
        );
      }
    } else {
      const now = new Date().toISOString();
      const group: GroupRecord = {
        ref: name,
        name,
        app: input.app,
        release: input.release,
        processType: input.processType,
        templateRef: input.templateRef,
        desired: input.desired,
        destroyed: false,
        nextSeq: existing?.nextSeq ?? 1,
        createdAt: now,
        updatedAt: now,
        instances: [],
      };
      await saveGroup(ctx, group);
      ctx.log.info('server group created', { group: name, desired: input.desired });
    }
    await convergeServerGroup(ctx, name);
  });
  return { ref: name };
}
