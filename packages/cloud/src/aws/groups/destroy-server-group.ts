import { DeleteAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DeleteTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { awsNames } from '../names';
import { TAG, tagValue } from '../tags';
import { detachTargetGroup } from '../traffic/app-rules';
import { describeGroup } from './auto-scaling-groups';
import { deregisterTargets, targetGroupArn, targetHealth } from './target-groups';

/**
 * Removes a server group and its target group: out of the app's rule first
 * (a target group in use cannot be deleted), targets deregistered (so nothing
 * stays registered while instances terminate), then the group with its
 * instances, then the target group. Each part is found by its derived name,
 * so a crash at any point is finished by the next call.
 */
export async function destroyServerGroup(ctx: AwsContext, ref: string): Promise<void> {
  const groupId = awsNames.groupIdOf(ref);
  if (!groupId) return;
  const group = await describeGroup(ctx, ref);
  const arn = group?.TargetGroupARNs?.[0] ?? (await targetGroupArn(ctx, groupId));
  const appId = tagValue(group?.Tags, TAG.app);
  if (arn) {
    await detachTargetGroup(ctx, appId ?? null, arn);
    const registered = (await targetHealth(ctx, arn)).map((t) => t.Target?.Id).filter((id): id is string => Boolean(id));
    await deregisterTargets(ctx, arn, registered);
  }
  if (group) {
    try {
      await ctx.clients.autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: ref, ForceDelete: true }));
    } catch (error) {
      if (!(isAwsError(error, 'ValidationError') && /not found/i.test(String(error))))
        throw toAppError(error, 'DeleteAutoScalingGroup');
    }
  }
  if (arn) {
    try {
      await ctx.clients.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
    } catch (error) {
      if (!isAwsError(error, 'TargetGroupNotFound', 'TargetGroupNotFoundException')) throw toAppError(error, 'DeleteTargetGroup');
    }
  }
}
