import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../../errors';
import { parseAutoscaling, policyOf, recordedCapacity } from '../../formation/autoscaling';
import type { Capacity } from '../../ports/cloud-provider';
import { done } from '../steps-machine';
import type { StepHandler } from './step-context';

// One server group per process type of the release (red/black). Which groups
// this deployment makes is saved before any cloud call, and each ref right
// after its call; the provider dedupes by the group id, so a retry finds, not
// duplicates. A rollback brings back the groups its release left running
// (disabled, warm): that is what makes it instant.
export const launchStep: StepHandler = async (run) => {
  const { ctx, d, cloud, app } = run;
  const releaseId = run.data.release?.releaseId;
  if (!releaseId) throw new AppError('internal', 'the release step recorded no release');
  const release = await ctx.db.release.findUniqueOrThrow({ where: { id: releaseId }, include: { build: true } });
  if (!release.templateRef) throw new AppError('internal', `release v${release.version} has no template`);
  // The release whose template the groups run: a rollback runs its source's.
  const owner = release.sourceReleaseId
    ? await ctx.db.release.findUniqueOrThrow({ where: { id: release.sourceReleaseId } })
    : release;
  const types = Object.keys((release.build.processes ?? {}) as Record<string, string>);
  const formation = await ctx.db.processType.findMany({ where: { appId: d.appId, type: { in: types } } });

  if (!run.data.launch) {
    const kept =
      owner.id === release.id
        ? []
        : await ctx.db.serverGroup.findMany({
            where: { appId: d.appId, releaseId: owner.id, status: { in: ['active', 'disabled'] }, providerRef: { not: null } },
            orderBy: { createdAt: 'desc' },
          });
    const reused: string[] = [];
    const created: string[] = [];
    await ctx.db.$transaction(async (tx) => {
      for (const pt of formation) {
        const keptGroup = kept.find((g) => g.processType === pt.type);
        if (keptGroup) {
          reused.push(keptGroup.id);
          continue;
        }
        const id = randomUUID();
        await tx.serverGroup.create({
          data: {
            id,
            appId: d.appId,
            releaseId: owner.id,
            processType: pt.type,
            ...recordedCapacity(pt.quantity, parseAutoscaling(pt.autoscaling)),
          },
        });
        created.push(id);
      }
    });
    await run.save({ launch: { created, reused } });
  }

  const ids = [...(run.data.launch?.created ?? []), ...(run.data.launch?.reused ?? [])];
  const groups = await ctx.db.serverGroup.findMany({ where: { id: { in: ids } } });
  for (const group of groups) {
    const pt = formation.find((p) => p.type === group.processType);
    const quantity = pt?.quantity ?? group.desired;
    const autoscaling = parseAutoscaling(pt?.autoscaling);
    const capacity = await startingCapacity(run, group.processType, quantity, autoscaling);
    let ref = group.providerRef;
    if (run.data.launch?.reused?.includes(group.id) && ref) {
      await cloud.enableServerGroup(ref);
      await cloud.setCapacity(ref, capacity);
    } else {
      ({ ref } = await cloud
        .ensureServerGroup({
          id: group.id,
          app,
          release: { id: owner.id, version: owner.version },
          processType: group.processType,
          templateRef: owner.templateRef ?? release.templateRef,
          capacity,
        })
        .catch(async (error: unknown) => {
          throw await imageReclaimed(run, error, owner.version, release.build);
        }));
    }
    await cloud.setScalingPolicy(ref, policyOf(autoscaling));
    const registered = group.processType === 'web';
    if (registered) await cloud.registerServerGroup(app, ref);
    await ctx.db.serverGroup.update({
      where: { id: group.id },
      data: {
        providerRef: ref,
        ...recordedCapacity(quantity, autoscaling),
        registered: registered || group.registered,
      },
    });
  }
  return done();
};

/**
 * A fixed formation starts at its quantity. An autoscaled one starts where the
 * serving group's autoscaler has got to (it sized the group for the load the
 * new release takes over), within min/max; the quantity when nothing serves.
 */
async function startingCapacity(
  run: Parameters<StepHandler>[0],
  processType: string,
  quantity: number,
  autoscaling: ReturnType<typeof parseAutoscaling>,
): Promise<Capacity> {
  if (!autoscaling) return { min: quantity, max: quantity, desired: quantity };
  const serving = await run.ctx.db.serverGroup.findFirst({
    where: { appId: run.d.appId, processType, status: 'active' },
    orderBy: { createdAt: 'desc' },
    select: { observedDesired: true },
  });
  const now = serving?.observedDesired ?? quantity;
  const desired = Math.min(autoscaling.max, Math.max(autoscaling.min, now));
  return { min: autoscaling.min, max: autoscaling.max, desired };
}

/**
 * A provider that deleted the release's image (disk housekeeping) cannot know
 * its commit; the deployment can, and names it. The build has no image any
 * more: forgetting its imageRef makes a deploy of that commit build it again
 * instead of sharing this build (see create-deploy.ts).
 */
async function imageReclaimed(
  run: Parameters<StepHandler>[0],
  error: unknown,
  version: number,
  build: { id: string; commitSha: string | null; imageRef: string | null },
): Promise<unknown> {
  if (!isAppError(error) || error.code !== 'image_reclaimed') return error;
  await run.ctx.db.build.updateMany({ where: { id: build.id, imageRef: build.imageRef }, data: { imageRef: null } });
  if (!build.commitSha) return error;
  return new AppError(
    'image_reclaimed',
    `Release v${version} cannot be started again: its image was deleted by the cloud's disk housekeeping, which keeps only recent images. ` +
      `Deploy commit ${build.commitSha.slice(0, 7)} again to rebuild it.`,
    { details: { ...error.details, commitSha: build.commitSha }, cause: error },
  );
}
