import { open, rename, rm, stat } from 'node:fs/promises';
import { logGeneration, ROTATION_STALE_MS, rotationMarker } from '../logs/log-generations';
import { isMissingFile } from '../state/atomic-file';

const CHUNK = 1024 * 1024;
/** A process writing faster than we copy would keep us copying forever: past this much extra, cut. */
const MAX_CATCH_UP = 64 * 1024 * 1024;

/**
 * Copy-then-truncate, like logrotate's copytruncate. The process writes through
 * a descriptor it was given at spawn (O_APPEND), which we cannot reopen for it:
 * renaming the file would leave it writing to the renamed one forever. With
 * O_APPEND every write lands at the current end, so after the truncate the
 * next line starts the file again at 0 (no hole of zeros).
 *
 * The loss window: a line written after the copy read the end and before the
 * truncate is in neither file. The copy reads until it finds no more, then
 * truncates at once, so the window is microseconds (one syscall); only a
 * process writing at that instant loses that one write.
 *
 * The copy is made in `<log>.rotating`, which readers take as "rotation under
 * way, read again shortly" (logs/read-instance-logs.ts); it becomes `.1` last.
 */
export async function rotateLog(path: string, generations: number): Promise<{ rotated: boolean; bytes: number }> {
  const marker = rotationMarker(path);
  let copy: Awaited<ReturnType<typeof open>>;
  try {
    copy = await open(marker, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    await recoverStaleRotation(path, generations);
    return { rotated: false, bytes: 0 };
  }
  let copied = 0;
  try {
    let log: Awaited<ReturnType<typeof open>>;
    try {
      log = await open(path, 'r+');
    } catch (error) {
      if (isMissingFile(error)) return { rotated: false, bytes: 0 };
      throw error;
    }
    try {
      const limit = (await log.stat()).size + MAX_CATCH_UP;
      const buffer = Buffer.alloc(CHUNK);
      for (;;) {
        const { bytesRead } = await log.read(buffer, 0, CHUNK, copied);
        if (bytesRead === 0 || copied >= limit) break;
        await copy.write(buffer, 0, bytesRead);
        copied += bytesRead;
      }
      await log.truncate(0);
    } finally {
      await log.close();
    }
  } catch (error) {
    await copy.close();
    await rm(marker, { force: true });
    throw error;
  }
  await copy.close();
  await promote(path, generations);
  return { rotated: true, bytes: copied };
}

/** .1 → .2 → … (the oldest is overwritten), then the copy becomes .1. */
async function promote(path: string, generations: number): Promise<void> {
  for (let n = generations - 1; n >= 1; n--) {
    await rename(logGeneration(path, n), logGeneration(path, n + 1)).catch((error: unknown) => {
      if (!isMissingFile(error)) throw error;
    });
  }
  await rename(rotationMarker(path), logGeneration(path, 1));
}

/**
 * A marker left by a rotation that crashed. If the log is now smaller than
 * the copy, the truncate happened and the copy holds the only lines it had:
 * keep it as .1. Otherwise the log still has them all: drop the copy.
 */
async function recoverStaleRotation(path: string, generations: number): Promise<void> {
  const marker = await stat(rotationMarker(path)).catch(() => null);
  if (marker === null || Date.now() - marker.mtimeMs < ROTATION_STALE_MS) return; // another rotation is under way
  const log = await stat(path).catch(() => null);
  if (log !== null && log.size < marker.size) await promote(path, generations);
  else await rm(rotationMarker(path), { force: true });
}
