import { mkdir } from 'node:fs/promises';
import { AppError, type ImageBuildInput, validationError } from '@paas/core';
import type { LocalContext } from '../context';
import { readJsonFile, writeJsonAtomic } from '../state/atomic-file';
import { withLock } from '../state/file-lock';
import type { BuildRecord } from '../state/records';
import { spawnBuildRunner } from './spawn-build-runner';

const COMMIT_SHA = /^[0-9a-f]{7,64}$/i;

/**
 * Idempotent by buildId: the first call records the request and starts the
 * detached builder; later calls (a retried job, a second worker) find the
 * record and return the same handle without starting anything.
 */
export async function startImageBuild(ctx: LocalContext, input: ImageBuildInput): Promise<{ jobRef: string }> {
  if (!COMMIT_SHA.test(input.commitSha)) throw validationError(`commitSha "${input.commitSha}" is not a git commit sha`);
  if (input.repoUrl.trim() === '') throw validationError('repoUrl is required');
  const image = ctx.layout.image(input.buildId);
  const jobRef = input.buildId;

  await withLock(ctx.layout.lock(`build-${input.buildId}`), { waitMs: ctx.lockWaitMs }, async () => {
    const existing = await readJsonFile<BuildRecord>(image.build);
    if (existing !== null) {
      if (existing.repoUrl !== input.repoUrl || existing.commitSha !== input.commitSha || existing.app !== input.app) {
        throw new AppError(
          'conflict',
          `build ${input.buildId} was already started for ${existing.app} at ${existing.commitSha}`,
          {
            details: { buildId: input.buildId },
          },
        );
      }
      return;
    }
    await mkdir(image.dir, { recursive: true });
    const record: BuildRecord = {
      buildId: input.buildId,
      app: input.app,
      repoUrl: input.repoUrl,
      commitSha: input.commitSha,
      requestedAt: new Date().toISOString(),
    };
    // 0600: a clone URL may carry a token.
    await writeJsonAtomic(image.build, record, 0o600);
    const runner = await spawnBuildRunner(ctx.layout, image, input.buildId);
    await writeJsonAtomic(image.runner, runner);
    ctx.log.info('image build started', { buildId: input.buildId, app: input.app, pid: runner.pid });
  });
  return { jobRef };
}
