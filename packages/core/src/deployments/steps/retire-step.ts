import { Prisma } from '@paas/db';
import { applyToGroup, matchesFormation, recordedCapacity } from '../../formation/autoscaling';
import { capacityOf } from '../../formation/capacity';
import { destroyServerGroups } from '../../formation/destroy-server-groups';
import { launchedGroupIds } from '../step-data';
import { done } from '../steps-machine';
import type { StepHandler } from './step-context';

// After the switch: the group that served before stays up, disabled and warm,
// for an instant rollback (kept registered with the load balancer, so its
// health is known). The previous generation of other process types is scaled
// to zero (old workers must not keep consuming jobs with old code) and kept
// for a rollback to bring back; anything older is destroyed. A group that
// receives traffic is never destroyed. Finally the new groups are sized to the
// formation, which may have changed while the deployment ran. What cannot be
// removed now stays `destroying` for the reconciler: the release is live either way.
const KEEP_GENERATIONS = 1;

export const retireStep: StepHandler = async (run) => {
  const { ctx, d, cloud } = run;
  const launched = launchedGroupIds(run.data);
  const old = await ctx.db.serverGroup.findMany({
    where: {
      appId: d.appId,
      id: { notIn: launched },
      status: { in: ['active', 'disabled', 'creating'] },
      receivesTraffic: false,
    },
    orderBy: { createdAt: 'desc' },
  });
  const keep = new Set<string>();
  const keptPerType = new Map<string, number>();
  const previous = run.data.route?.from ?? null;
  for (const group of [...old].sort((a, b) => Number(b.id === previous) - Number(a.id === previous))) {
    const count = keptPerType.get(group.processType) ?? 0;
    if (count < KEEP_GENERATIONS && group.providerRef) {
      keep.add(group.id);
      keptPerType.set(group.processType, count + 1);
    }
  }
  for (const group of old.filter((g) => keep.has(g.id))) {
    const ref = group.providerRef as string;
    await cloud.disableServerGroup(ref);
    if (group.processType !== 'web' && (group.desired !== 0 || group.scaling !== null)) {
      // A warm worker group must not run (it would take jobs twice), nor be scaled back up by its policy.
      await cloud.setScalingPolicy(ref, null);
      await cloud.setCapacity(ref, capacityOf(0));
      await ctx.db.serverGroup.update({
        where: { id: group.id },
        data: { desired: 0, minSize: 0, maxSize: 0, scaling: Prisma.DbNull },
      });
    }
    if (group.status !== 'disabled')
      await ctx.db.serverGroup.update({ where: { id: group.id }, data: { status: 'disabled', disabledAt: ctx.now() } });
  }
  const destroyed = await destroyServerGroups(
    ctx,
    cloud,
    run.app,
    old.filter((g) => !keep.has(g.id)),
  );

  const formation = await ctx.db.processType.findMany({ where: { appId: d.appId } });
  const current = await ctx.db.serverGroup.findMany({ where: { id: { in: launched } } });
  for (const group of current) {
    const pt = formation.find((p) => p.type === group.processType);
    if (pt === undefined || matchesFormation(group, pt) || !group.providerRef) continue;
    // The formation changed while this deployment rolled out: apply it now.
    const autoscaling = await applyToGroup(cloud, group.providerRef, group, pt);
    await ctx.db.serverGroup.update({ where: { id: group.id }, data: recordedCapacity(pt.quantity, autoscaling) });
  }
  return done({ retire: { destroyed } });
};
