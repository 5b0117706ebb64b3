import { readdir, readFile } from 'node:fs/promises';

// Linux /proc is how we tell our processes from strangers: every process the
// provider starts carries tags in its environment (inherited by its children),
// and the start time recorded at spawn tells a reused pid from ours.

/** Environment tags on every process the local provider starts. */
export const TAG = {
  dataDir: 'PAAS_LOCAL_DATA_DIR',
  instance: 'PAAS_INSTANCE_ID',
  build: 'PAAS_BUILD_ID',
} as const;

export interface ProcStat {
  state: string;
  pgrp: number;
  /** Clock ticks since boot; fixed for the life of the process, also across exec. */
  startTime: string;
  /** CPU time in clock ticks: its own (user + system) and that of children it has waited for. */
  cpuTicks: number;
}

export async function readProcStat(pid: number): Promise<ProcStat | null> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const pgrp = Number(fields[2]);
  const startTime = fields[19];
  if (state === undefined || startTime === undefined) return null;
  // utime, stime, cutime, cstime (fields 14-17 of proc(5)).
  const cpuTicks = [11, 12, 13, 14].reduce((sum, i) => sum + (Number(fields[i]) || 0), 0);
  return { state, pgrp, startTime, cpuTicks };
}

const isDead = (stat: ProcStat | null) => stat === null || stat.state === 'Z' || stat.state === 'X';

async function readEnviron(pid: number): Promise<string | null> {
  try {
    return await readFile(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return null;
  }
}

function hasTag(environ: string, name: string, value: string): boolean {
  const entry = `${name}=${value}\0`;
  return environ.startsWith(entry) || environ.includes(`\0${entry}`);
}

/** True when pid is alive and is the process we started (not a stranger that reused the pid). */
export async function isOurProcess(
  pid: number,
  tag: { name: string; value: string },
  startTime: string | null,
): Promise<boolean> {
  const stat = await readProcStat(pid);
  if (stat === null || isDead(stat)) return false;
  // A pid and its start time name one process for its whole life (across exec
  // too). The environment tag is checked only when the start time is unknown:
  // /proc/<pid>/environ is not stable while a process execs (the builder is
  // `nice` exec'ing node), and reading it empty there made a live builder look
  // dead ("exited without reporting a result") to a poll that came at that moment.
  if (startTime !== null) return stat.startTime === startTime;
  const environ = await readEnviron(pid);
  return environ !== null && hasTag(environ, tag.name, tag.value);
}

/** Pids of live processes carrying the tag, e.g. everything started under one dataDir. */
export async function findTaggedProcesses(name: string, value: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry)).map(Number);
  const found: number[] = [];
  await Promise.all(
    pids.map(async (pid) => {
      if (pid === process.pid) return;
      const environ = await readEnviron(pid);
      if (environ === null || !hasTag(environ, name, value)) return;
      if (!isDead(await readProcStat(pid))) found.push(pid);
    }),
  );
  return found;
}

/** CPU ticks of every live process of each of the given process groups, summed per group, from one pass over /proc. */
export async function processGroupCpuTicks(pgids: Iterable<number>): Promise<Map<number, number>> {
  const wanted = new Set(pgids);
  const ticks = new Map<number, number>();
  if (wanted.size === 0) return ticks;
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry)).map(Number);
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readProcStat(pid);
      if (stat === null || isDead(stat) || !wanted.has(stat.pgrp)) return;
      ticks.set(stat.pgrp, (ticks.get(stat.pgrp) ?? 0) + stat.cpuTicks);
    }),
  );
  return ticks;
}

/** Live (non-zombie) members of a process group. */
export async function processGroupMembers(pgid: number): Promise<number[]> {
  try {
    process.kill(-pgid, 0);
  } catch {
    return [];
  }
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry)).map(Number);
  const members: number[] = [];
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readProcStat(pid);
      if (stat !== null && stat.pgrp === pgid && !isDead(stat)) members.push(pid);
    }),
  );
  return members;
}
