import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CgroupSupport, enableV2Controllers } from './detect-cgroups';

// One cgroup of ours (an instance's or a build's): a directory in the v2
// hierarchy, or one in each of the memory, cpu and pids v1 hierarchies.
// They live under paas/<hash of the data dir>/ so that several platforms (or
// test runs) on one machine never touch each other's groups.

export interface Cgroup {
  kind: 'v1' | 'v2';
  name: string;
  memory: string;
  cpu: string;
  pids: string;
  /** Every directory, once: one on v2, three on v1. */
  dirs: string[];
}

export interface CgroupLimits {
  memoryBytes: number;
  /** CPUs' worth of time per period (a quota); null: no quota, only the weight. */
  cpus: number | null;
  /** Share of CPU under contention, on v2's scale (1-10000, default 100). */
  cpuWeight: number;
  pidsMax: number;
}

const CFS_PERIOD_US = 100_000;

/** Our directory for one data dir in each hierarchy (paas/<hash>). */
export function dataDirCgroups(support: CgroupSupport, dataRoot: string): string[] {
  const hash = createHash('sha256').update(dataRoot).digest('hex').slice(0, 12);
  if (support.kind === 'v2') return [join(support.base, hash)];
  if (support.kind === 'v1') return [support.base.memory, support.base.cpu, support.base.pids].map((b) => join(b, hash));
  return [];
}

/** Where the cgroup called `name` of this data dir is (whether or not it exists); null without cgroups. */
export function cgroupOf(support: CgroupSupport, dataRoot: string, name: string): Cgroup | null {
  const parents = dataDirCgroups(support, dataRoot);
  if (support.kind === 'v2' && parents[0]) {
    const dir = join(parents[0], name);
    return { kind: 'v2', name, memory: dir, cpu: dir, pids: dir, dirs: [dir] };
  }
  const [memory, cpu, pids] = parents.map((parent) => join(parent, name));
  if (support.kind !== 'v1' || !memory || !cpu || !pids) return null;
  return { kind: 'v1', name, memory, cpu, pids, dirs: [memory, cpu, pids] };
}

const readyParents = new Map<string, Promise<void>>();

/** Creates the cgroup and sets its limits. Limits are written before any process joins it. */
export async function createCgroup(
  support: CgroupSupport,
  dataRoot: string,
  name: string,
  limits: CgroupLimits,
): Promise<Cgroup> {
  const cgroup = cgroupOf(support, dataRoot, name);
  if (cgroup === null) throw new Error('no cgroups on this machine');
  for (const parent of dataDirCgroups(support, dataRoot)) {
    let ready = readyParents.get(parent);
    if (ready === undefined) {
      ready = (async () => {
        await mkdir(parent, { recursive: true });
        if (support.kind === 'v2') await enableV2Controllers(parent);
      })();
      readyParents.set(parent, ready);
      ready.catch(() => readyParents.delete(parent));
    }
    await ready;
  }
  for (const dir of cgroup.dirs) await mkdir(dir, { recursive: true });
  const { memoryBytes, cpus, cpuWeight, pidsMax } = limits;
  const quota = cpus === null ? null : Math.round(cpus * CFS_PERIOD_US);
  if (cgroup.kind === 'v2') {
    await writeFile(join(cgroup.memory, 'memory.max'), String(memoryBytes));
    // No swap: the limit is the memory the process really gets (absent when the kernel does not account swap).
    await writeOptional(join(cgroup.memory, 'memory.swap.max'), '0');
    await writeFile(join(cgroup.cpu, 'cpu.max'), `${quota ?? 'max'} ${CFS_PERIOD_US}`);
    await writeFile(join(cgroup.cpu, 'cpu.weight'), String(cpuWeight));
    await writeFile(join(cgroup.pids, 'pids.max'), String(pidsMax));
  } else {
    await writeFile(join(cgroup.memory, 'memory.limit_in_bytes'), String(memoryBytes));
    // memory + swap = memory: swap off. Must come after the memory limit (it may never be below it).
    await writeOptional(join(cgroup.memory, 'memory.memsw.limit_in_bytes'), String(memoryBytes));
    await writeFile(join(cgroup.cpu, 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
    await writeFile(join(cgroup.cpu, 'cpu.cfs_quota_us'), String(quota ?? -1));
    // v1 shares: 1024 is the default, as 100 is v2's weight.
    await writeFile(join(cgroup.cpu, 'cpu.shares'), String(Math.max(2, Math.round((cpuWeight * 1024) / 100))));
    await writeFile(join(cgroup.pids, 'pids.max'), String(pidsMax));
  }
  return cgroup;
}

/** The cgroup.procs files a process writes its pid to, to join the cgroup. */
export const procsFiles = (cgroup: Cgroup) => cgroup.dirs.map((dir) => join(dir, 'cgroup.procs'));

/** Pids in the cgroup (the pids hierarchy on v1; every process we start is in all three). */
export async function cgroupPids(cgroup: Cgroup): Promise<number[]> {
  const text = await readFile(join(cgroup.pids, 'cgroup.procs'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map(Number);
}

/** How many processes the kernel's OOM killer killed in the cgroup (0 if unknown or gone). */
export async function readOomKills(cgroup: Cgroup): Promise<number> {
  const file = cgroup.kind === 'v2' ? 'memory.events' : 'memory.oom_control';
  const text = await readFile(join(cgroup.memory, file), 'utf8').catch(() => '');
  const kills = /^oom_kill (\d+)$/m.exec(text)?.[1];
  if (kills !== undefined) return Number(kills);
  // Old v1 kernels have no oom_kill counter: hitting the limit is the best sign there is.
  if (cgroup.kind === 'v1')
    return Number((await readFile(join(cgroup.memory, 'memory.failcnt'), 'utf8').catch(() => '0')).trim()) > 0 ? 1 : 0;
  return 0;
}

/** The memory limit set on the cgroup, in bytes; null when it is gone. */
export async function readMemoryLimit(cgroup: Cgroup): Promise<number | null> {
  const file = cgroup.kind === 'v2' ? 'memory.max' : 'memory.limit_in_bytes';
  const text = await readFile(join(cgroup.memory, file), 'utf8').catch(() => null);
  const value = Number(text?.trim());
  return text === null || !Number.isFinite(value) ? null : value;
}

/** SIGKILLs everything in the cgroup but `except`, until it is empty (nothing can leave a cgroup by itself). */
export async function killCgroup(cgroup: Cgroup, except: number[] = [], timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = (await cgroupPids(cgroup)).filter((pid) => !except.includes(pid));
    if (pids.length === 0 || Date.now() > deadline) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await sleep(50);
  }
}

/**
 * Removes the cgroup's directories once its processes are gone (rmdir fails
 * while a process, even a dying one, is inside). Gone already is fine.
 */
export async function removeCgroup(cgroup: Cgroup, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const dir of cgroup.dirs) {
    for (;;) {
      try {
        await rmdir(dir);
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') break;
        if (code !== 'EBUSY' || Date.now() > deadline) throw error;
        await sleep(50);
      }
    }
  }
}

/** Names of the cgroups of this data dir, in any hierarchy (a crash may have left one in some only). */
export async function listCgroups(support: CgroupSupport, dataRoot: string): Promise<string[]> {
  const names = new Set<string>();
  for (const parent of dataDirCgroups(support, dataRoot)) {
    const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isDirectory()) names.add(entry.name);
  }
  return [...names];
}

/** Kills what is left in every cgroup of this data dir and removes them all, with the data dir's own (teardown). */
export async function removeDataDirCgroups(support: CgroupSupport, dataRoot: string): Promise<void> {
  for (const name of await listCgroups(support, dataRoot)) {
    const cgroup = cgroupOf(support, dataRoot, name);
    if (cgroup === null) continue;
    await killCgroup(cgroup);
    await removeCgroup(cgroup);
  }
  for (const parent of dataDirCgroups(support, dataRoot)) {
    await rmdir(parent).catch(() => {});
    readyParents.delete(parent);
  }
}

async function writeOptional(path: string, value: string): Promise<void> {
  await writeFile(path, value).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
