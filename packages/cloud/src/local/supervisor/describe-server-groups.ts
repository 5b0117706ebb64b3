import type { InstanceInfo, ServerGroupInfo } from '@paas/core';
import type { LocalContext } from '../context';
import { instanceOutOfMemory } from '../limits/instance-cgroup';
import { probeHttp } from '../process/probe-http';
import { readLogTail } from '../process/read-log-tail';
import { isSafeName } from '../state/layout';
import type { GroupRecord, InstanceRecord } from '../state/records';
import { readGroup } from './group-store';
import { isInstanceAlive, readExitStatus } from './instance-process';

const LOG_LINES = 20;
/** How long a passed health check stands for a process that is still alive. */
const RECHECK_HEALTHY_MS = 10_000;

/** Read-only: live process checks and health checks, no state changes. */
export async function describeServerGroups(ctx: LocalContext, refs: string[]): Promise<Map<string, ServerGroupInfo | null>> {
  const entries = await Promise.all(refs.map(async (ref) => [ref, await describeOne(ctx, ref)] as const));
  return new Map(entries);
}

async function describeOne(ctx: LocalContext, ref: string): Promise<ServerGroupInfo | null> {
  if (!isSafeName(ref)) return null;
  const group = await readGroup(ctx, ref);
  if (group === null || group.destroyed) return null;
  const instances = await Promise.all(group.instances.map((instance) => describeInstance(ctx, group, instance)));
  const scaling = group.scaling ? { metric: group.scaling.metric, target: group.scaling.target } : null;
  return { ref: group.ref, capacity: { ...group.capacity }, enabled: group.enabled, instances, scaling };
}

async function describeInstance(ctx: LocalContext, group: GroupRecord, instance: InstanceRecord): Promise<InstanceInfo> {
  const address = `127.0.0.1:${instance.port}`;
  const base = { id: instance.id, address };
  if (instance.stopping) return { ...base, health: 'stopped', detail: 'stopping' };
  const age = Date.now() - Date.parse(instance.startedAt);
  const grace = group.healthCheck?.gracePeriodMs ?? ctx.healthTimeoutMs;

  if (!(await isInstanceAlive(instance))) {
    if (instance.pid === null && age < grace) return { ...base, health: 'starting', detail: 'process is being started' };
    const status = await readExitStatus(ctx, group.ref, instance.id);
    // Its cgroup stays until the instance is replaced: it tells whether the kernel killed it for memory.
    const oom = await instanceOutOfMemory(ctx, instance.id);
    const summary = oom === null ? exitDetail(status) : `${oom}: ${exitDetail(status)}`;
    return { ...base, health: 'unhealthy', detail: await withLog(ctx, group, instance, summary) };
  }
  // Process types without a health check (workers) may never listen: alive is healthy.
  const check = group.healthCheck;
  if (check === null) return { ...base, health: 'healthy' };
  // A live process that passed lately stands: the upkeep loop describes every group every few seconds.
  if ((ctx.recentlyHealthy.get(instance.id) ?? 0) > Date.now()) return { ...base, health: 'healthy' };
  if (await probeHttp(instance.port, check.timeoutMs, check.path)) {
    if (ctx.recentlyHealthy.size > 10_000) ctx.recentlyHealthy.clear();
    ctx.recentlyHealthy.set(instance.id, Date.now() + RECHECK_HEALTHY_MS);
    return { ...base, health: 'healthy' };
  }
  ctx.recentlyHealthy.delete(instance.id);
  if (age < grace) return { ...base, health: 'starting', detail: `waiting for HTTP on port ${instance.port}` };
  const seconds = Math.round(age / 1000);
  return {
    ...base,
    health: 'unhealthy',
    detail: await withLog(
      ctx,
      group,
      instance,
      `process is running but does not answer ${check.path} on port ${instance.port} (up ${seconds}s)`,
    ),
  };
}

function exitDetail(status: string | null): string {
  if (status === null) return 'process exited (exit status unknown: it was killed or is not ours any more)';
  const code = Number(status);
  return code > 128 ? `process exited with status ${status} (signal ${code - 128})` : `process exited with status ${status}`;
}

async function withLog(ctx: LocalContext, group: GroupRecord, instance: InstanceRecord, summary: string): Promise<string> {
  const tail = await readLogTail(ctx.layout.instanceLog(group.ref, instance.id), LOG_LINES);
  return tail ? `${summary}\n--- last log lines ---\n${tail}` : summary;
}
