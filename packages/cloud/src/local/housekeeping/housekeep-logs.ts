import { lstat, readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalContext } from '../context';
import { ROTATION_STALE_MS } from '../logs/log-generations';
import { isMissingFile, readJsonFile } from '../state/atomic-file';
import { isSafeName } from '../state/layout';
import type { GroupRecord } from '../state/records';
import { rotateLog } from './rotate-log';

export interface LogsOutcome {
  rotated: number;
  /** Bytes moved out of live logs into generations. */
  rotatedBytes: number;
  removed: number;
  removedBytes: number;
}

/** `<instance>` and what the file is: the live log, a generation, a rotation copy. */
const LOG_FILE = /^(.+)\.log(?:\.(\d+)|\.(rotating))?$/;

/**
 * Instance logs: the live log of an instance its group still has is rotated
 * past `logMaxBytes`; logs of instances (or whole groups) that are gone are
 * deleted once nothing wrote to them for `logRetentionMs`, and generations
 * beyond `logGenerations` at once. Only regular files in real directories
 * under logs/ are touched.
 */
export async function housekeepLogs(ctx: LocalContext, now: number): Promise<LogsOutcome> {
  const policy = ctx.housekeeping;
  const outcome: LogsOutcome = { rotated: 0, rotatedBytes: 0, removed: 0, removedBytes: 0 };
  const root = await lstat(ctx.layout.logs).catch(() => null);
  if (root === null || !root.isDirectory()) return outcome;

  for (const groupRef of await readdir(ctx.layout.logs)) {
    if (!isSafeName(groupRef)) continue;
    const dir = ctx.layout.groupLogs(groupRef);
    const dirStat = await lstat(dir).catch(() => null);
    if (dirStat === null || !dirStat.isDirectory()) continue;
    // Read the record after listing the files: an instance started meanwhile is then in it.
    const names = await readdir(dir).catch(() => [] as string[]);
    const group = await readJsonFile<GroupRecord>(ctx.layout.group(groupRef)).catch(() => undefined);
    if (group === undefined) continue; // unreadable: do not guess which instances it has
    const live = new Set((group?.instances ?? []).map((instance) => instance.id));
    const groupGone = group === null || (group.destroyed && group.instances.length === 0);

    let left = names.length;
    for (const name of names) {
      const match = LOG_FILE.exec(name);
      const path = join(dir, name);
      const stats = await lstat(path).catch(() => null);
      if (match === null || stats === null || !stats.isFile()) continue;
      const [, instanceId, generation, rotating] = match;
      if (live.has(instanceId as string)) {
        if (generation === undefined && rotating === undefined && stats.size > policy.logMaxBytes) {
          const { rotated, bytes } = await rotateLog(path, policy.logGenerations);
          if (rotated) {
            outcome.rotated++;
            outcome.rotatedBytes += bytes;
          }
        } else if (rotating !== undefined && now - stats.mtimeMs > ROTATION_STALE_MS) {
          await rotateLog(join(dir, `${instanceId}.log`), policy.logGenerations); // finds the crashed rotation's copy and settles it
        } else if (generation !== undefined && Number(generation) > policy.logGenerations) {
          await removeFile(path, stats, outcome);
          left--;
        }
        continue;
      }
      if (now - stats.mtimeMs > policy.logRetentionMs) {
        await removeFile(path, stats, outcome);
        left--;
      }
    }
    // A group that is gone starts no instance here again, so its emptied directory can go.
    if (groupGone && left === 0) await rmdir(dir).catch(() => {});
  }
  return outcome;
}

async function removeFile(path: string, stats: { blocks: number }, outcome: LogsOutcome): Promise<void> {
  try {
    await rm(path);
    outcome.removed++;
    outcome.removedBytes += stats.blocks * 512;
  } catch (error) {
    if (!isMissingFile(error)) throw error;
  }
}
