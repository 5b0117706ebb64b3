import { notFound } from '@paas/core';
import type { LocalContext } from '../context';
import { safeName } from '../state/layout';
import { convergeServerGroup } from './converge-server-group';
import { assertDesired } from './ensure-server-group';
import { readGroup, saveGroup, withGroupLock } from './group-store';

/** Sets desired and converges: new instances on fresh ports, or the newest stopped (TERM, grace, KILL). */
export async function resizeServerGroup(ctx: LocalContext, ref: string, desired: number): Promise<void> {
  const name = safeName(ref, 'server group');
  assertDesired(desired);
  await withGroupLock(ctx, name, async () => {
    const group = await readGroup(ctx, name);
    if (group === null || group.destroyed) throw notFound('server group', ref);
    if (group.desired !== desired) {
      group.desired = desired;
      await saveGroup(ctx, group);
      ctx.log.info('server group resized', { group: name, desired });
    }
    await convergeServerGroup(ctx, name);
  });
}
