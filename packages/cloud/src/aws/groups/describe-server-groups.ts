import type { AutoScalingGroup, Instance as GroupInstance } from '@aws-sdk/client-auto-scaling';
import type { Instance } from '@aws-sdk/client-ec2';
import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { InstanceHealth, InstanceInfo, ServerGroupInfo } from '@paas/core';
import type { AwsContext } from '../context';
import { describeInstances } from '../images/builders';
import { awsNames } from '../names';
import { APP_PORT } from '../network';
import { TAG, tagValue } from '../tags';
import { describeGroups } from './auto-scaling-groups';
import { readScalingPolicies } from './scaling-policies';
import { targetHealth } from './target-groups';

/** The groups as AWS sees them: capacity, scaling policy, instances and their load balancer health. */
export async function describeServerGroups(ctx: AwsContext, refs: string[]): Promise<Map<string, ServerGroupInfo | null>> {
  const names = refs.filter((ref) => awsNames.groupIdOf(ref) !== null);
  const groups = await describeGroups(ctx, names);
  const ids = [...groups.values()].flatMap((g) => (g.Instances ?? []).map((i) => i.InstanceId as string));
  const details = new Map<string, Instance>();
  for (let i = 0; i < ids.length; i += 200) {
    // A filter, not InstanceIds: an instance EC2 does not list yet must not fail the whole call.
    for (const instance of await describeInstances(ctx, [{ Name: 'instance-id', Values: ids.slice(i, i + 200) }])) {
      details.set(instance.InstanceId as string, instance);
    }
  }
  const policies = groups.size > 0 ? await readScalingPolicies(ctx, [...groups.keys()]) : new Map();
  const result = new Map<string, ServerGroupInfo | null>();
  for (const ref of refs) {
    const group = groups.get(ref);
    if (!group) {
      result.set(ref, null);
      continue;
    }
    const arn = group.TargetGroupARNs?.[0];
    const health = arn ? await targetHealth(ctx, arn) : null;
    result.set(ref, {
      ref,
      capacity: { min: group.MinSize ?? 0, max: group.MaxSize ?? 0, desired: group.DesiredCapacity ?? 0 },
      enabled: tagValue(group.Tags, TAG.enabled) !== 'false',
      instances: (group.Instances ?? []).map((i) => instanceInfo(group, i, details.get(i.InstanceId as string), health)),
      scaling: policies.get(ref) ?? null,
    });
  }
  return result;
}

function instanceInfo(
  group: AutoScalingGroup,
  member: GroupInstance,
  detail: Instance | undefined,
  health: TargetHealthDescription[] | null,
): InstanceInfo {
  const id = member.InstanceId as string;
  const address = detail?.PrivateIpAddress ? `${detail.PrivateIpAddress}:${APP_PORT}` : null;
  const state = (h: InstanceHealth, detailText?: string): InstanceInfo => ({
    id,
    address,
    health: h,
    ...(detailText ? { detail: detailText } : {}),
  });
  const lifecycle = member.LifecycleState ?? '';
  if (/Terminat|Detach|Standby|Warmed/.test(lifecycle)) return state('stopped', lifecycle);
  if (lifecycle.startsWith('Pending')) return state('starting');
  if (health === null)
    return member.HealthStatus === 'Healthy' ? state('healthy') : state('unhealthy', 'the instance failed its EC2 status checks');
  const target = health.find((t) => t.Target?.Id === id)?.TargetHealth;
  switch (target?.State) {
    case 'healthy':
      return state('healthy');
    case 'unhealthy': {
      const why = [target.Reason, target.Description].filter(Boolean).join(': ');
      // Failed checks during the grace period mean "still booting", as for the ASG itself.
      const launched = detail?.LaunchTime?.getTime() ?? 0;
      if (Date.now() < launched + (group.HealthCheckGracePeriod ?? 0) * 1000) return state('starting', why);
      return state('unhealthy', why || 'failed its load balancer health check');
    }
    case 'draining':
      return state('stopped', 'draining');
    default:
      return state('starting', target?.State);
  }
}
