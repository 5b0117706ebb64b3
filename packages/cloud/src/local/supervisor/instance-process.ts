import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NODE_RUNTIME_ENV, shellQuote } from '@paas/buildpacks';
import type { LocalContext } from '../context';
import { platformEnv } from '../process/platform-env';
import { findTaggedProcesses, isOurProcess, readProcStat, TAG } from '../process/proc';
import { stopPids, stopProcessGroup } from '../process/stop-processes';
import type { GroupRecord, InstanceRecord, TemplateRecord } from '../state/records';

/** A fresh instance record; it is saved before the process is spawned so a crash in between leaves a trace. */
export function newInstance(group: GroupRecord, port: number, crashStreak: number): InstanceRecord {
  const seq = group.nextSeq++;
  return {
    id: `${group.name}.${seq}.${randomBytes(3).toString('hex')}`,
    seq,
    port,
    pid: null,
    startTime: null,
    startedAt: new Date().toISOString(),
    crashStreak,
  };
}

/**
 * Starts the process type's command through sh (Procfile commands are shell),
 * detached in its own process group, output appended to its log. The shell
 * records the exit status so a crash can be explained after the fact.
 */
export async function spawnInstance(
  ctx: LocalContext,
  group: GroupRecord,
  template: TemplateRecord,
  instance: InstanceRecord,
): Promise<{ pid: number; startTime: string | null }> {
  const command = template.processes[group.processType];
  if (command === undefined) throw new Error(`release ${template.version} has no "${group.processType}" process`);
  const logPath = ctx.layout.instanceLog(group.name, instance.id);
  const exitPath = ctx.layout.instanceExit(group.name, instance.id);
  await mkdir(join(ctx.layout.logs, group.name), { recursive: true });
  // An EXIT trap also runs when the command itself calls `exit`.
  const script = [
    `paas_exit_file=${shellQuote(exitPath)}`,
    `trap 'status=$?; printf "%s\\n" "$status" > "$paas_exit_file"; echo "paas: process exited with status $status" >&2' EXIT`,
    command,
  ].join('\n');
  const env = {
    ...platformEnv([join(template.imageRef, 'node_modules', '.bin')]),
    ...NODE_RUNTIME_ENV,
    ...template.env,
    // Set by the platform, never by config vars.
    PORT: String(instance.port),
    DYNO: `${group.processType}.${instance.seq}`,
    [TAG.dataDir]: ctx.layout.root,
    [TAG.instance]: instance.id,
  };
  const out = openSync(logPath, 'a', 0o600);
  try {
    const child = spawn('/bin/sh', ['-c', script], {
      cwd: template.imageRef,
      env: env as unknown as NodeJS.ProcessEnv, // Next makes NODE_ENV required on ProcessEnv
      detached: true,
      stdio: ['ignore', out, out],
    });
    child.once('error', () => {}); // shows up as a dead instance
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${instance.id}`);
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
export async function stopInstance(ctx: LocalContext, instance: InstanceRecord): Promise<void> {
  if (await isInstanceAlive(instance)) await stopProcessGroup(instance.pid as number, ctx.stopGraceMs);
  const leftovers = await findTaggedProcesses(TAG.instance, instance.id);
  if (leftovers.length > 0) await stopPids(leftovers, ctx.stopGraceMs);
}

export async function readExitStatus(ctx: LocalContext, group: string, instanceId: string): Promise<string | null> {
  try {
    return (await readFile(ctx.layout.instanceExit(group, instanceId), 'utf8')).trim() || null;
  } catch {
    return null;
  }
}
