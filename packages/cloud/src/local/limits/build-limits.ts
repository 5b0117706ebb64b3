// Runs inside the detached builder (build-runner.ts), which must not load
// @paas/core: only node built-ins and the local provider's own small modules.
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildFailure } from '../../build';
import { findTaggedProcesses, TAG } from '../process/proc';
import type { ImageLayout } from '../state/layout';
import { RUNNER_LIMITS_ENV, type RunnerLimits } from './build-cgroup';
import { type Cgroup, cgroupPids, readOomKills, removeCgroup } from './cgroup';
import { formatBytes, formatDuration, outOfMemory } from './limits-config';

/** How long the build's functions may take to give up once its processes are killed, before we stop waiting. */
const SETTLE_AFTER_KILL_MS = 10_000;

export interface BuildLimitsScope {
  image: ImageLayout;
  /** The app's home: what a build adds there (npm cache, tmp) counts towards its disk limit. */
  home: string;
}

/**
 * Runs the build (`build`) within its limits. The memory limit is the
 * kernel's (the cgroup the runner was started in); the time and disk limits
 * are enforced here: when one is exceeded, every process of the build but
 * the runner is killed, and the build fails with a BuildFailure saying which
 * limit, its partial image removed. Whatever the outcome, nothing the build
 * started is left running, and the build's cgroup is removed.
 */
export async function withBuildLimits<T>(scope: BuildLimitsScope, build: () => Promise<T>): Promise<T> {
  const limits = runnerLimits();
  if (limits === null) return build();
  let breach: string | null = null;
  let onBreach: (() => void) | undefined;
  const breached = new Promise<never>((_, reject) => {
    onBreach = () => setTimeout(() => reject(new BuildFailure(breach ?? 'Build stopped')), SETTLE_AFTER_KILL_MS).unref();
  });
  breached.catch(() => {});
  const killer = { timer: undefined as NodeJS.Timeout | undefined };
  const exceed = (message: string) => {
    if (breach !== null) return;
    breach = message;
    // Kill now and keep killing: a script may be between two commands, or about to start the next.
    void killBuildProcesses(limits.cgroup);
    killer.timer = setInterval(() => void killBuildProcesses(limits.cgroup), 200);
    onBreach?.();
  };
  const deadline = setTimeout(
    () => exceed(`Build exceeded its time limit of ${formatDuration(limits.timeoutMs)}`),
    limits.timeoutMs,
  );
  const disk = watchDisk(scope, limits, exceed);
  try {
    return await Promise.race([build(), breached]);
  } catch (error) {
    const oom =
      limits.cgroup !== null && (await readOomKills(limits.cgroup)) > 0 ? `Build was ${outOfMemory(limits.memoryBytes)}` : null;
    const reason = breach ?? oom;
    if (reason === null) throw error;
    await rm(scope.image.app, { recursive: true, force: true });
    throw new BuildFailure(reason);
  } finally {
    clearTimeout(deadline);
    disk.stop();
    clearInterval(killer.timer);
    // A build leaves nothing running behind it (a daemon a script started, a killed script's children).
    await killBuildProcesses(limits.cgroup);
    await leaveCgroup(limits.cgroup);
  }
}

function runnerLimits(): RunnerLimits | null {
  const text = process.env[RUNNER_LIMITS_ENV];
  if (!text) return null;
  try {
    return JSON.parse(text) as RunnerLimits;
  } catch {
    return null;
  }
}

/** Every process of the build but the runner: in its cgroup, or carrying its tag (without cgroups). */
async function killBuildProcesses(cgroup: Cgroup | null): Promise<void> {
  const buildId = process.env[TAG.build];
  const pids = new Set([
    ...(cgroup ? await cgroupPids(cgroup) : []),
    ...(buildId ? await findTaggedProcesses(TAG.build, buildId) : []),
  ]);
  pids.delete(process.pid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/**
 * Disk use every few seconds, with du (no quotas on a plain filesystem): the
 * image directory, plus what the build added to the app's home since it began.
 */
function watchDisk(scope: BuildLimitsScope, limits: RunnerLimits, exceed: (message: string) => void) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async (homeBefore: number) => {
    if (stopped) return;
    const [image, home] = await Promise.all([diskUsage(scope.image.dir), diskUsage(scope.home)]);
    if (stopped) return;
    const used = image + Math.max(0, home - homeBefore);
    if (used > limits.diskBytes) {
      exceed(`Build exceeded its disk limit of ${formatBytes(limits.diskBytes)} (used ${formatBytes(used)})`);
      return;
    }
    timer = setTimeout(() => void check(homeBefore), limits.diskCheckIntervalMs);
  };
  void diskUsage(scope.home).then((homeBefore) => {
    if (!stopped) timer = setTimeout(() => void check(homeBefore), limits.diskCheckIntervalMs);
  });
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Bytes on disk under path (du -sk, one filesystem). Files vanishing meanwhile make du complain, not fail: its total stands. */
function diskUsage(path: string): Promise<number> {
  return new Promise((resolve) => {
    execFile('du', ['-skx', path], { timeout: 60_000 }, (_error, stdout) => {
      const kb = Number(String(stdout).split('\t')[0]);
      resolve(Number.isFinite(kb) ? kb * 1024 : 0);
    });
  });
}

/**
 * The runner moves itself to the top of the hierarchy (it only has the
 * result to write now) so the build's cgroup can be removed: rmdir fails
 * while any process is inside. A crash before this is swept by reconcile.
 */
async function leaveCgroup(cgroup: Cgroup | null): Promise<void> {
  if (cgroup === null) return;
  for (const dir of cgroup.dirs) {
    // <mount>/paas/<data dir hash>/<name>
    await writeFile(join(dir, '..', '..', '..', 'cgroup.procs'), String(process.pid)).catch(() => {});
  }
  await removeCgroup(cgroup).catch(() => {});
}
