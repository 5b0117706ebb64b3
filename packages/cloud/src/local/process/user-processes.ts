import { readdir, readFile } from 'node:fs/promises';

/**
 * Pids of live processes whose real user is uid: everything an app runs as
 * its own user, also a process the environment tag cannot find (caught
 * mid-exec, when /proc hides its environment, or one that cleared it).
 */
export async function findUserProcesses(uid: number): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry)).map(Number);
  const found: number[] = [];
  await Promise.all(
    pids.map(async (pid) => {
      let status: string;
      try {
        status = await readFile(`/proc/${pid}/status`, 'utf8');
      } catch {
        return; // gone meanwhile
      }
      const real = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      const state = /^State:\s+(\S)/m.exec(status)?.[1];
      if (Number(real) === uid && state !== 'Z' && state !== 'X') found.push(pid);
    }),
  );
  return found;
}
