import { done } from '../steps-machine';
import type { StepHandler } from '.';
import { launchedGroupNames } from './step-data';

// After the switch: the previous web group stays up, disabled, for an instant
// rollback; older groups and every old non-web group (a worker must not keep
// consuming jobs with old code) are destroyed. Finally the new groups are
// sized to the formation, which may have changed while the deploy ran.
const KEEP_PREVIOUS_WEB = 1;

export const retireStep: StepHandler = async (ctx, d) => {
  const names = launchedGroupNames(d);
  const disabled = await ctx.db.serverGroup.findMany({
    where: { appId: d.appId, status: 'disabled', name: { notIn: names } },
    orderBy: { createdAt: 'desc' },
  });
  const keep = new Set(
    disabled
      .filter((g) => g.processType === 'web')
      .slice(0, KEEP_PREVIOUS_WEB)
      .map((g) => g.id),
  );
  for (const group of disabled) {
    if (keep.has(group.id)) continue;
    await ctx.db.serverGroup.update({ where: { id: group.id }, data: { status: 'destroying' } });
    if (group.providerRef) await ctx.cloud.destroyServerGroup(group.providerRef);
    await ctx.db.serverGroup.update({ where: { id: group.id }, data: { status: 'destroyed', desired: 0 } });
  }

  const formation = await ctx.db.processType.findMany({ where: { appId: d.appId } });
  const current = await ctx.db.serverGroup.findMany({ where: { name: { in: names } } });
  for (const group of current) {
    const quantity = formation.find((p) => p.type === group.processType)?.quantity;
    if (quantity === undefined || quantity === group.desired || !group.providerRef) continue;
    await ctx.cloud.resizeServerGroup(group.providerRef, quantity);
    await ctx.db.serverGroup.update({ where: { id: group.id }, data: { desired: quantity } });
  }
  return done({ destroyed: disabled.length - keep.size });
};
