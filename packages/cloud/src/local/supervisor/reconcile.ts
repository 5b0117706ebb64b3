import { AppError } from '@paas/core';
import { autoscaleGroup } from '../autoscaling/autoscale-group';
import type { LocalContext } from '../context';
import { housekeep } from '../housekeeping/housekeep';
import { listJsonFiles, readJsonFile } from '../state/atomic-file';
import type { GroupRecord } from '../state/records';
import { convergeServerGroup } from './converge-server-group';
import { tryGroupLock } from './group-store';

/**
 * What an Auto Scaling Group does by itself: move the desired count of
 * groups with a scaling policy, then bring every group back to its desired
 * count. Groups another process is converging right now are skipped
 * (it holds their lock), so two workers reconciling at once never double up.
 */
export async function reconcile(ctx: LocalContext): Promise<void> {
  const failures: string[] = [];
  for (const path of await listJsonFiles(ctx.layout.groups)) {
    const group = await readJsonFile<GroupRecord>(path).catch(() => null);
    // Records written by an older version of the platform (no capacity) are left alone.
    if (group === null || typeof group.capacity !== 'object' || (group.destroyed && group.instances.length === 0)) continue;
    const lock = await tryGroupLock(ctx, group.ref);
    if (lock === null) continue;
    try {
      await autoscaleGroup(ctx, group.ref).catch((error: unknown) => {
        // Keeping the count it has is safe; replacing crashed instances must not wait on a metric.
        ctx.log.warn('autoscaling evaluation failed', { group: group.ref, error: String(error) });
      });
      await convergeServerGroup(ctx, group.ref);
    } catch (error) {
      ctx.log.error('reconcile failed for server group', { group: group.ref, error: String(error) });
      failures.push(`${group.ref}: ${String(error)}`);
    } finally {
      await lock.release();
    }
  }
  // Disk upkeep (old images, big logs) rides along, at most every few minutes; its trouble never fails the repair above.
  await housekeep(ctx).catch((error: unknown) => ctx.log.warn('disk housekeeping failed', { error: String(error) }));
  if (failures.length > 0) {
    throw new AppError('cloud_failed', `reconcile failed for ${failures.length} server group(s): ${failures.join('; ')}`, {
      retryable: true,
    });
  }
}
