import { readdir, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { removeAppIdentity, removeUnrecordedAppUsers } from '../isolation/app-user';
import { removeDataDirCgroups } from '../limits/cgroup';
import { cgroupSupport } from '../limits/limits-config';
import { localRuntime } from '../local-runtime';
import { stopAllLocalProcesses } from '../process/stop-all-local-processes';

/**
 * Stops everything started under dataDir, deletes the app users made for it
 * and removes the directory: for tests and for uninstalling a local platform.
 */
export async function removeLocalData(dataDir: string): Promise<void> {
  await stopAllLocalProcesses(dataDir);
  const { ctx } = localRuntime({ dataDir });
  for (const file of await readdir(ctx.layout.users).catch(() => [] as string[])) {
    if (file.endsWith('.json')) await removeAppIdentity(ctx, basename(file, '.json'));
  }
  await removeUnrecordedAppUsers(ctx);
  await removeDataDirCgroups(await cgroupSupport(ctx.limits), ctx.layout.root);
  await rm(dataDir, { recursive: true, force: true }).catch((error: NodeJS.ErrnoException) => {
    // A mount point (a container's volume): its contents are gone, the mount stays.
    if (error.code !== 'EBUSY') throw error;
  });
}
