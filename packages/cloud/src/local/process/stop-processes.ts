import { processGroupMembers, readProcStat } from './proc';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // already gone
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
}

/**
 * SIGTERM the whole process group (a shell, npm and node all belong to it),
 * SIGKILL what is left after the grace period, and wait for it to be gone.
 * Callers must have checked that the group leader is ours. Says whether it
 * took SIGKILL (the processes ignored SIGTERM or outlived the grace period).
 */
export async function stopProcessGroup(pgid: number, graceMs: number): Promise<{ forced: boolean }> {
  signal(-pgid, 'SIGTERM');
  if (await waitUntil(async () => (await processGroupMembers(pgid)).length === 0, graceMs)) return { forced: false };
  signal(-pgid, 'SIGKILL');
  await waitUntil(async () => (await processGroupMembers(pgid)).length === 0, 5_000);
  return { forced: true };
}

/** Same for a set of individual pids (found by tag), each also as a group if it leads one. */
export async function stopPids(pids: number[], graceMs: number): Promise<void> {
  const alive = async (pid: number) => {
    const stat = await readProcStat(pid);
    return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
  };
  for (const pid of pids) signal(pid, 'SIGTERM');
  const allGone = async () => (await Promise.all(pids.map(alive))).every((a) => !a);
  if (await waitUntil(allGone, graceMs)) return;
  for (const pid of pids) signal(pid, 'SIGKILL');
  await waitUntil(allGone, 5_000);
}
