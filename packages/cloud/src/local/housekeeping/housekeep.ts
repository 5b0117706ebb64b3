import type { LocalContext } from '../context';
import { readJsonFile, writeJsonAtomic } from '../state/atomic-file';
import { acquireLock } from '../state/file-lock';
import { housekeepLogs, type LogsOutcome } from './housekeep-logs';
import { reclaimImages } from './reclaim-images';
import { emptyTrash } from './trash';

export interface HousekeepingOutcome {
  startedAt: string;
  finishedAt: string;
  /** Build directories deleted whole (images, and failed builds past retention). */
  imagesRemoved: number;
  /** Failed builds kept for their log whose half-built tree was deleted. */
  treesTrimmed: number;
  /** What emptying trash/ freed (this pass's tombstones and any left by a crash). */
  trashBytes: number;
  logs: LogsOutcome;
  /** Parts that failed (the others still ran). */
  errors: string[];
}

/**
 * One housekeeping pass over the data dir, at most once per `intervalMs`
 * whoever asks: reconcile calls this every few seconds from every worker, so
 * the last pass's time is kept on disk and a lock lets one worker sweep while
 * the others skip. `force` ignores the interval (tests, an operator).
 */
export async function housekeep(ctx: LocalContext, options: { force?: boolean } = {}): Promise<HousekeepingOutcome | null> {
  if (!options.force && !(await due(ctx))) return null;
  const lock = await acquireLock(ctx.layout.lock('housekeeping'), { waitMs: 0 });
  if (lock === null) return null;
  try {
    if (!options.force && !(await due(ctx))) return null; // another worker has just done it
    const startedAt = new Date();
    // Recorded first: a pass that crashes is not retried in a loop, but after the interval.
    await writeJsonAtomic(ctx.layout.housekeeping, { startedAt: startedAt.toISOString() }, 0o600);
    const errors: string[] = [];
    const attempt = async <T>(part: string, work: () => Promise<T>, fallback: T): Promise<T> =>
      work().catch((error: unknown) => {
        errors.push(`${part}: ${String(error)}`);
        return fallback;
      });

    const images = await attempt('images', () => reclaimImages(ctx, startedAt.getTime()), { removed: [], trimmed: [] });
    const trash = await attempt('trash', () => emptyTrash(ctx.layout), { count: 0, bytes: 0 });
    const logs = await attempt('logs', () => housekeepLogs(ctx, startedAt.getTime()), {
      rotated: 0,
      rotatedBytes: 0,
      removed: 0,
      removedBytes: 0,
    });
    const outcome: HousekeepingOutcome = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      imagesRemoved: images.removed.length,
      treesTrimmed: images.trimmed.length,
      trashBytes: trash.bytes,
      logs,
      errors,
    };
    await writeJsonAtomic(ctx.layout.housekeeping, outcome, 0o600);
    if (trash.count > 0 || logs.rotated > 0 || logs.removed > 0) {
      ctx.log.info('disk housekeeping reclaimed space', {
        imagesRemoved: outcome.imagesRemoved,
        treesTrimmed: outcome.treesTrimmed,
        imageBytes: trash.bytes,
        logsRotated: logs.rotated,
        logsRemoved: logs.removed,
        logBytes: logs.removedBytes,
      });
    }
    if (errors.length > 0) ctx.log.warn('disk housekeeping failed in part; the next pass tries again', { errors });
    return outcome;
  } finally {
    await lock.release();
  }
}

async function due(ctx: LocalContext): Promise<boolean> {
  const last = await readJsonFile<{ startedAt?: string }>(ctx.layout.housekeeping).catch(() => null);
  const at = last?.startedAt === undefined ? Number.NaN : Date.parse(last.startedAt);
  // A time in the future (a clock set back) counts as due, or housekeeping would stop until then.
  return !Number.isFinite(at) || Date.now() - at >= ctx.housekeeping.intervalMs || at > Date.now();
}
