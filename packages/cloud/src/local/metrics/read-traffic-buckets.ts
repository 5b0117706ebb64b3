import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissingFile, readJsonFile } from '../state/atomic-file';
import { isSafeName, type Layout } from '../state/layout';
import { floorTo, MINUTE_MS, minuteOfFile, type TrafficBucket, type TrafficFile } from './traffic-files';

/**
 * The 10 s buckets the router wrote for these targets that start in
 * [fromMs, toMs), from every router process that wrote any. Targets that are
 * not safe names or have no files give nothing; a file being replaced is read
 * whole (writes are atomic), and an unreadable one is skipped.
 */
export async function readTrafficBuckets(
  paths: Layout,
  targets: string[],
  fromMs: number,
  toMs: number,
): Promise<TrafficBucket[]> {
  const firstMinute = floorTo(fromMs, MINUTE_MS);
  const perTarget = await Promise.all(
    [...new Set(targets)].filter(isSafeName).map(async (target) => {
      const dir = paths.metricsTarget(target);
      const names = await readdir(dir).catch((error: unknown) => {
        if (isMissingFile(error)) return [] as string[];
        throw error;
      });
      const wanted = names.filter((name) => {
        const minute = minuteOfFile(name);
        return minute !== null && minute >= firstMinute && minute < toMs;
      });
      const files = await Promise.all(wanted.map((name) => readJsonFile<TrafficFile>(join(dir, name)).catch(() => null)));
      return files.flatMap((file) =>
        Array.isArray(file?.buckets) ? file.buckets.filter((b) => b.start >= fromMs && b.start < toMs) : [],
      );
    }),
  );
  return perTarget.flat();
}
