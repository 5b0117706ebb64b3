import type { CoreContext } from '../context';
import { applyToGroup, matchesFormation, recordedCapacity } from './autoscaling';

// Formation jobs for one app run concurrently (a slider dragged twice, the
// reconcile loop). Each re-reads the formation after its cloud calls and goes
// again if it changed meanwhile, so the last call to reach the group is never
// one made from a formation already replaced. After this many passes it stops
// and records what it applied; the reconcile loop sees the drift and repairs it.
const MAX_PASSES = 3;

/**
 * Makes the serving group of a process type match the formation: its count,
 * or with autoscaling its bounds and target-tracking policy. While a
 * deployment of the app is rolling out, its last step does this instead, so a
 * group about to be replaced is not resized.
 */
export async function applyFormation(ctx: CoreContext, appId: string, processType: string) {
  const app = await ctx.db.app.findUnique({ where: { id: appId }, include: { cloudAccount: true } });
  if (!app || app.deletingAt) return { changed: false, reason: 'no such app' };
  if (app.rolloutDeploymentId)
    return { changed: false, reason: 'a deployment is rolling out; it applies the formation when done' };
  const cloud = ctx.clouds.forAccount(app.cloudAccount);
  const formationOf = () => ctx.db.processType.findUnique({ where: { appId_type: { appId, type: processType } } });

  let pt = await formationOf();
  for (let pass = 1; ; pass++) {
    if (!pt) return { changed: false, reason: 'unknown process type' };
    const group = await ctx.db.serverGroup.findFirst({
      where: { appId, processType, status: 'active' },
      orderBy: { createdAt: 'desc' },
    });
    if (!group?.providerRef) return { changed: false, reason: 'no running release' };
    // Set even when unchanged: the provider is idempotent and this repairs drift.
    const autoscaling = await applyToGroup(cloud, group.providerRef, group, pt);
    const now = await formationOf();
    const superseded =
      now !== null && (now.quantity !== pt.quantity || JSON.stringify(now.autoscaling) !== JSON.stringify(pt.autoscaling));
    if (superseded && pass < MAX_PASSES) {
      pt = now;
      continue;
    }
    if (matchesFormation(group, pt)) return { changed: false, reason: 'already at quantity' };
    await ctx.db.serverGroup.update({ where: { id: group.id }, data: recordedCapacity(pt.quantity, autoscaling) });
    ctx.log.info('formation applied', {
      app: app.name,
      processType,
      quantity: pt.quantity,
      ...(autoscaling ? { autoscaling } : {}),
    });
    return { changed: true };
  }
}
