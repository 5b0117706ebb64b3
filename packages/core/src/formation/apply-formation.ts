import type { CoreContext } from '../context';

/**
 * Makes the running server group of a process type match the formation. With a
 * deployment in progress the deployment's last step does this instead, so the
 * change is not applied to a group about to be replaced.
 */
export async function applyFormation(ctx: CoreContext, appId: string, processType: string) {
  const pt = await ctx.db.processType.findUnique({ where: { appId_type: { appId, type: processType } } });
  if (!pt) return { changed: false, reason: 'unknown process type' };
  const group = await ctx.db.serverGroup.findFirst({
    where: { appId, processType, status: 'active' },
    orderBy: { createdAt: 'desc' },
  });
  if (!group?.providerRef) return { changed: false, reason: 'no running release' };
  if (group.desired === pt.quantity) {
    // Still resize: the provider is idempotent and this repairs drift.
    await ctx.cloud.resizeServerGroup(group.providerRef, pt.quantity);
    return { changed: false, reason: 'already at quantity' };
  }
  await ctx.db.serverGroup.update({ where: { id: group.id }, data: { desired: pt.quantity } });
  await ctx.cloud.resizeServerGroup(group.providerRef, pt.quantity);
  ctx.log.info('formation applied', { app: appId, processType, quantity: pt.quantity });
  return { changed: true };
}
