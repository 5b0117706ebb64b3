import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, openSync } from 'node:fs';
import type { AppIdentity } from '../isolation/app-user';
import { buildCgroupName, createBuildCgroup, RUNNER_LIMITS_ENV, type RunnerLimits } from '../limits/build-cgroup';
import { joinFromOutside, launchCommand } from '../limits/launch';
import { cgroupSupport, DEFAULT_BUILD_LIMITS, type LimitsSettings, MiB } from '../limits/limits-config';
import { platformEnv } from '../process/platform-env';
import { readProcStat, TAG } from '../process/proc';
import type { ImageLayout, Layout } from '../state/layout';
import type { RunnerRecord } from '../state/records';
import { runnerScript } from './runner-bundle';

/**
 * Starts the builder detached: its own session and process group (setsid), no
 * pipes to us, `nice -n 10` so a build never starves running apps. Killing or
 * restarting the caller leaves it running; it reports through result.json. The
 * runner keeps the platform's user to write the log and result; the build
 * itself (git, npm) runs as the app's user, which it is given here.
 *
 * Limits (see limits/): the runner starts inside the build's cgroup (memory
 * limit, a CPU weight below the apps'), so all the build runs in it; the
 * runner itself enforces the time and disk limits, told through its environment.
 */
export async function spawnBuildRunner(
  paths: Layout,
  image: ImageLayout,
  buildId: string,
  identity: AppIdentity,
  settings: LimitsSettings = { cgroups: 'auto', build: DEFAULT_BUILD_LIMITS },
): Promise<RunnerRecord> {
  const limits = settings.build;
  const support = await cgroupSupport(settings);
  const { cgroup, error } = await createBuildCgroup(support, paths.root, buildId, limits);
  const runnerLimits: RunnerLimits = {
    timeoutMs: limits.timeoutMs,
    diskBytes: limits.diskBytes,
    diskCheckIntervalMs: limits.diskCheckIntervalMs,
    memoryBytes: limits.memoryBytes,
    cgroup,
  };
  const err = openSync(image.runnerErr, 'a', 0o600);
  try {
    if (error !== null)
      appendFileSync(err, `paas: no cgroup ${buildCgroupName(buildId)} (${error}); the build runs with rlimits only\n`);
    const args = [process.execPath, await runnerScript(paths.runtime), paths.root, buildId, JSON.stringify(identity)];
    const launch = launchCommand({
      cgroup,
      user: null,
      // Without cgroups: each process of the build may use the build's memory (rlimits are per process).
      fallback: { dataBytes: limits.memoryBytes + 512 * MiB, processes: 4_096 },
      argv: ['nice', '-n', '10', ...args],
    });
    const child = spawn(launch.command, launch.args, {
      cwd: image.dir,
      detached: true,
      stdio: ['ignore', err, err],
      // Cast: Next's types make NODE_ENV required on ProcessEnv; a build gets its own.
      env: {
        ...platformEnv(),
        [TAG.dataDir]: paths.root,
        [TAG.build]: buildId,
        [RUNNER_LIMITS_ENV]: JSON.stringify(runnerLimits),
      } as unknown as NodeJS.ProcessEnv,
    });
    child.once('error', () => {}); // reported as a dead runner by getImageBuild
    child.unref();
    if (child.pid === undefined) throw new Error('could not start the builder process');
    if (launch.uid !== undefined) await joinFromOutside(cgroup, child.pid);
    const stat = await readProcStat(child.pid);
    return { pid: child.pid, startTime: stat?.startTime ?? null, startedAt: new Date().toISOString() };
  } finally {
    closeSync(err);
  }
}
