import { type Capacity, notFound } from '@paas/core';
import type { LocalContext } from '../context';
import { safeName } from '../state/layout';
import { assertCapacity } from './capacity';
import { convergeServerGroup } from './converge-server-group';
import { changeGroup, readGroup, saveGroup, withGroupLock } from './group-store';

/** Sets capacity and converges: new instances on fresh ports, or the newest stopped (TERM, grace, KILL). */
export async function setCapacity(ctx: LocalContext, ref: string, capacity: Capacity): Promise<void> {
  assertCapacity(capacity);
  await withGroupLock(ctx, safeName(ref, 'server group'), async () => {
    const group = await readGroup(ctx, ref);
    if (group === null || group.destroyed) throw notFound('server group', ref);
    if (JSON.stringify(group.capacity) !== JSON.stringify(capacity)) {
      group.capacity = { ...capacity };
      await saveGroup(ctx, group);
      ctx.log.info('server group capacity set', { group: ref, ...capacity });
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
      ctx.log.info(enabled ? 'server group enabled' : 'server group disabled', { group: ref });
      return true;
    });
  };
}
