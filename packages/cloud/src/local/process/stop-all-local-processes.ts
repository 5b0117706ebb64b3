import { resolve } from 'node:path';
import { findTaggedProcesses, TAG } from './proc';
import { stopPids } from './stop-processes';

/**
 * Stops every process the local provider started under dataDir (apps, builds
 * and their children), found by the tag in their environment. For test
 * teardown and operators; it does not change the recorded desired state.
 */
export async function stopAllLocalProcesses(dataDir: string, graceMs = 3_000): Promise<void> {
  const pids = await findTaggedProcesses(TAG.dataDir, resolve(dataDir));
  if (pids.length > 0) await stopPids(pids, graceMs);
}
