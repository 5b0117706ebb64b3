import { appendFile } from 'node:fs/promises';
import { INSTANCE_SIZE_SPECS, type InstanceSize } from '@paas/core';
import type { LocalContext } from '../context';
import { type Cgroup, cgroupOf, createCgroup, killCgroup, readMemoryLimit, readOomKills, removeCgroup } from './cgroup';
import { type FallbackRlimits, type LaunchInput, launchCommand } from './launch';
import { cgroupSupport, INSTANCE_CPU_WEIGHT, INSTANCE_PIDS_MAX, MiB, outOfMemory } from './limits-config';

// Each instance runs in a cgroup of its own, sized from its process type's
// instance size: memory (no swap), a CPU quota of the size's CPUs, and a cap
// on tasks. The cgroup outlives the process until the supervisor removes the
// instance, so a dead instance can still tell whether it ran out of memory.

export const instanceCgroupName = (instanceId: string) => `instance-${instanceId}`;

/**
 * Creates the instance's cgroup and says how to spawn its command inside it.
 * Never fails the start: without a cgroup (none here, or creating it failed)
 * the process gets the fallback rlimits, and the log says why.
 */
export async function instanceLaunch(
  ctx: LocalContext,
  instanceId: string,
  size: InstanceSize,
  user: LaunchInput['user'],
  argv: string[],
) {
  const spec = INSTANCE_SIZE_SPECS[size];
  const memoryBytes = spec.memoryMb * MiB;
  const support = await cgroupSupport(ctx.limits);
  let cgroup: Cgroup | null = null;
  if (support.kind !== 'none') {
    cgroup = await createCgroup(support, ctx.layout.root, instanceCgroupName(instanceId), {
      memoryBytes,
      cpus: spec.cpus,
      cpuWeight: INSTANCE_CPU_WEIGHT,
      pidsMax: INSTANCE_PIDS_MAX,
    }).catch((error: unknown) => {
      ctx.log.warn('could not create the instance cgroup; it runs with rlimits only', {
        instance: instanceId,
        error: String(error),
      });
      return null;
    });
  }
  const fallback: FallbackRlimits = {
    // Per process, with room for node's own start (it does not start below ~300 MB of data).
    dataBytes: memoryBytes + 512 * MiB,
    processes: INSTANCE_PIDS_MAX * 4,
  };
  return { cgroup, launch: launchCommand({ cgroup, user, fallback, argv }) };
}

/** Set when the kernel killed a process of the instance for exceeding its memory limit. */
export async function instanceOutOfMemory(ctx: LocalContext, instanceId: string): Promise<string | null> {
  const cgroup = cgroupOf(await cgroupSupport(ctx.limits), ctx.layout.root, instanceCgroupName(instanceId));
  if (cgroup === null || (await readOomKills(cgroup)) === 0) return null;
  const limit = await readMemoryLimit(cgroup);
  return limit === null ? null : outOfMemory(limit);
}

/**
 * After the instance's processes were stopped: kills anything that escaped its
 * process group and tag (it cannot escape the cgroup), notes an OOM kill at the
 * end of its log (the record goes, the log stays), and removes the cgroup.
 */
export async function releaseInstanceCgroup(ctx: LocalContext, instanceId: string, logPath: string): Promise<void> {
  const cgroup = cgroupOf(await cgroupSupport(ctx.limits), ctx.layout.root, instanceCgroupName(instanceId));
  if (cgroup === null) return;
  await killCgroup(cgroup);
  const oom = await instanceOutOfMemory(ctx, instanceId);
  if (oom !== null) await appendFile(logPath, `paas: ${oom}\n`, { mode: 0o600 }).catch(() => {});
  await removeCgroup(cgroup).catch((error: unknown) => {
    // Left for the next reconcile's sweep.
    ctx.log.warn('could not remove the instance cgroup', { instance: instanceId, error: String(error) });
  });
}
