import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// Instances and builds get memory, CPU and pids limits from cgroups. Which
// kind the machine offers is found once per process: production servers have
// the unified hierarchy (v2) at /sys/fs/cgroup; older hosts and some VMs (like
// CI's) have one v1 hierarchy per controller. Everything the platform creates
// lives under `paas/` at the top of each hierarchy (never inside our own group:
// the web app and the workers may run in different groups, and each must find
// the groups the others made).

const PARENT = 'paas';
const V2_CONTROLLERS = ['memory', 'cpu', 'pids'] as const;

export type CgroupSupport =
  /** The unified hierarchy; `base` is <mount>/paas, with memory, cpu and pids enabled for its children. */
  | { kind: 'v2'; base: string }
  /** One hierarchy per controller; each is <mount>/paas. */
  | { kind: 'v1'; base: { memory: string; cpu: string; pids: string } }
  /** No cgroups we may use: processes get rlimits instead (weaker). */
  | { kind: 'none'; reason: string };

let detected: Promise<CgroupSupport> | undefined;

/** What this process can use; detected once (it does not change while we run). */
export function detectCgroups(): Promise<CgroupSupport> {
  detected ??= detect().catch((error: unknown) => ({ kind: 'none', reason: String(error) }) as const);
  return detected;
}

/** One line for the platform's log: which limits apps and builds get here. */
export function describeCgroupSupport(support: CgroupSupport): string {
  if (support.kind === 'v2') return `cgroup v2 at ${support.base}: memory, CPU and pids limits per instance and build`;
  if (support.kind === 'v1')
    return `cgroup v1 (${Object.values(support.base).join(', ')}): memory, CPU and pids limits per instance and build`;
  return `no usable cgroups (${support.reason}): falling back to rlimits (data memory per process, processes per app user, open files); limits are weaker and CPU is not limited`;
}

interface Mount {
  point: string;
  type: string;
  superOptions: string[];
}

async function detect(): Promise<CgroupSupport> {
  const mounts = await readMounts();
  const problems: string[] = [];
  for (const mount of mounts.filter((m) => m.type === 'cgroup2')) {
    const v2 = await tryV2(mount.point).catch((error: unknown) => `${mount.point}: ${errorText(error)}`);
    if (typeof v2 !== 'string') return v2;
    problems.push(v2);
  }
  const v1 = await tryV1(mounts).catch((error: unknown) => `cgroup v1: ${errorText(error)}`);
  if (typeof v1 !== 'string') return v1;
  problems.push(v1);
  return { kind: 'none', reason: problems.join('; ') };
}

async function tryV2(mount: string): Promise<CgroupSupport | string> {
  const available = words(await readFile(join(mount, 'cgroup.controllers'), 'utf8'));
  const missing = V2_CONTROLLERS.filter((c) => !available.includes(c));
  if (missing.length > 0) return `${mount}: cgroup v2 without the ${missing.join(', ')} controller(s)`;
  const base = join(mount, PARENT);
  // Children of a v2 group only get a controller its parent enables for them.
  await enableV2Controllers(mount);
  await mkdir(base, { recursive: true });
  await enableV2Controllers(base);
  return { kind: 'v2', base };
}

/** Makes memory, cpu and pids available to the children of a v2 group (it must hold no processes, or be the root). */
export async function enableV2Controllers(dir: string): Promise<void> {
  const file = join(dir, 'cgroup.subtree_control');
  const enabled = words(await readFile(file, 'utf8'));
  const wanted = V2_CONTROLLERS.filter((c) => !enabled.includes(c));
  if (wanted.length > 0) await writeFile(file, wanted.map((c) => `+${c}`).join(' '));
  const now = words(await readFile(file, 'utf8'));
  const still = V2_CONTROLLERS.filter((c) => !now.includes(c));
  if (still.length > 0) throw new Error(`could not enable ${still.join(', ')} in ${file}`);
}

async function tryV1(mounts: Mount[]): Promise<CgroupSupport | string> {
  const find = (controller: string) => mounts.find((m) => m.type === 'cgroup' && m.superOptions.includes(controller))?.point;
  const memory = find('memory');
  const cpu = find('cpu');
  const pids = find('pids');
  if (!memory || !cpu || !pids) {
    const missing = Object.entries({ memory, cpu, pids }).filter(([, point]) => !point);
    return `no cgroup v1 hierarchy for ${missing.map(([name]) => name).join(', ')}`;
  }
  const base = { memory: join(memory, PARENT), cpu: join(cpu, PARENT), pids: join(pids, PARENT) };
  for (const dir of Object.values(base)) await mkdir(dir, { recursive: true });
  // A hierarchy mounted without the files we write is of no use (e.g. a kernel built without CFS bandwidth control).
  await access(join(base.memory, 'memory.limit_in_bytes'));
  await access(join(base.cpu, 'cpu.cfs_quota_us'));
  await access(join(base.pids, 'pids.max'));
  return { kind: 'v1', base };
}

async function readMounts(): Promise<Mount[]> {
  // mountinfo: "... <mount point> <options> [optional fields] - <fs type> <source> <super options>"
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (left === undefined || right === undefined) continue;
    const point = left.split(' ')[4];
    const [type, , superOptions] = right.split(' ');
    if (point === undefined || type === undefined) continue;
    mounts.push({ point: unescapeMount(point), type, superOptions: (superOptions ?? '').split(',') });
  }
  return mounts;
}

const unescapeMount = (path: string) =>
  path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
const words = (text: string) => text.trim().split(/\s+/).filter(Boolean);
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
