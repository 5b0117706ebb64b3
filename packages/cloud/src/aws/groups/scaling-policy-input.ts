import type { ScalingPolicy as AwsScalingPolicy, PutScalingPolicyCommandInput } from '@aws-sdk/client-auto-scaling';
import { type ScalingPolicy, validationError } from '@paas/core';
import { awsNames } from '../names';

const METRIC_TYPE = { cpu: 'ASGAverageCPUUtilization', requests: 'ALBRequestCountPerTarget' } as const;

export function assertScalingPolicy(policy: ScalingPolicy): void {
  if (!(policy.metric in METRIC_TYPE)) throw validationError(`a group scales on cpu or requests (got "${policy.metric}")`);
  if (!(Number.isFinite(policy.target) && policy.target > 0))
    throw validationError(`the scaling target must be a number above 0 (got ${policy.target})`);
  if (policy.metric === 'cpu' && policy.target > 100)
    throw validationError(`a CPU target is a percentage, at most 100 (got ${policy.target})`);
}

/**
 * The group's one target-tracking policy, named from the group so that
 * PutScalingPolicy (an upsert) replaces it rather than adding a second. New
 * instances count only after the group's grace period, so a booting
 * instance's CPU does not scale the group out again.
 */
export function scalingPolicyInput(input: {
  groupRef: string;
  policy: ScalingPolicy;
  /** `app/<lb>/<id>/targetgroup/<tg>/<id>`: required for requests, which AWS counts per target group. */
  resourceLabel?: string;
  warmupSeconds?: number;
}): PutScalingPolicyCommandInput {
  return {
    AutoScalingGroupName: input.groupRef,
    PolicyName: awsNames.scalingPolicy(input.groupRef),
    PolicyType: 'TargetTrackingScaling',
    ...(input.warmupSeconds ? { EstimatedInstanceWarmup: input.warmupSeconds } : {}),
    TargetTrackingConfiguration: {
      PredefinedMetricSpecification: {
        PredefinedMetricType: METRIC_TYPE[input.policy.metric],
        ...(input.resourceLabel ? { ResourceLabel: input.resourceLabel } : {}),
      },
      TargetValue: input.policy.target,
      DisableScaleIn: false,
    },
  };
}

/** The platform's view of a policy AWS describes; null for one it did not make (another metric). */
export function scalingPolicyOf(described: AwsScalingPolicy): ScalingPolicy | null {
  const config = described.TargetTrackingConfiguration;
  const type = config?.PredefinedMetricSpecification?.PredefinedMetricType;
  const metric = (Object.keys(METRIC_TYPE) as ScalingPolicy['metric'][]).find((m) => METRIC_TYPE[m] === type);
  if (!metric || config?.TargetValue === undefined) return null;
  return { metric, target: config.TargetValue };
}
