import { type Capacity, notFound, type ScalingBounds } from '@paas/core';
import { clampCount } from '../autoscaling/scaling-decision';
import type { LocalContext } from '../context';
import { safeName } from '../state/layout';
import { assertBounds, assertCapacity } from './capacity';
import { convergeServerGroup } from './converge-server-group';
import { changeGroup, readGroup, saveGroup, withGroupLock } from './group-store';

/**
 * Sets capacity and converges: new instances on fresh ports, or the newest
 * stopped (TERM, grace, KILL). Bounds without a desired count are for a
 * group whose autoscaler picks the count: it keeps the one it has, moved
 * into the new bounds.
 */
export async function setCapacity(ctx: LocalContext, ref: string, capacity: Capacity | ScalingBounds): Promise<void> {
  if ('desired' in capacity) assertCapacity(capacity);
  else assertBounds(capacity);
  await withGroupLock(ctx, safeName(ref, 'server group'), async () => {
    const group = await readGroup(ctx, ref);
    if (group === null || group.destroyed) throw notFound('server group', ref);
    const next: Capacity =
      'desired' in capacity
        ? { min: capacity.min, max: capacity.max, desired: capacity.desired }
        : { min: capacity.min, max: capacity.max, desired: clampCount(group.capacity.desired, capacity) };
    if (JSON.stringify(group.capacity) !== JSON.stringify(next)) {
      group.capacity = next;
      await saveGroup(ctx, group);
      ctx.log.info('server group capacity set', { group: ref, ...next, ...('desired' in capacity ? {} : { bounds: true }) });
    }
    await convergeServerGroup(ctx, ref);
  });
}

/** Enabled groups may receive traffic; disabled ones keep running, warm, for an instant rollback. */
export function setEnabled(enabled: boolean) {
  return async (ctx: LocalContext, ref: string): Promise<void> => {
    await changeGroup(ctx, safeName(ref, 'server group'), (group) => {
      if (group.enabled === enabled) return false;
      group.enabled = enabled;
      if (!enabled) group.disabledAt = new Date().toISOString();
      ctx.log.info(enabled ? 'server group enabled' : 'server group disabled', { group: ref });
      return true;
    });
  };
}
