import { TerminateInstanceInAutoScalingGroupCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import type { Capacity, ScalingBounds } from '@paas/core';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { assertCapacity, requireGroup } from './auto-scaling-groups';
import { deregisterTargets } from './target-groups';

/**
 * The slider. Scaling in chooses the instances to remove (ones not in service
 * first, then the newest), takes them out of the target group so they stop
 * getting requests, and terminates exactly those: the load balancer never
 * sends a request to an instance that is going away.
 *
 * Bounds (no desired count) are for a group whose scaling policy owns the
 * count: only MinSize and MaxSize are written and AWS moves the count into
 * them. Instances above a lowered maximum still leave the careful way first,
 * rather than by AWS's own pick.
 */
export async function setCapacity(ctx: AwsContext, ref: string, capacity: Capacity | ScalingBounds): Promise<void> {
  assertCapacity(ctx, capacity);
  const fixed = 'desired' in capacity;
  const group = await requireGroup(ctx, ref);
  const live = (group.Instances ?? []).filter((i) => !/Terminat|Detach/.test(i.LifecycleState ?? ''));
  const surplus = live.length - (fixed ? capacity.desired : capacity.max);
  if (surplus > 0) {
    const victims = [...live]
      .sort((a, b) => Number(a.LifecycleState === 'InService') - Number(b.LifecycleState === 'InService'))
      .slice(0, surplus)
      .map((i) => i.InstanceId as string);
    await update(ctx, ref, { MinSize: Math.min(capacity.min, group.MinSize ?? 0) });
    const arn = group.TargetGroupARNs?.[0];
    if (arn) await deregisterTargets(ctx, arn, victims);
    for (const InstanceId of victims) {
      try {
        await ctx.clients.autoscaling.send(
          new TerminateInstanceInAutoScalingGroupCommand({ InstanceId, ShouldDecrementDesiredCapacity: true }),
        );
      } catch (error) {
        // Already gone, or the group is already at its size: the update below settles it.
        if (!isAwsError(error, 'ValidationError')) throw toAppError(error, 'TerminateInstanceInAutoScalingGroup');
      }
    }
  }
  await update(
    ctx,
    ref,
    fixed
      ? { MinSize: capacity.min, MaxSize: capacity.max, DesiredCapacity: capacity.desired }
      : { MinSize: capacity.min, MaxSize: capacity.max },
  );
}

async function update(
  ctx: AwsContext,
  name: string,
  sizes: { MinSize?: number; MaxSize?: number; DesiredCapacity?: number },
): Promise<void> {
  await ctx.clients.autoscaling
    .send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, ...sizes }))
    .catch((error) => {
      throw toAppError(error, 'UpdateAutoScalingGroup');
    });
}
