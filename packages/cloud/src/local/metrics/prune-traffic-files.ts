import { readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissingFile } from '../state/atomic-file';
import type { Layout } from '../state/layout';
import { minuteOfFile } from './traffic-files';

/** Removes traffic files of minutes before `before` (epoch ms), and target directories left empty. */
export async function pruneTrafficFiles(paths: Layout, before: number): Promise<number> {
  let removed = 0;
  const targets = await readdir(paths.metrics).catch((error: unknown) => {
    if (isMissingFile(error)) return [] as string[];
    throw error;
  });
  for (const target of targets) {
    const dir = join(paths.metrics, target);
    const names = await readdir(dir).catch(() => [] as string[]);
    let kept = 0;
    for (const name of names) {
      const minute = minuteOfFile(name);
      if (minute !== null && minute < before) {
        await rm(join(dir, name), { force: true });
        removed++;
      } else kept++;
    }
    // Another router may write a new file here at the same moment: then the directory is not empty and stays.
    if (kept === 0) await rmdir(dir).catch(() => {});
  }
  return removed;
}
