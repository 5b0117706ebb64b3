import { DescribePoliciesCommand } from '@aws-sdk/client-auto-scaling';
import type { ScalingPolicy } from '@paas/core';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { awsNames } from '../names';
import { scalingPolicyOf } from './scaling-policy-input';

// DescribePolicies takes up to 50 policy names without a group name, and our
// policy names are unique in the account: one call (a page of 100) for up to
// 50 groups rather than one per group.
const NAMES_PER_CALL = 50;

/** The target-tracking policy of each group that has one, by group ref. */
export async function readScalingPolicies(ctx: AwsContext, groupRefs: string[]): Promise<Map<string, ScalingPolicy>> {
  const found = new Map<string, ScalingPolicy>();
  const byName = new Map(groupRefs.map((ref) => [awsNames.scalingPolicy(ref), ref]));
  const names = [...byName.keys()];
  for (let i = 0; i < names.length; i += NAMES_PER_CALL) {
    let NextToken: string | undefined;
    do {
      const out = await ctx.clients.autoscaling
        .send(
          new DescribePoliciesCommand({
            PolicyNames: names.slice(i, i + NAMES_PER_CALL),
            PolicyTypes: ['TargetTrackingScaling'],
            MaxRecords: 100,
            NextToken,
          }),
        )
        .catch((error) => {
          // An account set up before autoscaling lacks the permission, and so has no policy of ours
          // either (putting one needs the newer template too): describing its groups still works.
          if (isAwsError(error, 'AccessDenied', 'AccessDeniedException')) {
            ctx.log.warn('DescribePolicies is not allowed: update the account template to scale groups', {});
            return null;
          }
          throw toAppError(error, 'DescribePolicies');
        });
      if (out === null) return found;
      for (const described of out.ScalingPolicies ?? []) {
        const ref = byName.get(described.PolicyName ?? '');
        const policy = scalingPolicyOf(described);
        // A name is unique per group on AWS: only the group it was derived from counts.
        if (ref && ref === described.AutoScalingGroupName && policy) found.set(ref, policy);
      }
      NextToken = out.NextToken;
    } while (NextToken);
  }
  return found;
}
