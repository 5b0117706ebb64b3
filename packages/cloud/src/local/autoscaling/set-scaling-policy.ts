import { notFound, type ScalingPolicy, validationError } from '@paas/core';
import type { LocalContext } from '../context';
import { isSafeName } from '../state/layout';
import { readGroup, saveGroup, withGroupLock } from '../supervisor/group-store';

export function assertScalingPolicy(policy: ScalingPolicy): void {
  if (policy.metric !== 'cpu' && policy.metric !== 'requests')
    throw validationError(`a group scales on cpu or requests (got "${String(policy.metric)}")`);
  if (!(Number.isFinite(policy.target) && policy.target > 0))
    throw validationError(`the scaling target must be a number above 0 (got ${policy.target})`);
  if (policy.metric === 'cpu' && policy.target > 100)
    throw validationError(`a CPU target is a percentage, at most 100 (got ${policy.target})`);
}

/**
 * Stores the group's target-tracking policy (one per group, replaced as a
 * whole) for the autoscaler that runs with reconcile. Removing one from a
 * group that is gone is done already; the count the autoscaler chose stays.
 */
export async function setScalingPolicy(ctx: LocalContext, ref: string, policy: ScalingPolicy | null): Promise<void> {
  if (policy !== null) assertScalingPolicy(policy);
  if (!isSafeName(ref)) {
    if (policy === null) return;
    throw notFound('server group', ref);
  }
  await withGroupLock(ctx, ref, async () => {
    const group = await readGroup(ctx, ref);
    if (group === null || group.destroyed) {
      if (policy === null) return;
      throw notFound('server group', ref);
    }
    if (policy?.metric === 'requests' && group.healthCheck === null)
      throw validationError(`${ref} serves no HTTP, so it cannot scale on requests; scale it on cpu`);
    const next = policy === null ? null : { metric: policy.metric, target: policy.target };
    if (JSON.stringify(group.scaling ?? null) === JSON.stringify(next)) return;
    group.scaling = next;
    // A new policy judges by its own metric: what was low for the old one says nothing.
    group.autoscaler = { lastChangeAt: group.autoscaler?.lastChangeAt ?? null, lowSince: null };
    await saveGroup(ctx, group);
    ctx.log.info(next ? 'server group scaling policy set' : 'server group scaling policy removed', {
      group: ref,
      ...(next ?? {}),
    });
  });
}
