import { restoreConfig } from '../config/restore-config';
import type { CoreContext } from '../context';
import { destroyServerGroups } from '../formation/destroy-server-groups';
import { isRetryableError } from '../retryable';
import { finishDeployment, type LoadedDeployment } from './deployment-store';
import type { StepData } from './step-data';
import { copyLog } from './steps/build-step';
import { hostnamesOf } from './steps/route-step';
import { type StepRun, stepRun } from './steps/step-context';
import { type DeploymentStep, LIVE_STATES } from './steps-machine';

/**
 * Undoes exactly what this deployment changed, in the order that keeps the
 * app serving: stop its build (unless another live deployment shares it), send
 * traffic back to the group that served before if the switch was recorded,
 * remove the groups it created (never one that receives traffic), put kept
 * groups a rollback brought back to rest, and mark its release failed. Each
 * part is idempotent; a transient error makes the engine run the unwind again.
 */
export async function unwindDeployment(ctx: CoreContext, d: LoadedDeployment, data: StepData, attempt: number): Promise<void> {
  const unwind = data.unwind;
  if (!unwind) throw new Error('unwindDeployment without an unwind reason');
  const run = stepRun(ctx, d, data, attempt);
  await stopBuild(run, unwind.message);
  const reverted = await sendTrafficBack(run);
  await removeLaunchedGroups(run, reverted);
  if (d.releaseId) {
    await ctx.db.release.updateMany({
      where: { id: d.releaseId, status: { in: ['pending', 'active', 'superseded'] } },
      data: { status: 'failed' },
    });
  }
  const step = d.step as DeploymentStep;
  await finishDeployment(ctx, d, attempt, {
    state: unwind.state,
    errorCode: unwind.code,
    error: unwind.message,
    // The step it ended in ends now too, so its duration shows.
    patch: { [step]: { finishedAt: ctx.now().toISOString() } } as StepData,
  });
  ctx.log.warn(`deployment ${unwind.state}`, {
    deployment: d.id,
    app: d.app.name,
    step: d.step,
    code: unwind.code,
    error: unwind.message,
  });
}

async function stopBuild(run: StepRun, reason: string): Promise<void> {
  const { ctx, d } = run;
  if (!d.buildId) return;
  const build = await ctx.db.build.findUnique({ where: { id: d.buildId } });
  if (!build || (build.status !== 'pending' && build.status !== 'building')) return;
  const sharedWith = await ctx.db.deployment.count({
    where: { buildId: build.id, id: { not: d.id }, state: { in: [...LIVE_STATES] }, cancelRequestedAt: null },
  });
  if (sharedWith > 0) return;
  if (build.jobRef) {
    await run.cloud.cancelImageBuild(build.jobRef);
    // What the build wrote up to the end, and how it ended, stays readable.
    await copyLog(run, build.id, build.jobRef, build.logCursor, true);
  }
  await ctx.db.build.update({ where: { id: build.id }, data: { status: 'canceled', error: reason, finishedAt: ctx.now() } });
}

/** Returns false when traffic may still reach this deployment's groups (the switch back failed). */
async function sendTrafficBack(run: StepRun): Promise<boolean> {
  const { ctx, d } = run;
  const route = run.data.route;
  if (!route?.phase || !route.to || route.from === route.to) return true;
  const from = route.from ? await ctx.db.serverGroup.findUnique({ where: { id: route.from } }) : null;
  const usable = from?.providerRef && from.status !== 'destroyed' && from.status !== 'destroying' ? from : null;
  try {
    if (usable) await run.cloud.enableServerGroup(usable.providerRef as string);
    await run.cloud.switchTraffic({
      app: run.app,
      hostnames: await hostnamesOf(run),
      serverGroupRef: usable?.providerRef ?? null,
    });
  } catch (error) {
    if (isRetryableError(error)) throw error;
    ctx.log.error('could not send traffic back to the previous release', { deployment: d.id, error: String(error) });
    return false;
  }
  await ctx.db.$transaction(async (tx) => {
    await tx.serverGroup.updateMany({ where: { id: route.to as string }, data: { receivesTraffic: false } });
    if (usable) await tx.serverGroup.update({ where: { id: usable.id }, data: { status: 'active', receivesTraffic: true } });
    // The release that was active before is the app's release again.
    await tx.release.updateMany({ where: { appId: d.appId, status: 'active' }, data: { status: 'superseded' } });
    if (route.fromRelease) {
      const previous = await tx.release.update({ where: { id: route.fromRelease }, data: { status: 'active' } });
      // A rollback made the app's config its target's when it switched: give back the config that runs again.
      if (d.kind === 'rollback' && route.phase === 'switched')
        await restoreConfig(tx, ctx.secrets, d.appId, previous.configVersionId);
    }
  });
  return true;
}

async function removeLaunchedGroups(run: StepRun, reverted: boolean): Promise<void> {
  const { ctx } = run;
  const created = run.data.launch?.created ?? [];
  const reused = run.data.launch?.reused ?? [];
  const groups = await ctx.db.serverGroup.findMany({ where: { id: { in: [...created, ...reused] } } });
  const route = run.data.route;
  // If traffic could not be moved back, the group it may still reach stays.
  const spare = (id: string) => !reverted && route?.to === id;
  await destroyServerGroups(
    ctx,
    run.cloud,
    run.app,
    groups.filter((g) => created.includes(g.id) && !spare(g.id)),
  );
  for (const group of groups.filter((g) => reused.includes(g.id) && !g.receivesTraffic && g.providerRef)) {
    await run.cloud.disableServerGroup(group.providerRef as string);
    await ctx.db.serverGroup.update({ where: { id: group.id }, data: { status: 'disabled', disabledAt: ctx.now() } });
  }
}
