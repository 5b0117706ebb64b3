import { appendFile, rm } from 'node:fs/promises';
import type { LocalContext } from '../context';
import { findTaggedProcesses, isOurProcess, TAG } from '../process/proc';
import { stopPids, stopProcessGroup } from '../process/stop-processes';
import { createJsonOnce, readJsonFile } from '../state/atomic-file';
import { isSafeName } from '../state/layout';
import type { BuildRecord, BuildResult, RunnerRecord } from '../state/records';

/**
 * Stops a running build and deletes its half-built image. A build that already
 * finished is left alone (its image may be in use); unknown builds are a no-op.
 * Processes that left the builder's process group are found by their tag.
 */
export async function cancelImageBuild(ctx: LocalContext, jobRef: string, reason = 'Build cancelled'): Promise<void> {
  if (!isSafeName(jobRef)) return;
  const image = ctx.layout.image(jobRef);
  if ((await readJsonFile<BuildRecord>(image.build)) === null) return;
  if ((await readJsonFile<BuildResult>(image.result)) !== null) return;

  const runner = await readJsonFile<RunnerRecord>(image.runner);
  if (runner !== null && (await isOurProcess(runner.pid, { name: TAG.build, value: jobRef }, runner.startTime))) {
    await stopProcessGroup(runner.pid, ctx.stopGraceMs);
  }
  const leftovers = await findTaggedProcesses(TAG.build, jobRef);
  if (leftovers.length > 0) await stopPids(leftovers, ctx.stopGraceMs);
  const cancelled: BuildResult = { state: 'failed', error: reason, finishedAt: new Date().toISOString() };
  if (await createJsonOnce(image.result, cancelled, 0o600)) {
    // The builder was stopped mid-line perhaps: the log says how it ended.
    await appendFile(image.log, `\n !     ${reason}\n`, { mode: 0o600 }).catch(() => {});
  }
  const settled = await readJsonFile<BuildResult>(image.result);
  if (settled?.state === 'failed') await rm(image.app, { recursive: true, force: true });
  ctx.log.info('image build cancelled', { buildId: jobRef });
}
