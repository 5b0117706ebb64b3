import type { CgroupSupport } from './detect-cgroups';
import { detectCgroups } from './detect-cgroups';

// What the local provider limits, and by how much. Instances get their size's
// memory and CPUs (INSTANCE_SIZE_SPECS); builds get the limits below, which an
// operator may change through LocalProviderOptions.buildLimits.

export interface BuildLimits {
  /** Wall-clock time from fetch to the end of the build script. Default 15 min. */
  timeoutMs: number;
  /** Memory of the builder and everything it runs (cgroup). Default 2 GiB. */
  memoryBytes: number;
  /** Disk the build may add: its image directory plus growth of the app's home (npm cache, tmp). Default 5 GiB. */
  diskBytes: number;
  /** How often the disk use is measured. Default 2 s. */
  diskCheckIntervalMs: number;
}

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

export const DEFAULT_BUILD_LIMITS: BuildLimits = {
  timeoutMs: 15 * 60_000,
  memoryBytes: 2 * GiB,
  diskBytes: 5 * GiB,
  diskCheckIntervalMs: 2_000,
};

/** Tasks (processes and threads) per instance: enough for any web app, too few to exhaust the process table. */
export const INSTANCE_PIDS_MAX = 512;
/** npm and compilers start many processes and threads; still bounded. */
export const BUILD_PIDS_MAX = 4_096;
/** CPU weight (v2 scale, default 100) of instances and builds: under contention a build gets a quarter of an app's share. */
export const INSTANCE_CPU_WEIGHT = 100;
export const BUILD_CPU_WEIGHT = 25;

/** `auto`: use cgroups when the machine has usable ones; `off`: rlimits only (as on a machine without them). */
export type CgroupMode = 'auto' | 'off';

export interface LimitsSettings {
  cgroups: CgroupMode;
  build: BuildLimits;
}

const OFF: CgroupSupport = { kind: 'none', reason: 'cgroups turned off in the provider options' };

/** The cgroups this provider uses. */
export function cgroupSupport(settings: LimitsSettings): Promise<CgroupSupport> {
  return settings.cgroups === 'off' ? Promise.resolve(OFF) : detectCgroups();
}

/** "2 GiB", "512 MB", "300 KB": how limits and usage read in messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= GiB && bytes % GiB === 0) return `${bytes / GiB} GiB`;
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${Math.round(bytes / MiB)} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

/** "15 min", "90 s". */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

/** How an instance or build killed by the OOM killer is described. */
export const outOfMemory = (limitBytes: number) => `killed: out of memory (limit ${formatBytes(limitBytes)})`;
