import { appendFile } from 'node:fs/promises';
import { readConfig } from '../config/config-store';
import type { LocalContext } from '../context';
import { ensureAppIdentity } from '../isolation/app-user';
import { freePort } from '../process/free-port';
import type { GroupRecord, InstanceRecord } from '../state/records';
import { drainInstances, markStopping } from './drain-instances';
import { readGroup, readTemplate, saveGroup } from './group-store';
import {
  type InstanceRuntime,
  isInstanceAlive,
  newInstance,
  readExitStatus,
  spawnInstance,
  stopInstance,
} from './instance-process';

/** A process that dies within this long after starting counts as a crash loop. */
const YOUNG_DEATH_MS = 60_000;
/** How long a pending record (saved, spawn not yet recorded) may stay pending. */
const SPAWN_GRACE_MS = 10_000;

/** Restart backoff like Heroku's crashed dynos: immediately once, then doubling up to 5 minutes. */
export function restartBackoffMs(crashStreak: number): number {
  return crashStreak === 0 ? 0 : Math.min(1_000 * 2 ** crashStreak, 300_000);
}

/**
 * Makes the group's processes match its record, like an Auto Scaling Group:
 * finishes interrupted stops, replaces dead instances (after a backoff when
 * they keep dying young), then adds or removes instances to reach the desired
 * capacity, removing dead ones first, then the newest. The caller holds the group lock.
 */
export async function convergeServerGroup(ctx: LocalContext, ref: string): Promise<void> {
  const group = await readGroup(ctx, ref);
  if (group === null) return;

  if (group.destroyed) {
    await stopAndRemove(ctx, group, group.instances);
    return;
  }
  await stopAndRemove(
    ctx,
    group,
    group.instances.filter((instance) => instance.stopping),
  );

  const now = Date.now();
  const inheritedStreaks: number[] = [];
  const dead: InstanceRecord[] = [];
  for (const instance of group.instances) {
    if (await isInstanceAlive(instance)) continue;
    if (instance.pid === null && now - Date.parse(instance.startedAt) < SPAWN_GRACE_MS) continue;
    if (instance.deadSince === undefined) {
      instance.deadSince = new Date(now).toISOString();
      await noteCrash(ctx, group, instance);
    }
    const deadSince = Date.parse(instance.deadSince);
    if (now - deadSince < restartBackoffMs(instance.crashStreak)) continue;
    dead.push(instance);
    const diedYoung = deadSince - Date.parse(instance.startedAt) < YOUNG_DEATH_MS;
    inheritedStreaks.push(diedYoung ? instance.crashStreak + 1 : 0);
  }
  await saveGroup(ctx, group);
  if (dead.length > 0) {
    ctx.log.warn('replacing dead instances', { group: ref, instances: dead.map((i) => i.id) });
    await stopAndRemove(ctx, group, dead);
  }

  const desired = group.capacity.desired;
  if (group.instances.length > desired) {
    const byPreference = [...group.instances].sort(
      (a, b) => Number(a.deadSince !== undefined) - Number(b.deadSince !== undefined) || a.seq - b.seq,
    );
    const surplus = byPreference.slice(desired);
    markStopping(surplus);
    await saveGroup(ctx, group);
    await stopAndRemove(ctx, group, surplus);
  }

  if (group.instances.length < desired) {
    const template = await readTemplate(ctx, group.templateRef);
    const runtime: InstanceRuntime = {
      identity: await ensureAppIdentity(ctx, template.app),
      config: template.configRef === null ? {} : await readConfig(ctx, template.configRef),
    };
    while (group.instances.length < desired) {
      const used = new Set(group.instances.map((instance) => instance.port));
      const instance = newInstance(group, await freePort(used), inheritedStreaks.shift() ?? 0);
      group.instances.push(instance);
      await saveGroup(ctx, group);
      const { pid, startTime } = await spawnInstance(ctx, group, template, instance, runtime);
      instance.pid = pid;
      instance.startTime = startTime;
      await saveGroup(ctx, group);
    }
  }
}

async function stopAndRemove(ctx: LocalContext, group: GroupRecord, instances: InstanceRecord[]): Promise<void> {
  if (instances.length === 0) return;
  const ids = new Set(instances.map((instance) => instance.id));
  await drainInstances(ctx, group, instances);
  await Promise.all(
    instances.map(async (instance) => {
      const { forced } = await stopInstance(ctx, instance);
      if (forced) await noteForcedStop(ctx, group, instance);
    }),
  );
  group.instances = group.instances.filter((instance) => !ids.has(instance.id));
  await saveGroup(ctx, group);
}

/** An app that ignores SIGTERM is killed; its log and the platform's say so, since its shutdown code never ran. */
async function noteForcedStop(ctx: LocalContext, group: GroupRecord, instance: InstanceRecord): Promise<void> {
  const seconds = Math.round(ctx.stopGraceMs / 1000);
  ctx.log.warn('instance did not stop on SIGTERM; killed', { group: group.ref, instance: instance.id, graceMs: ctx.stopGraceMs });
  await appendFile(
    ctx.layout.instanceLog(group.ref, instance.id),
    `paas: still running ${seconds}s after SIGTERM: stopped with SIGKILL\n`,
  ).catch(() => {}); // its log may be gone with its group
}

/**
 * A crash is reported where the app's developer looks, its runtime log (as
 * Heroku's "State changed from up to crashed"), with when it comes back.
 */
async function noteCrash(ctx: LocalContext, group: GroupRecord, instance: InstanceRecord): Promise<void> {
  const status = await readExitStatus(ctx, group.ref, instance.id);
  const wait = Math.round(restartBackoffMs(instance.crashStreak) / 1000);
  const streak =
    instance.crashStreak > 0 ? ` (${instance.crashStreak + 1} crashes in a row, each within a minute of starting)` : '';
  const how = status === null ? 'process was killed' : `process exited with status ${status}`;
  ctx.log.warn('instance crashed', { group: group.ref, instance: instance.id, status, restartInSeconds: wait });
  await appendFile(
    ctx.layout.instanceLog(group.ref, instance.id),
    `paas: ${group.processType}.${instance.seq} crashed: ${how}; restarting it ${wait === 0 ? 'now' : `in ${wait}s`}${streak}\n`,
  ).catch(() => {});
}
