import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isMissingFile } from '../state/atomic-file';
import type { Layout } from '../state/layout';

// Deleting a tree of thousands of files is not atomic: a crash halfway would
// leave an image that looks present but is half gone. So it is first renamed
// into trash/ (one atomic step on the same filesystem; from then on nothing
// finds it), then removed; whatever a crash leaves in trash/ goes next pass.

/** Moves `path` (a real directory or file, never a symlink's target) into trash/; false when it is already gone. */
export async function moveToTrash(paths: Layout, path: string): Promise<boolean> {
  await mkdir(paths.trash, { recursive: true, mode: 0o700 });
  const tombstone = join(paths.trash, `${basename(path)}.${randomBytes(4).toString('hex')}`);
  try {
    await rename(path, tombstone);
    return true;
  } catch (error) {
    if (isMissingFile(error)) return false;
    throw error;
  }
}

/** Empties trash/: this pass's tombstones and any a crash left behind. Returns what it freed. */
export async function emptyTrash(paths: Layout): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  const names = await readdir(paths.trash).catch((error: unknown) => {
    if (isMissingFile(error)) return [] as string[];
    throw error;
  });
  for (const name of names) {
    const path = join(paths.trash, name);
    bytes += await diskUsage(path);
    await removeTree(path);
    count++;
  }
  return { count, bytes };
}

/** Bytes on disk under `path`, without following symlinks. */
export async function diskUsage(path: string): Promise<number> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(path);
  } catch {
    return 0;
  }
  let total = stats.blocks * 512;
  if (stats.isDirectory()) {
    for (const name of await readdir(path).catch(() => [] as string[])) total += await diskUsage(join(path, name));
  }
  return total;
}

/**
 * rm -rf, which unlinks symlinks rather than following them. A tree an app's
 * build made read-only (npm can) is made writable for its owner, then removed.
 */
export async function removeTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
    await makeWritable(path);
    await rm(path, { recursive: true, force: true });
  }
}

async function makeWritable(path: string): Promise<void> {
  const stats = await lstat(path).catch(() => null);
  if (stats === null || !stats.isDirectory()) return;
  await chmod(path, (stats.mode & 0o777) | 0o700).catch(() => {});
  for (const name of await readdir(path).catch(() => [] as string[])) await makeWritable(join(path, name));
}
