import { AppError } from '../../errors';
import { done, waitFor } from '../steps-machine';
import type { StepHandler } from '.';

const LOG_LIMIT = 200_000;

// Starts the image build once (the provider dedupes by build id, so a crash
// between starting and saving the handle is harmless), then polls it.
export const buildStep: StepHandler = async (ctx, d) => {
  if (!d.buildId) throw new AppError('internal', 'deployment has no build');
  const build = await ctx.db.build.findUniqueOrThrow({ where: { id: d.buildId } });
  if (build.status === 'succeeded') return done();
  if (build.status === 'failed' || build.status === 'canceled') {
    throw new AppError('build_failed', build.error ?? 'the build failed');
  }

  if (!build.jobRef) {
    const { jobRef } = await ctx.cloud.startImageBuild({
      app: d.app.name,
      buildId: build.id,
      repoUrl: d.app.repoUrl,
      commitSha: build.commitSha,
    });
    await ctx.db.build.update({ where: { id: build.id }, data: { jobRef, status: 'building', startedAt: ctx.now() } });
    return waitFor(ctx.timings.buildPollMs, 'build started');
  }

  const status = await ctx.cloud.getImageBuild(build.jobRef);
  const log = status.log.length > LOG_LIMIT ? status.log.slice(-LOG_LIMIT) : status.log;
  if (status.state === 'running') {
    if (log !== build.log) await ctx.db.build.update({ where: { id: build.id }, data: { log } });
    return waitFor(ctx.timings.buildPollMs, 'building');
  }
  if (status.state === 'failed') {
    await ctx.db.build.update({
      where: { id: build.id },
      data: { status: 'failed', log, error: status.error, finishedAt: ctx.now() },
    });
    throw new AppError('build_failed', `build failed: ${status.error}`);
  }
  await ctx.db.build.update({
    where: { id: build.id },
    data: {
      status: 'succeeded',
      log,
      imageRef: status.imageRef,
      processes: status.processes,
      stack: status.stack,
      finishedAt: ctx.now(),
    },
  });
  return done({ imageRef: status.imageRef });
};
