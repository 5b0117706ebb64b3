import type { Tx } from '@paas/db';
import { currentConfigSnapshot, openSnapshot } from '../../config/config-snapshot';
import { isUniqueViolation } from '../../db-errors';
import { AppError } from '../../errors';
import { type InstanceSize, isInstanceSize } from '../../formation/instance-sizes';
import type { ProcessTemplate } from '../../ports/cloud-provider';
import { defaultHealthCheck, storedHealthCheckOverride } from '../health-checks';
import { done } from '../steps-machine';
import type { StepHandler, StepRun } from './step-context';

// Creates release vN and its provider template. The release row and the
// deployment's pointer to it are written in one transaction, so a crash never
// leaves a release no deployment owns. What the release is made of depends on
// what asked for it: a deploy brings a new build, a config change new config,
// a resize new sizes, a rollback everything of an earlier release.
export const releaseStep: StepHandler = async (run) => {
  const { ctx, d } = run;
  const releaseId = run.data.release?.releaseId ?? (await createRelease(run));
  const release = await ctx.db.release.findUniqueOrThrow({
    where: { id: releaseId },
    include: { build: true, configVersion: true },
  });
  if (!release.templateRef) {
    if (!release.build.imageRef) throw new AppError('internal', `the build of v${release.version} has no image`);
    const processes = (release.build.processes ?? {}) as Record<string, string>;
    if (Object.keys(processes).length === 0) throw new AppError('build_failed', 'the build declared no process types');
    const sizes = await ensureFormation(ctx.db, d.appId, Object.keys(processes));
    const configRef = release.configVersion ? await storeConfig(run, release.configVersion) : null;
    const override = storedHealthCheckOverride(d.app.healthCheck);
    const templates: Record<string, ProcessTemplate> = {};
    for (const [type, command] of Object.entries(processes)) {
      templates[type] = {
        command,
        size: sizes[type] ?? 'small',
        healthCheck: defaultHealthCheck(type, ctx.timings.healthTimeoutMs, override),
      };
    }
    const { templateRef } = await run.cloud.createReleaseTemplate({
      app: run.app,
      release: { id: release.id, version: release.version },
      imageRef: release.build.imageRef,
      configRef,
      processes: templates,
    });
    await ctx.db.release.update({ where: { id: release.id }, data: { templateRef } });
  }
  return done({ release: { releaseId: release.id, version: release.version } });
};

async function createRelease(run: StepRun): Promise<string> {
  const { ctx, d } = run;
  for (let tries = 0; ; tries++) {
    try {
      return await ctx.db.$transaction(async (tx) => {
        const spec = await releaseSpec(run, tx);
        const last = await tx.release.findFirst({
          where: { appId: d.appId },
          orderBy: { version: 'desc' },
          select: { version: true },
        });
        const release = await tx.release.create({ data: { appId: d.appId, version: (last?.version ?? 0) + 1, ...spec } });
        await tx.deployment.update({ where: { id: d.id }, data: { releaseId: release.id } });
        run.data = { ...run.data, release: { ...run.data.release, releaseId: release.id, version: release.version } };
        return release.id;
      });
    } catch (error) {
      // Versions are unique per app; the rollout slot makes a clash unlikely, a retry makes it harmless.
      if (!isUniqueViolation(error) || tries >= 5) throw error;
    }
  }
}

async function releaseSpec(run: StepRun, tx: Tx) {
  const { ctx, d } = run;
  if (d.kind === 'rollback') {
    if (!d.targetReleaseId) throw new AppError('internal', 'rollback without a target release');
    const target = await tx.release.findUniqueOrThrow({ where: { id: d.targetReleaseId } });
    return {
      buildId: target.buildId,
      configVersionId: target.configVersionId,
      cause: 'rollback' as const,
      sourceReleaseId: target.sourceReleaseId ?? target.id,
      templateRef: target.templateRef,
      description: d.description || `Rollback to v${target.version}`,
    };
  }
  if (d.kind === 'deploy') {
    if (!d.buildId) throw new AppError('internal', 'deployment has no build');
    const build = await tx.build.findUniqueOrThrow({ where: { id: d.buildId } });
    const config = await currentConfigSnapshot(tx, ctx.secrets, d.appId);
    const commit = build.commitSha ? build.commitSha.slice(0, 7) : (build.ref ?? '');
    return {
      buildId: build.id,
      configVersionId: config.id,
      cause: d.trigger === 'github' || d.trigger === 'git' ? ('push' as const) : ('deploy' as const),
      description: `Deploy ${commit}${build.commitMessage ? `: ${build.commitMessage.split('\n')[0]}` : ''}`,
    };
  }
  // config and resize: what serves now, with new config or new sizes.
  const active = await tx.release.findFirst({ where: { appId: d.appId, status: 'active' }, orderBy: { version: 'desc' } });
  if (!active) throw new AppError('conflict', 'the app has no running release to change; deploy it first');
  const config = d.kind === 'config' && d.configVersionId ? { id: d.configVersionId } : { id: active.configVersionId };
  return {
    buildId: active.buildId,
    configVersionId: config.id,
    cause: d.kind,
    description: d.description || (d.kind === 'config' ? 'Config change' : 'Resize'),
  };
}

/** Every process type the build declares gets a formation row: web starts at 1 so a first push serves. */
async function ensureFormation(db: StepRun['ctx']['db'], appId: string, types: string[]): Promise<Record<string, InstanceSize>> {
  for (const type of types) {
    await db.processType.upsert({
      where: { appId_type: { appId, type } },
      create: { appId, type, quantity: type === 'web' ? 1 : 0 },
      update: {},
    });
  }
  const rows = await db.processType.findMany({ where: { appId, type: { in: types } } });
  return Object.fromEntries(rows.map((p) => [p.type, isInstanceSize(p.instanceSize) ? p.instanceSize : 'small']));
}

/** Puts the snapshot in the provider's secrets store once; the release template refers to it. */
async function storeConfig(run: StepRun, version: { id: string; version: number; varsEnc: Uint8Array; storeRef: string | null }) {
  if (version.storeRef) return version.storeRef;
  const { configRef } = await run.cloud.putConfig({
    app: run.app,
    version: version.version,
    vars: openSnapshot(run.ctx.secrets, version.varsEnc),
  });
  await run.ctx.db.configVersion.update({ where: { id: version.id }, data: { storeRef: configRef } });
  return configRef;
}
