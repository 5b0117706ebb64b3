import type { CoreContext } from '../context';
import { LIVE_STATES } from '../deployments/steps-machine';
import { destroyServerGroups } from './destroy-server-groups';

/**
 * A warm group (disabled after a switch, kept for an instant rollback) costs
 * money on a cloud: past its retention window it is destroyed. Never while the
 * app has a deployment in flight, which might be a rollback bringing it back.
 */
export async function expireWarmGroups(ctx: CoreContext): Promise<number> {
  const retention = ctx.timings.warmRetentionMs;
  if (retention === null) return 0;
  const cutoff = new Date(ctx.now().getTime() - retention);
  const groups = await ctx.db.serverGroup.findMany({
    where: {
      status: 'disabled',
      receivesTraffic: false,
      disabledAt: { lt: cutoff },
      app: { deletingAt: null, deployments: { none: { state: { in: [...LIVE_STATES] } } } },
    },
    select: {
      id: true,
      providerRef: true,
      registered: true,
      receivesTraffic: true,
      app: { select: { id: true, name: true, teamId: true, cloudAccount: true } },
    },
    take: 100,
  });
  let expired = 0;
  for (const group of groups) {
    const { app } = group;
    expired += await destroyServerGroups(
      ctx,
      ctx.clouds.forAccount(app.cloudAccount),
      { id: app.id, name: app.name, teamId: app.teamId },
      [group],
    );
  }
  if (expired > 0) ctx.log.info('removed warm server groups past their retention window', { count: expired });
  return expired;
}
