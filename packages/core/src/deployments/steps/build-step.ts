import { AppError } from '../../errors';
import { pushedSourceFor } from '../../git/pushed-source';
import { askGithubReport } from '../../github/ask-github-report';
import { githubSourceFor } from '../../github/github-source';
import { done, waitFor } from '../steps-machine';
import type { StepHandler, StepRun } from './step-context';

/**
 * Reuses an image already made from this commit and build definition, or
 * starts the build once (the provider dedupes by build id, so a crash between
 * starting and saving the handle is harmless), then polls it, copying the log
 * into Postgres as it grows so the API can stream it.
 */
export const buildStep: StepHandler = async (run) => {
  const { ctx, d, cloud, app } = run;
  if (!d.buildId) throw new AppError('internal', 'deployment has no build');
  const build = await ctx.db.build.findUniqueOrThrow({ where: { id: d.buildId } });
  if (build.status === 'succeeded') {
    if (!(await sharedImageGone(run, build))) return done();
    await buildAgain(run, build);
    return waitFor(0, 'the image of this commit was deleted; building it again');
  }
  if (build.status === 'failed' || build.status === 'canceled')
    throw new AppError('build_failed', build.error ?? 'the build failed');

  if (!build.jobRef) {
    // A connected app's source comes from GitHub's API, which also resolves a branch to its commit first.
    const ref = build.commitSha ?? build.ref ?? d.app.branch;
    let archive = build.commitSha ? null : await githubSourceFor(ctx, d.app, ref);
    if (archive) {
      await ctx.db.$transaction([
        ctx.db.build.update({ where: { id: build.id }, data: { commitSha: archive.commitSha } }),
        ctx.db.deployment.updateMany({ where: { buildId: build.id, commitSha: null }, data: { commitSha: archive.commitSha } }),
      ]);
      build.commitSha = archive.commitSha;
      // Now that the commit is known, GitHub can show the deployment as in progress.
      await askGithubReport(ctx, d, 'running');
    }
    if (build.commitSha) {
      const found = await cloud.findImage({
        app,
        repoUrl: d.app.repoUrl,
        commitSha: build.commitSha,
        definition: build.definition,
      });
      if (found) {
        await ctx.db.build.update({
          where: { id: build.id },
          data: {
            status: 'succeeded',
            imageRef: found.imageRef,
            processes: found.processes,
            stack: found.stack,
            log: `-----> Reusing the image built earlier from ${build.commitSha.slice(0, 7)}\n`,
            finishedAt: ctx.now(),
          },
        });
        return done({ build: { reused: true } });
      }
    }
    archive ??=
      pushedSourceFor(ctx, d.app, d.trigger, build.commitSha) ?? (await githubSourceFor(ctx, d.app, build.commitSha ?? ref));
    const { jobRef } = await cloud.startImageBuild({
      app,
      buildId: build.id,
      repoUrl: d.app.repoUrl,
      ref: archive?.commitSha ?? build.commitSha ?? ref,
      definition: build.definition,
      ...(archive ? { archive: { url: archive.url, authorization: archive.authorization } } : {}),
    });
    await ctx.db.build.update({ where: { id: build.id }, data: { jobRef, status: 'building', startedAt: ctx.now() } });
    return waitFor(ctx.timings.buildPollMs, 'build started');
  }

  const status = await cloud.getImageBuild(build.jobRef);
  await copyLog(run, build.id, build.jobRef, build.logCursor, status.state !== 'running');
  if (status.state === 'running') return waitFor(ctx.timings.buildPollMs, 'building');
  if (status.state === 'failed') {
    await ctx.db.build.update({
      where: { id: build.id },
      data: { status: 'failed', error: status.error, finishedAt: ctx.now() },
    });
    throw new AppError('build_failed', `build failed: ${status.error}`);
  }
  await ctx.db.$transaction([
    ctx.db.build.update({
      where: { id: build.id },
      data: {
        status: 'succeeded',
        commitSha: status.commitSha,
        imageRef: status.imageRef,
        processes: status.processes,
        stack: status.stack,
        finishedAt: ctx.now(),
      },
    }),
    // A deploy of a branch learns its commit here.
    ctx.db.deployment.updateMany({ where: { buildId: build.id, commitSha: null }, data: { commitSha: status.commitSha } }),
  ]);
  return done();
};

/** Limit of the build log kept in Postgres; the provider's log is capped as well. */
const LOG_LIMIT = 1_000_000;

/**
 * Appends what the build wrote since the saved cursor. Compare-and-set on the
 * cursor: two deployments polling one shared build never append a chunk twice.
 */
export async function copyLog(
  run: StepRun,
  buildId: string,
  jobRef: string,
  cursor: string | null,
  finished: boolean,
): Promise<void> {
  let from = cursor;
  for (let reads = 0; reads < 16; reads++) {
    const chunk = await run.cloud.readImageBuildLog(jobRef, from);
    if (chunk.text !== '') {
      const appended = await run.ctx.db.$executeRaw`
        UPDATE "Build" SET "log" = right("log" || ${chunk.text}, ${LOG_LIMIT}), "logCursor" = ${chunk.cursor}
        WHERE "id" = ${buildId}::uuid AND "logCursor" IS NOT DISTINCT FROM ${from}`;
      if (appended === 0) return; // another runner copied it
    } else if (chunk.cursor !== from) {
      await run.ctx.db.build.updateMany({ where: { id: buildId, logCursor: from }, data: { logCursor: chunk.cursor } });
    }
    from = chunk.cursor;
    // A finished build is read to its end; a running one once per poll.
    if (!finished || chunk.complete) return;
  }
}

type BuildRow = Awaited<ReturnType<StepRun['ctx']['db']['build']['findUniqueOrThrow']>>;

/**
 * A deploy of a commit built before shares that build. Its image may have
 * been deleted since (the local provider's disk housekeeping keeps recent
 * images only); the provider's image index says so. Only for a build that
 * finished before this deployment was made: a build of its own is checked by
 * finishing, not by looking it up again.
 */
async function sharedImageGone(run: StepRun, build: BuildRow): Promise<boolean> {
  const { d, cloud, app } = run;
  if (!build.commitSha || !build.imageRef || !build.finishedAt || build.finishedAt >= d.createdAt) return false;
  const found = await cloud.findImage({ app, repoUrl: d.app.repoUrl, commitSha: build.commitSha, definition: build.definition });
  return found === null;
}

/** The deployment gets a build of its own for the same commit; the old build forgets its image. */
async function buildAgain(run: StepRun, build: BuildRow): Promise<void> {
  const { ctx, d } = run;
  await ctx.db.$transaction(async (tx) => {
    await tx.build.updateMany({ where: { id: build.id, imageRef: build.imageRef }, data: { imageRef: null } });
    const fresh = await tx.build.create({
      data: {
        appId: build.appId,
        commitSha: build.commitSha,
        ref: build.ref,
        commitMessage: build.commitMessage,
        definition: build.definition,
      },
    });
    await tx.deployment.update({ where: { id: d.id }, data: { buildId: fresh.id } });
  });
  ctx.log.info('image of a shared build was deleted; building the commit again', {
    deployment: d.id,
    build: build.id,
    commit: build.commitSha,
  });
}
