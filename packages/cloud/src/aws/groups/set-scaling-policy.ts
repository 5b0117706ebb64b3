import { type AutoScalingGroup, DeletePolicyCommand, PutScalingPolicyCommand } from '@aws-sdk/client-auto-scaling';
import { notFound, type ScalingPolicy, validationError } from '@paas/core';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { requestCountResourceLabel } from '../metrics/alb-dimensions';
import { awsNames } from '../names';
import { TAG, tagValue } from '../tags';
import { placementOf } from '../traffic/load-balancers';
import { requireGroup } from './auto-scaling-groups';
import { readScalingPolicies } from './scaling-policies';
import { assertScalingPolicy, scalingPolicyInput } from './scaling-policy-input';

/**
 * One call either way, so a retry after a crash finds nothing half done:
 * PutScalingPolicy creates or replaces the group's policy (AWS makes and
 * updates its alarms), DeletePolicy removes it with its alarms.
 */
export async function setScalingPolicy(ctx: AwsContext, ref: string, policy: ScalingPolicy | null): Promise<void> {
  if (policy === null) return removeScalingPolicy(ctx, ref);
  assertScalingPolicy(policy);
  const group = await requireGroup(ctx, ref);
  const resourceLabel = policy.metric === 'requests' ? await requestCountLabel(ctx, group) : undefined;
  await ctx.clients.autoscaling
    .send(
      new PutScalingPolicyCommand(
        scalingPolicyInput({
          groupRef: ref,
          policy,
          ...(resourceLabel ? { resourceLabel } : {}),
          ...(group.HealthCheckGracePeriod ? { warmupSeconds: group.HealthCheckGracePeriod } : {}),
        }),
      ),
    )
    .catch((error) => {
      throw toAppError(error, 'PutScalingPolicy');
    });
}

async function removeScalingPolicy(ctx: AwsContext, ref: string): Promise<void> {
  if (!awsNames.groupIdOf(ref)) return;
  try {
    await ctx.clients.autoscaling.send(
      new DeletePolicyCommand({ AutoScalingGroupName: ref, PolicyName: awsNames.scalingPolicy(ref) }),
    );
  } catch (error) {
    // AWS answers a missing group or policy with a ValidationError, as it does a bad request:
    // look whether the policy is gone rather than read the message.
    if (!isAwsError(error, 'ValidationError') || (await readScalingPolicies(ctx, [ref])).has(ref))
      throw toAppError(error, 'DeletePolicy');
  }
}

/** Requests are counted per target group on the app's load balancer: the group must serve HTTP there. */
async function requestCountLabel(ctx: AwsContext, group: AutoScalingGroup): Promise<string> {
  const ref = group.AutoScalingGroupName as string;
  const targetGroupArn = group.TargetGroupARNs?.[0];
  if (!targetGroupArn) throw validationError(`${ref} serves no HTTP, so it cannot scale on requests; scale it on cpu`);
  const appId = tagValue(group.Tags, TAG.app);
  if (!appId) throw notFound('server group', ref);
  const placement = await placementOf(ctx, appId, false);
  if (!placement)
    throw validationError(`${ref} is not on a load balancer yet: register it with its app before it scales on requests`);
  return requestCountResourceLabel(placement.loadBalancerArn, targetGroupArn);
}
