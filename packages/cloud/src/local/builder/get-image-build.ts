import { readFile } from 'node:fs/promises';
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
  if (result !== null) return toStatus(result, await readLog(image.log), image.app);

  const runner = await readJsonFile<RunnerRecord>(image.runner);
  if (runner !== null && (await isOurProcess(runner.pid, { name: TAG.build, value: jobRef }, runner.startTime))) {
    return { state: 'running', log: await readLog(image.log) };
  }
  if (runner === null && Date.now() - Date.parse(record.requestedAt) < RUNNER_START_GRACE_MS) {
    return { state: 'running', log: await readLog(image.log) };
  }
  // It may have written its result between our two reads.
  const late = await readJsonFile<BuildResult>(image.result);
  if (late !== null) return toStatus(late, await readLog(image.log), image.app);

  const crash = await readLogTail(image.runnerErr, 10);
  const error =
    runner === null
      ? 'The build never started: no builder process was recorded for it'
      : `The build process (pid ${runner.pid}) exited without reporting a result; it was probably killed${crash ? `: ${crash}` : ''}`;
  const failed: BuildResult = { state: 'failed', error, finishedAt: new Date().toISOString() };
  await createJsonOnce(image.result, failed);
  const settled = (await readJsonFile<BuildResult>(image.result)) ?? failed;
  return toStatus(settled, await readLog(image.log), image.app);
}

function toStatus(result: BuildResult, log: string, imageRef: string): ImageBuildStatus {
  if (result.state === 'succeeded') {
    return { state: 'succeeded', log, imageRef, processes: result.processes, stack: result.stack };
  }
  return { state: 'failed', log, error: result.error };
}

async function readLog(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}
