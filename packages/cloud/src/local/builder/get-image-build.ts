import { type ImageBuildStatus, notFound } from '@paas/core';
import type { LocalContext } from '../context';
import { isOurProcess, TAG } from '../process/proc';
import { readLogTail } from '../process/read-log-tail';
import { createJsonOnce, readJsonFile } from '../state/atomic-file';
import { isSafeName } from '../state/layout';
import type { BuildRecord, BuildResult, RunnerRecord } from '../state/records';

/** How long a recorded build may go without a runner before we call it never started. */
const RUNNER_START_GRACE_MS = 60_000;

export async function getImageBuild(ctx: LocalContext, jobRef: string): Promise<ImageBuildStatus> {
  if (!isSafeName(jobRef)) throw notFound('image build', jobRef);
  const image = ctx.layout.image(jobRef);
  const record = await readJsonFile<BuildRecord>(image.build);
  if (record === null) throw notFound('image build', jobRef);

  const result = await readJsonFile<BuildResult>(image.result);
  if (result !== null) return toStatus(result, jobRef);

  const runner = await readJsonFile<RunnerRecord>(image.runner);
  if (runner !== null && (await isOurProcess(runner.pid, { name: TAG.build, value: jobRef }, runner.startTime))) {
    return { state: 'running' };
  }
  if (runner === null && Date.now() - Date.parse(record.requestedAt) < RUNNER_START_GRACE_MS) return { state: 'running' };
  // It may have written its result between our two reads.
  const late = await readJsonFile<BuildResult>(image.result);
  if (late !== null) return toStatus(late, jobRef);

  const crash = await readLogTail(image.runnerErr, 10);
  const error =
    runner === null
      ? 'The build never started: no builder process was recorded for it'
      : `The build process (pid ${runner.pid}) exited without reporting a result; it was probably killed${crash ? `: ${crash}` : ''}`;
  const failed: BuildResult = { state: 'failed', error, finishedAt: new Date().toISOString() };
  await createJsonOnce(image.result, failed, 0o600);
  return toStatus((await readJsonFile<BuildResult>(image.result)) ?? failed, jobRef);
}

function toStatus(result: BuildResult, buildId: string): ImageBuildStatus {
  if (result.state === 'succeeded') {
    return {
      state: 'succeeded',
      imageRef: result.imageOf ?? buildId,
      commitSha: result.commitSha,
      processes: result.processes,
      stack: result.stack,
    };
  }
  return { state: 'failed', error: result.error };
}
