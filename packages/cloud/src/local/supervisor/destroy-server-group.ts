import type { LocalContext } from '../context';
import { isSafeName } from '../state/layout';
import { convergeServerGroup } from './converge-server-group';
import { markStopping } from './drain-instances';
import { readGroup, saveGroup, withGroupLock } from './group-store';

/**
 * Marks the group destroyed first (so a concurrent reconcile never brings it
 * back), then stops every instance. Idempotent; an unknown ref is not an error.
 */
export async function destroyServerGroup(ctx: LocalContext, ref: string): Promise<void> {
  if (!isSafeName(ref)) return;
  if ((await readGroup(ctx, ref)) === null) return;
  await withGroupLock(ctx, ref, async () => {
    const group = await readGroup(ctx, ref);
    if (group === null) return;
    if (!group.destroyed || group.instances.some((instance) => !instance.stopping)) {
      group.destroyed = true;
      group.enabled = false;
      group.capacity = { min: 0, max: 0, desired: 0 };
      markStopping(group.instances);
      await saveGroup(ctx, group);
      ctx.log.info('server group destroyed', { group: ref });
    }
    await convergeServerGroup(ctx, ref);
  });
}
