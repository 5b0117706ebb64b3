import type { CoreContext } from '../context';
import type { AppRef, CloudProvider } from '../ports/cloud-provider';
import { isRetryableError } from '../retryable';

interface GroupToDestroy {
  id: string;
  providerRef: string | null;
  registered: boolean;
  receivesTraffic: boolean;
}

/**
 * Marks the groups `destroying` first (so the intent survives a crash), then
 * removes each from the load balancer and the cloud. A group that receives
 * traffic is never touched. A cloud error leaves the group `destroying` for the
 * reconciler to finish; it does not fail the caller. Returns how many are gone.
 */
export async function destroyServerGroups(
  ctx: CoreContext,
  cloud: CloudProvider,
  app: AppRef,
  groups: GroupToDestroy[],
): Promise<number> {
  const doomed = groups.filter((g) => !g.receivesTraffic);
  if (doomed.length === 0) return 0;
  await ctx.db.serverGroup.updateMany({
    where: { id: { in: doomed.map((g) => g.id) }, receivesTraffic: false },
    data: { status: 'destroying' },
  });
  let destroyed = 0;
  for (const group of doomed) {
    try {
      if (group.providerRef) {
        if (group.registered) await cloud.deregisterServerGroup(app, group.providerRef);
        await cloud.destroyServerGroup(group.providerRef);
      }
      await ctx.db.serverGroup.update({
        where: { id: group.id },
        data: {
          status: 'destroyed',
          registered: false,
          desired: 0,
          minSize: 0,
          maxSize: 0,
          observedHealthy: 0,
          observedStarting: 0,
          observedFailed: 0,
          observedInstances: [],
        },
      });
      destroyed++;
    } catch (error) {
      if (isRetryableError(error)) ctx.log.warn('server group removal deferred', { group: group.id, error: String(error) });
      else
        ctx.log.error('could not remove server group; the reconciler will try again', { group: group.id, error: String(error) });
    }
  }
  return destroyed;
}

/** The reconciler's part: finish removals a crash or a cloud error interrupted. */
export async function reconcileDestroyingGroups(ctx: CoreContext): Promise<number> {
  const groups = await ctx.db.serverGroup.findMany({
    where: { status: 'destroying' },
    select: {
      id: true,
      providerRef: true,
      registered: true,
      receivesTraffic: true,
      app: { select: { id: true, name: true, cloudAccount: true } },
    },
    take: 100,
  });
  let done = 0;
  for (const group of groups) {
    done += await destroyServerGroups(
      ctx,
      ctx.clouds.forAccount(group.app.cloudAccount),
      { id: group.app.id, name: group.app.name },
      [group],
    );
  }
  return done;
}
