import { AppError } from '../../errors';
import { serverGroupName } from '../server-group-name';
import { done } from '../steps-machine';
import type { StepHandler } from '.';

// One new server group per process type of the release (red/black). Groups
// are recorded before the cloud call and their refs right after it; the
// provider dedupes by the deterministic name, so a retry finds, not duplicates.
export const launchStep: StepHandler = async (ctx, d) => {
  const releaseId = d.kind === 'rollback' ? d.targetReleaseId : d.releaseId;
  if (!releaseId) throw new AppError('internal', 'deployment has no release');
  const release = await ctx.db.release.findUniqueOrThrow({ where: { id: releaseId }, include: { build: true } });
  if (!release.templateRef) throw new AppError('internal', `release v${release.version} has no template`);
  const processes = (release.build.processes ?? {}) as Record<string, string>;
  const types = Object.keys(processes);
  if (types.length === 0) throw new AppError('build_failed', 'the build declared no process types');

  // The formation gains any process type the code now declares; web starts at 1
  // so a first push serves something, other types at 0 until scaled.
  for (const type of types) {
    await ctx.db.processType.upsert({
      where: { appId_type: { appId: d.appId, type } },
      create: { appId: d.appId, type, quantity: type === 'web' ? 1 : 0 },
      update: {},
    });
  }
  const formation = await ctx.db.processType.findMany({ where: { appId: d.appId, type: { in: types } } });

  const groups: string[] = [];
  for (const pt of formation) {
    const name = serverGroupName(d.app.name, release.version, pt.type);
    const group = await ctx.db.serverGroup.upsert({
      where: { name },
      create: { appId: d.appId, releaseId: release.id, processType: pt.type, name, desired: pt.quantity },
      update: {},
    });
    if (group.status === 'destroyed' || group.status === 'destroying') {
      await ctx.db.serverGroup.update({ where: { id: group.id }, data: { status: 'creating', desired: pt.quantity } });
    }
    const { ref } = await ctx.cloud.ensureServerGroup({
      name,
      app: d.app.name,
      release: release.version,
      processType: pt.type,
      templateRef: release.templateRef,
      desired: group.status === 'active' || group.status === 'disabled' ? group.desired : pt.quantity,
    });
    if (group.providerRef !== ref) await ctx.db.serverGroup.update({ where: { id: group.id }, data: { providerRef: ref } });
    groups.push(name);
  }
  return done({ serverGroups: groups });
};
