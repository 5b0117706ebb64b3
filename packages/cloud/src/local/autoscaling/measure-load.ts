import { INSTANCE_SIZE_SPECS } from '@paas/core';
import type { LocalContext } from '../context';
import { readTrafficBuckets } from '../metrics/read-traffic-buckets';
import { BUCKET_MS, floorTo } from '../metrics/traffic-files';
import { processGroupCpuTicks } from '../process/proc';
import type { GroupRecord, InstanceRecord } from '../state/records';
import { readTemplate } from '../supervisor/group-store';
import { isInstanceAlive } from '../supervisor/instance-process';
import { addCpuSample, cpuPercent } from './cpu-usage';
import type { Measurement } from './scaling-decision';

/** Instances that run and may take load: spawned, not being stopped, not seen dead. */
const running = (group: GroupRecord) => group.instances.filter((i) => i.pid !== null && !i.stopping && i.deadSince === undefined);

/** The group's metric now, or null when there is nothing to measure it on. */
export function measureLoad(ctx: LocalContext, group: GroupRecord, now: number): Promise<Measurement | null> {
  return group.scaling?.metric === 'cpu' ? measureCpu(ctx, group, now) : measureRequests(ctx, group, now);
}

/**
 * Requests per instance per minute over the metric window, from the router's
 * 10 s buckets for this group: the window's complete buckets plus the
 * current, partial one, as a rate over the time they cover.
 */
export async function measureRequests(ctx: LocalContext, group: GroupRecord, now: number): Promise<Measurement | null> {
  const instances = running(group).length;
  if (instances === 0) return null;
  const from = floorTo(now, BUCKET_MS) - ctx.autoscaling.metricWindowMs;
  const buckets = await readTrafficBuckets(ctx.layout, [group.ref], from, now + 1);
  const requests = buckets.reduce((sum, bucket) => sum + (bucket.requests || 0), 0);
  const perMinute = (requests * 60_000) / (now - from);
  return { instances, value: perMinute / instances };
}

/**
 * Average CPU % of the instances' process groups (the shell, the app and any
 * children that stay in its group) since the oldest sample in the window.
 * Instances seen for the first time give their first sample and count from
 * the next evaluation, so a fresh instance's start-up is not taken for load.
 */
export async function measureCpu(ctx: LocalContext, group: GroupRecord, now: number): Promise<Measurement | null> {
  const instances = [];
  for (const instance of running(group)) if (await isInstanceAlive(instance)) instances.push(instance);
  const template = await readTemplate(ctx, group.templateRef);
  const size = template.processes[group.processType]?.size;
  const cpus = size ? INSTANCE_SIZE_SPECS[size].cpus : 1;
  // Each instance leads its own process group (spawned detached), whose id is its pid.
  const ticks = await processGroupCpuTicks(instances.map((i) => i.pid as number));
  forgetCpuSamples(ctx, group.ref, instances);
  const values: number[] = [];
  for (const instance of instances) {
    const used = ticks.get(instance.pid as number);
    if (used === undefined) continue;
    const samples = addCpuSample(ctx.cpuSamples.get(instance.id) ?? [], { at: now, ticks: used }, ctx.autoscaling.metricWindowMs);
    ctx.cpuSamples.set(instance.id, samples);
    const percent = cpuPercent(samples, cpus);
    if (percent !== null) values.push(percent);
  }
  if (values.length === 0) return null;
  return { instances: values.length, value: values.reduce((a, b) => a + b, 0) / values.length };
}

/** Drops the samples of the group's instances other than `keep`, so the map does not grow. */
export function forgetCpuSamples(ctx: LocalContext, groupRef: string, keep: InstanceRecord[] = []): void {
  const live = new Set(keep.map((i) => i.id));
  const prefix = `${groupRef}.`;
  for (const id of ctx.cpuSamples.keys()) if (id.startsWith(prefix) && !live.has(id)) ctx.cpuSamples.delete(id);
}
