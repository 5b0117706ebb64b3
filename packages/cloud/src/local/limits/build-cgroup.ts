import { type Cgroup, createCgroup } from './cgroup';
import type { CgroupSupport } from './detect-cgroups';
import { BUILD_CPU_WEIGHT, BUILD_PIDS_MAX, type BuildLimits } from './limits-config';

// A build runs in a cgroup of its own: its memory limit, and a CPU weight a
// quarter of an instance's so that under contention running apps come first
// (no quota: an idle machine may give a build all its CPUs). The builder
// itself runs inside it too, so everything the build starts is accounted.

export const buildCgroupName = (buildId: string) => `build-${buildId}`;

/** What the builder process is told about its limits (in its environment), to enforce the rest itself. */
export interface RunnerLimits {
  timeoutMs: number;
  diskBytes: number;
  diskCheckIntervalMs: number;
  memoryBytes: number;
  /** Its cgroup, to read OOM kills, find the build's processes and remove it at the end; null: none here. */
  cgroup: Cgroup | null;
}

/** The environment variable carrying RunnerLimits to the builder (never passed on to the build's own scripts). */
export const RUNNER_LIMITS_ENV = 'PAAS_BUILD_LIMITS';

/** Creates the build's cgroup; null (and the reason) when there is none to create. */
export async function createBuildCgroup(
  support: CgroupSupport,
  dataRoot: string,
  buildId: string,
  limits: BuildLimits,
): Promise<{ cgroup: Cgroup | null; error: string | null }> {
  if (support.kind === 'none') return { cgroup: null, error: null };
  try {
    const cgroup = await createCgroup(support, dataRoot, buildCgroupName(buildId), {
      memoryBytes: limits.memoryBytes,
      cpus: null,
      cpuWeight: BUILD_CPU_WEIGHT,
      pidsMax: BUILD_PIDS_MAX,
    });
    return { cgroup, error: null };
  } catch (error) {
    return { cgroup: null, error: String(error) };
  }
}
