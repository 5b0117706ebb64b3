import type { CoreContext } from '../context';
import { applyFormation } from './apply-formation';
import { matchesFormation } from './autoscaling';

/**
 * Formation changes are saved before they are enqueued; if the enqueue was lost
 * (Redis down, a crash in between), the running groups drift from the
 * formation. This finds them and applies the formation, leaving apps that are
 * rolling out to that deployment's last step.
 */
export async function reconcileFormations(ctx: CoreContext): Promise<number> {
  // One query on every reconcile tick: the serving groups with their app's formation.
  const groups = await ctx.db.serverGroup.findMany({
    where: { status: 'active', app: { rolloutDeploymentId: null, deletingAt: null } },
    select: {
      appId: true,
      processType: true,
      desired: true,
      minSize: true,
      maxSize: true,
      scaling: true,
      app: { select: { processTypes: { select: { type: true, quantity: true, autoscaling: true } } } },
    },
  });
  let applied = 0;
  for (const group of groups) {
    const pt = group.app.processTypes.find((p) => p.type === group.processType);
    if (!pt || matchesFormation(group, pt)) continue;
    await applyFormation(ctx, group.appId, group.processType);
    applied++;
  }
  return applied;
}
