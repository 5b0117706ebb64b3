import { chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, type ImageBuildInput, validationError } from '@paas/core';
import { ArchiveDownloadError, downloadArchive } from '../../build';
import type { LocalContext } from '../context';
import { ensureAppIdentity } from '../isolation/app-user';
import { findTaggedProcesses, isOurProcess, readProcStat, TAG } from '../process/proc';
import { readJsonFile, writeJsonAtomic } from '../state/atomic-file';
import { withLock } from '../state/file-lock';
import type { BuildRecord, BuildResult, RunnerRecord } from '../state/records';
import { spawnBuildRunner } from './spawn-build-runner';

const REF = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/;

/**
 * Idempotent by buildId, and an "ensure": the first call records the request
 * and starts the detached builder; later calls (a retried job, a second worker)
 * find it and start nothing. A caller killed between recording the request and
 * starting the builder is repaired by the next call, which starts it then.
 */
export async function startImageBuild(ctx: LocalContext, input: ImageBuildInput): Promise<{ jobRef: string }> {
  if (!REF.test(input.ref) || input.ref.includes('..'))
    throw validationError(`ref "${input.ref}" is not a git branch, tag or commit`);
  // A tarball is the source when given (GitHub's, or of a push to the platform): the app may have no URL.
  if (input.repoUrl.trim() === '' && !input.archive) throw validationError('repoUrl is required');
  const image = ctx.layout.image(input.buildId);
  const jobRef = input.buildId;

  await withLock(ctx.layout.lock(`build-${input.buildId}`), { waitMs: ctx.lockWaitMs }, async () => {
    const existing = await readJsonFile<BuildRecord>(image.build);
    if (existing !== null) {
      if (existing.repoUrl !== input.repoUrl || existing.ref !== input.ref || existing.app.id !== input.app.id) {
        throw new AppError('conflict', `build ${input.buildId} was already started for ${existing.app.name} at ${existing.ref}`, {
          details: { buildId: input.buildId },
        });
      }
      if (await builderIsAccountedFor(image.result, image.runner, input.buildId)) return;
      ctx.log.warn('image build was recorded but its builder never started; starting it now', { buildId: input.buildId });
    } else {
      await mkdir(image.dir, { recursive: true, mode: 0o711 });
    }
    const identity = await ensureAppIdentity(ctx, input.app);
    if (input.archive) {
      // The platform downloads it: the token stays in this process, never on disk or with the build's user.
      await downloadArchive(input.archive.url, input.archive.authorization, archivePath(image.dir)).catch((error) => {
        if (!(error instanceof ArchiveDownloadError)) throw error;
        throw new AppError(error.retryable ? 'github_unavailable' : 'build_failed', error.message, {
          retryable: error.retryable,
        });
      });
      if (identity.user !== null) await chown(archivePath(image.dir), identity.user.uid, identity.user.gid);
    }
    if (existing === null) {
      const record: BuildRecord = {
        buildId: input.buildId,
        app: { id: input.app.id, name: input.app.name },
        repoUrl: input.repoUrl,
        ref: input.ref,
        definition: input.definition,
        requestedAt: new Date().toISOString(),
        ...(input.archive ? { archive: archivePath(image.dir) } : {}),
      };
      await writeJsonAtomic(image.build, record, 0o600);
    }
    const runner = await spawnBuildRunner(ctx.layout, image, input.buildId, identity, ctx.limits);
    await writeJsonAtomic(image.runner, runner, 0o600);
    ctx.log.info('image build started', { buildId: input.buildId, app: input.app.name, pid: runner.pid });
  });
  return { jobRef };
}

/** A result, a live recorded runner, or a live process tagged with the build (started, not yet recorded). */
async function builderIsAccountedFor(resultPath: string, runnerPath: string, buildId: string): Promise<boolean> {
  if ((await readJsonFile<BuildResult>(resultPath)) !== null) return true;
  const runner = await readJsonFile<RunnerRecord>(runnerPath);
  if (runner !== null && (await isOurProcess(runner.pid, { name: TAG.build, value: buildId }, runner.startTime))) return true;
  if (runner !== null) return true; // it ran and died without a result: getImageBuild reports that
  const orphans = await findTaggedProcesses(TAG.build, buildId);
  if (orphans.length === 0) return false;
  const leader = orphans.sort((a, b) => a - b)[0] as number;
  const stat = await readProcStat(leader);
  await writeJsonAtomic(runnerPath, { pid: leader, startTime: stat?.startTime ?? null, startedAt: new Date().toISOString() });
  return true;
}

const archivePath = (imageDir: string) => join(imageDir, 'source.tar.gz');
