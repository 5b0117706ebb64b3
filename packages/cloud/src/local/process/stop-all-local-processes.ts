import { resolve } from 'node:path';
import { findTaggedProcesses, TAG } from './proc';
import { stopPids } from './stop-processes';

// /proc hides a process's environment while it execs (a launcher turning into
// the app), so one pass can miss a process starting at that instant: passes
// go on until one, a moment after the last, finds nothing.
const RESCAN_MS = 50;
const MAX_PASSES = 10;

/**
 * Stops every process the local provider started under dataDir (apps, builds
 * and their children), found by the tag in their environment. For test
 * teardown and operators; it does not change the recorded desired state.
 */
export async function stopAllLocalProcesses(dataDir: string, graceMs = 3_000): Promise<void> {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const pids = await findTaggedProcesses(TAG.dataDir, resolve(dataDir));
    if (pids.length > 0) await stopPids(pids, graceMs);
    else if (pass > 0) return;
    await new Promise((done) => setTimeout(done, RESCAN_MS));
  }
}
