import { lstat, readdir } from 'node:fs/promises';
import { findTaggedProcesses, isOurProcess, TAG } from '../process/proc';
import { isMissingFile, readJsonFile } from '../state/atomic-file';
import { isSafeName, type Layout } from '../state/layout';
import type { BuildRecord, BuildResult, RunnerRecord } from '../state/records';

/** One directory of images/, as housekeeping sees it. */
export interface ScannedImage {
  buildId: string;
  /** null when the build request was never written (a start that crashed early). */
  appId: string | null;
  /**
   * succeeded/failed: it has a result. running: building, or too young to tell.
   * abandoned: no result, its builder is gone and it is older than the safety age.
   */
  state: 'succeeded' | 'failed' | 'running' | 'abandoned';
  /** A build that reused an earlier image: that build's id (its own dir holds no image). */
  imageOf: string | null;
  /** When it finished, or was asked for when it never did (epoch ms). */
  at: number;
  /** Whether it holds a built tree (app/). */
  hasTree: boolean;
}

/** Files a build directory is made of; a directory holding anything else is not touched without a build record. */
const BUILD_FILES = new Set([
  'build.json',
  'runner.json',
  'result.json',
  'build.log',
  'runner.err',
  'build.sh',
  'app',
  'source.tar.gz',
]);

/**
 * Every build directory of images/ that is the platform's: a real directory
 * (a symlink is never followed or removed) with a name the platform gives.
 */
export async function scanImages(paths: Layout, now: number, safetyAgeMs: number): Promise<ScannedImage[]> {
  const root = await lstat(paths.images).catch(() => null);
  if (root === null || !root.isDirectory()) return [];
  const out: ScannedImage[] = [];
  for (const name of await readdir(paths.images)) {
    if (!isSafeName(name)) continue;
    const image = paths.image(name);
    const dir = await lstat(image.dir).catch(() => null);
    if (dir === null || !dir.isDirectory()) continue;
    const scanned = await scanOne(image, name, dir.mtimeMs, now, safetyAgeMs).catch((error: unknown) => {
      if (isMissingFile(error)) return null; // removed meanwhile (an app's teardown)
      throw error;
    });
    if (scanned !== null) out.push(scanned);
  }
  return out;
}

async function scanOne(
  image: ReturnType<Layout['image']>,
  buildId: string,
  dirMtimeMs: number,
  now: number,
  safetyAgeMs: number,
): Promise<ScannedImage | null> {
  const record = await readJsonFile<BuildRecord>(image.build).catch(() => null);
  const result = await readJsonFile<BuildResult>(image.result).catch(() => null);
  const hasTree = await lstat(image.app).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const base = { buildId, appId: record?.app?.id ?? null, hasTree };
  if (result !== null && (result.state === 'succeeded' || result.state === 'failed')) {
    const finished = Date.parse(result.finishedAt);
    const at = Number.isFinite(finished) ? finished : dirMtimeMs;
    if (result.state === 'failed') return { ...base, state: 'failed', imageOf: null, at };
    return { ...base, state: 'succeeded', imageOf: result.imageOf ?? null, at };
  }
  const requested = record === null ? Number.NaN : Date.parse(record.requestedAt);
  const at = Number.isFinite(requested) ? requested : dirMtimeMs;
  if (record === null && !(await onlyBuildFiles(image.dir))) return null;
  if (now - Math.max(at, dirMtimeMs) < safetyAgeMs || (await builderAlive(image.runner, buildId))) {
    return { ...base, state: 'running', imageOf: null, at };
  }
  return { ...base, state: 'abandoned', imageOf: null, at };
}

/** Its recorded runner, or any process tagged with the build (started, not yet recorded). */
async function builderAlive(runnerPath: string, buildId: string): Promise<boolean> {
  const runner = await readJsonFile<RunnerRecord>(runnerPath).catch(() => null);
  if (runner !== null && (await isOurProcess(runner.pid, { name: TAG.build, value: buildId }, runner.startTime))) return true;
  return (await findTaggedProcesses(TAG.build, buildId)).length > 0;
}

async function onlyBuildFiles(dir: string): Promise<boolean> {
  const names = await readdir(dir);
  return names.every((name) => BUILD_FILES.has(name));
}
