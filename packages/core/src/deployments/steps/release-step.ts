import { ensureConfigSnapshot } from '../../config/ensure-config-snapshot';
import { isUniqueViolation } from '../../db-errors';
import { AppError } from '../../errors';
import type { ProcessCommands } from '../../ports/cloud-provider';
import { done } from '../steps-machine';
import type { StepHandler } from '.';

// Creates release vN (build + pinned config version) and its provider
// template. The release row and the deployment's pointer to it are written in
// one transaction, so a crash never leaves a release no deployment owns.
export const releaseStep: StepHandler = async (ctx, d) => {
  if (!d.buildId) throw new AppError('internal', 'deployment has no build');
  let releaseId = d.releaseId;
  if (!releaseId) releaseId = await createRelease(ctx, d.id, d.appId, d.buildId);

  const release = await ctx.db.release.findUniqueOrThrow({
    where: { id: releaseId },
    include: { build: true, configVersion: true, app: { include: { processTypes: true } } },
  });
  if (!release.templateRef) {
    if (!release.build.imageRef) throw new AppError('internal', 'release build has no image');
    const env = release.configVersion
      ? (JSON.parse(ctx.secrets.open(release.configVersion.varsEnc)) as Record<string, string>)
      : {};
    const web = release.app.processTypes.find((p) => p.type === 'web');
    const { templateRef } = await ctx.cloud.createReleaseTemplate({
      app: release.app.name,
      version: release.version,
      imageRef: release.build.imageRef,
      processes: (release.build.processes ?? {}) as ProcessCommands,
      env,
      instanceSize: web?.instanceSize ?? 'small',
    });
    await ctx.db.release.update({ where: { id: release.id }, data: { templateRef } });
  }
  return done({ releaseId: release.id, version: release.version });
};

async function createRelease(ctx: Parameters<StepHandler>[0], deploymentId: string, appId: string, buildId: string) {
  for (let tries = 0; ; tries++) {
    try {
      return await ctx.db.$transaction(async (tx) => {
        const build = await tx.build.findUniqueOrThrow({ where: { id: buildId } });
        const configVersion = await ensureConfigSnapshot(tx, ctx.secrets, appId);
        const last = await tx.release.findFirst({ where: { appId }, orderBy: { version: 'desc' }, select: { version: true } });
        const release = await tx.release.create({
          data: {
            appId,
            buildId,
            version: (last?.version ?? 0) + 1,
            configVersionId: configVersion.id,
            description: `Deploy ${build.commitSha.slice(0, 7)}${build.commitMessage ? `: ${build.commitMessage.split('\n')[0]}` : ''}`,
          },
        });
        await tx.deployment.update({ where: { id: deploymentId }, data: { releaseId: release.id } });
        return release.id;
      });
    } catch (error) {
      // Two releases of one app racing for the same version number: take the next.
      const conflict = isUniqueViolation(error);
      if (!conflict || tries >= 5) throw error;
    }
  }
}
