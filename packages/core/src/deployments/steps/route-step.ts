import { done } from '../steps-machine';
import type { StepHandler } from '.';
import { launchedGroupNames } from './step-data';

// The switch: the app's hostnames now point at the new web group. The old
// groups are only marked disabled here (still running, no traffic) so a
// rollback can route back to them at once.
export const routeStep: StepHandler = async (ctx, d) => {
  const names = launchedGroupNames(d);
  const groups = await ctx.db.serverGroup.findMany({ where: { name: { in: names } } });
  const web = groups.find((g) => g.processType === 'web') ?? null;
  const domains = await ctx.db.domain.findMany({ where: { appId: d.appId, status: 'active' }, select: { hostname: true } });

  await ctx.cloud.routeApp({
    app: d.app.name,
    hostnames: [...ctx.cloud.defaultHostnames(d.app.name), ...domains.map((x) => x.hostname)],
    serverGroupRef: web?.providerRef ?? null,
  });

  const releaseId = groups[0]?.releaseId ?? d.releaseId;
  await ctx.db.$transaction(async (tx) => {
    await tx.serverGroup.updateMany({
      where: { appId: d.appId, name: { notIn: names }, status: { in: ['active', 'creating'] } },
      data: { status: 'disabled', receivesTraffic: false },
    });
    await tx.serverGroup.updateMany({ where: { name: { in: names } }, data: { status: 'active', receivesTraffic: false } });
    if (web) await tx.serverGroup.update({ where: { id: web.id }, data: { receivesTraffic: true } });
    if (releaseId) {
      await tx.release.updateMany({
        where: { appId: d.appId, status: 'active', id: { not: releaseId } },
        data: { status: 'superseded' },
      });
      await tx.release.update({ where: { id: releaseId }, data: { status: 'active' } });
    }
  });
  return done();
};
