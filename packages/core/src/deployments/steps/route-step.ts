import { restoreConfig } from '../../config/restore-config';
import { appHostnames } from '../../domains/app-hostnames';
import { AppError } from '../../errors';
import { LostClaimError } from '../deployment-store';
import { launchedGroupIds } from '../step-data';
import { done } from '../steps-machine';
import type { StepHandler, StepRun } from './step-context';

// The switch. Where traffic was and where it goes are saved before the cloud
// call, so a failure during or after it can send traffic back to exactly the
// group that served before (see unwind-deployment.ts). The old groups keep
// running, disabled, so a rollback can route back to them at once.
export const routeStep: StepHandler = async (run) => {
  const { ctx, d } = run;
  const launched = await ctx.db.serverGroup.findMany({ where: { id: { in: launchedGroupIds(run.data) } } });
  const web = launched.find((g) => g.processType === 'web') ?? null;

  if (!run.data.route?.phase) {
    const serving = await ctx.db.serverGroup.findFirst({
      where: { appId: d.appId, receivesTraffic: true },
      select: { id: true },
    });
    const active = await ctx.db.release.findFirst({ where: { appId: d.appId, status: 'active' }, select: { id: true } });
    await run.save({
      route: { from: serving?.id ?? null, to: web?.id ?? null, fromRelease: active?.id ?? null, phase: 'switching' },
    });
  }
  const toId = run.data.route?.to ?? null;
  const to = toId === null ? null : launched.find((g) => g.id === toId);
  if (toId !== null && !to?.providerRef) throw new AppError('internal', 'the group to switch to was never created');
  if (to?.providerRef)
    await run.cloud.switchTraffic({ app: run.app, hostnames: await hostnamesOf(run), serverGroupRef: to.providerRef });

  const releaseId = run.data.release?.releaseId ?? d.releaseId;
  const ids = launched.map((g) => g.id);
  await ctx.db.$transaction(async (tx) => {
    // Every other live group of the app stops taking traffic; the launched ones are now the app.
    await tx.serverGroup.updateMany({
      where: { appId: d.appId, id: { notIn: ids }, status: { in: ['active', 'creating'] } },
      data: { status: 'disabled', receivesTraffic: false, disabledAt: ctx.now() },
    });
    await tx.serverGroup.updateMany({
      where: { id: { in: ids } },
      data: { status: 'active', receivesTraffic: false, disabledAt: null },
    });
    if (to) await tx.serverGroup.update({ where: { id: to.id }, data: { receivesTraffic: true } });
    if (releaseId) {
      await tx.release.updateMany({
        where: { appId: d.appId, status: 'active', id: { not: releaseId } },
        data: { status: 'superseded' },
      });
      const release = await tx.release.update({ where: { id: releaseId }, data: { status: 'active' } });
      if (d.kind === 'rollback') {
        // The app's config is now the one rolled back to, as a new config version the release names.
        const restored = await restoreConfig(tx, ctx.secrets, d.appId, release.configVersionId);
        await tx.release.update({ where: { id: release.id }, data: { configVersionId: restored } });
      }
    }
    const row = await tx.deployment.findUniqueOrThrow({ where: { id: d.id }, select: { attempts: true } });
    // Lost the claim meanwhile: undo all of this; the runner that has it decides.
    if (row.attempts !== run.attempt) throw new LostClaimError(`deployment ${d.id} was claimed by another runner`);
  });
  return done({ route: { phase: 'switched' } });
};

/** The app's default hostnames plus its custom domains that are ready. */
export function hostnamesOf(run: StepRun): Promise<string[]> {
  return appHostnames(run.ctx.db, run.cloud, run.app);
}
