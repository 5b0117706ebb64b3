import { access } from 'node:fs/promises';
import type { LocalContext } from '../context';
import { listJsonFiles, readJsonFile } from '../state/atomic-file';
import { isSafeName } from '../state/layout';
import type { GroupRecord } from '../state/records';
import { buildCgroupName } from './build-cgroup';
import { cgroupOf, killCgroup, listCgroups, removeCgroup } from './cgroup';
import { instanceCgroupName } from './instance-cgroup';
import { cgroupSupport } from './limits-config';

/**
 * Removes this data dir's cgroups that nothing needs any more: those of
 * instances no group records (a stop that crashed before removing it), and
 * those of finished builds (a builder killed before it removed its own).
 * Processes still inside them are ours and orphaned: they are killed.
 * Run by reconcile; never touches another data dir's groups.
 */
export async function sweepCgroups(ctx: LocalContext): Promise<void> {
  const support = await cgroupSupport(ctx.limits);
  // Listed before the records are read: an instance's record is saved before its cgroup is made,
  // so a cgroup seen here whose instance is in no record read after it is truly left over.
  const names = await listCgroups(support, ctx.layout.root);
  if (names.length === 0) return;
  const recorded = new Set<string>();
  for (const path of await listJsonFiles(ctx.layout.groups)) {
    const group = await readJsonFile<GroupRecord>(path).catch(() => null);
    for (const instance of group?.instances ?? []) recorded.add(instanceCgroupName(instance.id));
  }
  for (const name of names) {
    if (!(await isLeftOver(ctx, name, recorded))) continue;
    const cgroup = cgroupOf(support, ctx.layout.root, name);
    if (cgroup === null) continue;
    await killCgroup(cgroup);
    await removeCgroup(cgroup).then(
      () => ctx.log.info('removed a left-over cgroup', { cgroup: name }),
      (error: unknown) => ctx.log.warn('could not remove a left-over cgroup', { cgroup: name, error: String(error) }),
    );
  }
}

async function isLeftOver(ctx: LocalContext, name: string, recorded: Set<string>): Promise<boolean> {
  if (name.startsWith('instance-')) return !recorded.has(name);
  if (name.startsWith('build-')) {
    const buildId = name.slice('build-'.length);
    if (!isSafeName(buildId) || name !== buildCgroupName(buildId)) return false;
    const image = ctx.layout.image(buildId);
    const exists = (path: string) =>
      access(path).then(
        () => true,
        () => false,
      );
    // Finished (a result), or its image is gone altogether.
    return (await exists(image.result)) || !(await exists(image.dir));
  }
  return false;
}
