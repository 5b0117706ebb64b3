import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { readImageStack, runtimeEnv, runtimePath, shellQuote } from '@paas/buildpacks';
import { INSTANCE_SIZE_SPECS } from '@paas/core';
import type { LocalContext } from '../context';
import type { AppIdentity } from '../isolation/app-user';
import { instanceLaunch, releaseInstanceCgroup } from '../limits/instance-cgroup';
import { joinFromOutside } from '../limits/launch';
import { appEnv } from '../process/platform-env';
import { findTaggedProcesses, isOurProcess, readProcStat, TAG } from '../process/proc';
import { readLogTail } from '../process/read-log-tail';
import { stopPids, stopProcessGroup } from '../process/stop-processes';
import type { GroupRecord, InstanceRecord, TemplateRecord } from '../state/records';

/** What a group's new processes need besides the template: who they run as and their config vars. */
export interface InstanceRuntime {
  identity: AppIdentity;
  config: Record<string, string>;
}

/** A fresh instance record; it is saved before the process is spawned so a crash in between leaves a trace. */
export function newInstance(group: GroupRecord, port: number, crashStreak: number): InstanceRecord {
  const seq = group.nextSeq++;
  return {
    id: `${group.ref}.${seq}.${randomBytes(3).toString('hex')}`,
    seq,
    port,
    pid: null,
    startTime: null,
    startedAt: new Date().toISOString(),
    crashStreak,
  };
}

const EXIT_LINE = /^paas: process exited with status (\d+)\s*$/;
/** The exit line may be followed by the platform's own notes (a crash, an out-of-memory kill); never by the app's. */
const PLATFORM_NOTES = 3;

/**
 * Starts the process type's command through sh (Procfile commands are shell),
 * detached in its own process group, as the app's user, output appended to a
 * log only the platform can read (the process writes through the descriptor it
 * is given). The shell notes the exit status in the log, to explain a crash.
 */
export async function spawnInstance(
  ctx: LocalContext,
  group: GroupRecord,
  template: TemplateRecord,
  instance: InstanceRecord,
  runtime: InstanceRuntime,
): Promise<{ pid: number; startTime: string | null }> {
  const process = template.processes[group.processType];
  if (process === undefined) throw new Error(`release v${template.release.version} has no "${group.processType}" process`);
  const imageDir = ctx.layout.image(template.imageRef).app;
  await mkdir(ctx.layout.groupLogs(group.ref), { recursive: true, mode: 0o700 });
  // An EXIT trap also runs when the command itself calls `exit`.
  const script = [
    `trap 'status=$?; echo "paas: process exited with status $status" >&2' EXIT`,
    `cd ${shellQuote(imageDir)} || exit 126`,
    process.command,
  ].join('\n');
  const stack = await readImageStack(imageDir);
  const env = {
    ...appEnv(runtime.identity, runtimePath(stack, imageDir)),
    ...runtimeEnv(stack, imageDir, INSTANCE_SIZE_SPECS[process.size]),
    ...runtime.config,
    // Set by the platform, never by config vars.
    PORT: String(instance.port),
    DYNO: `${group.processType}.${instance.seq}`,
    [TAG.dataDir]: ctx.layout.root,
    [TAG.instance]: instance.id,
  };
  const out = openSync(ctx.layout.instanceLog(group.ref, instance.id), 'a', 0o600);
  try {
    // In its own cgroup (memory, CPU, tasks of its size) before the command runs; see limits/.
    const { cgroup, launch } = await instanceLaunch(ctx, instance.id, process.size, runtime.identity.user, [
      '/bin/sh',
      '-c',
      script,
    ]);
    const child = spawn(launch.command, launch.args, {
      cwd: runtime.identity.home,
      env: env as unknown as NodeJS.ProcessEnv, // Next makes NODE_ENV required on ProcessEnv
      detached: true,
      stdio: ['ignore', out, out],
      ...(launch.uid !== undefined ? { uid: launch.uid, gid: launch.gid } : {}),
    });
    child.once('error', () => {}); // shows up as a dead instance
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${instance.id}`);
    if (launch.uid !== undefined) await joinFromOutside(cgroup, child.pid);
    const stat = await readProcStat(child.pid);
    return { pid: child.pid, startTime: stat?.startTime ?? null };
  } finally {
    closeSync(out);
  }
}

export async function isInstanceAlive(instance: InstanceRecord): Promise<boolean> {
  if (instance.pid === null) return false;
  return isOurProcess(instance.pid, { name: TAG.instance, value: instance.id }, instance.startTime);
}

/** SIGTERM, grace, SIGKILL; then anything still carrying the instance's tag (an orphaned child). */
export async function stopInstance(ctx: LocalContext, instance: InstanceRecord): Promise<{ forced: boolean }> {
  let forced = false;
  if (await isInstanceAlive(instance)) ({ forced } = await stopProcessGroup(instance.pid as number, ctx.stopGraceMs));
  const leftovers = await findTaggedProcesses(TAG.instance, instance.id);
  if (leftovers.length > 0) await stopPids(leftovers, ctx.stopGraceMs);
  // Its processes are gone: note an out-of-memory kill in its log, then remove its cgroup.
  await releaseInstanceCgroup(ctx, instance.id, ctx.layout.instanceLog(groupOfInstance(instance.id), instance.id));
  return { forced };
}

/** The group ref an instance id starts with (`<group>.<seq>.<random>`, see newInstance). */
const groupOfInstance = (instanceId: string) => instanceId.split('.').slice(0, -2).join('.');

/** The exit status the shell noted at the end of the instance's log, if it got to. */
export async function readExitStatus(ctx: LocalContext, group: string, instanceId: string): Promise<string | null> {
  const tail = await readLogTail(ctx.layout.instanceLog(group, instanceId), 1 + PLATFORM_NOTES);
  const lines = tail
    .split('\n')
    .filter((line) => line !== '')
    .reverse();
  for (const line of lines) {
    const status = EXIT_LINE.exec(line)?.[1];
    if (status !== undefined) return status;
    if (!line.startsWith('paas: ')) return null;
  }
  return null;
}
