import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import type { AwsContext } from '../context';
import { toAppError } from '../errors';
import { describeGroups } from '../groups/auto-scaling-groups';
import { awsNames } from '../names';
import { TAG, tagValue } from '../tags';
import { placementOf } from '../traffic/load-balancers';
import { loadBalancerDimension, targetGroupDimension } from './alb-dimensions';
import { ALB_NAMESPACE, type TargetGroupDimensions } from './traffic-queries';

const THREE_HOURS_MS = 3 * 3600_000;

/**
 * The target groups that served these groups of the app, as CloudWatch names
 * them. A live group gives its target group's ARN. A group destroyed since
 * (a rollout's old group) took its target group along, and the id in that
 * ARN cannot be derived: CloudWatch still lists the target group's metrics on
 * the app's load balancer, where its name (derived from the group) finds it.
 */
export async function trafficDimensions(
  ctx: AwsContext,
  appId: string,
  groupRefs: string[],
  from: Date,
): Promise<TargetGroupDimensions[]> {
  const placement = await placementOf(ctx, appId, false);
  if (!placement) return [];
  const loadBalancer = loadBalancerDimension(placement.loadBalancerArn);
  const refs = [...new Set(groupRefs)].filter((ref) => awsNames.groupIdOf(ref) !== null);
  const groups = await describeGroups(ctx, refs);
  const found: TargetGroupDimensions[] = [];
  const gone: string[] = [];
  for (const ref of refs) {
    const group = groups.get(ref);
    if (!group) gone.push(ref);
    // Another app's group never lends its traffic; a group without a target group serves none.
    else if (tagValue(group.Tags, TAG.app) === appId && group.TargetGroupARNs?.[0])
      found.push({ loadBalancer, targetGroup: targetGroupDimension(group.TargetGroupARNs[0]) });
  }
  if (gone.length > 0) found.push(...(await pastTargetGroups(ctx, loadBalancer, gone, from)));
  return found;
}

async function pastTargetGroups(
  ctx: AwsContext,
  loadBalancer: string,
  groupRefs: string[],
  from: Date,
): Promise<TargetGroupDimensions[]> {
  const prefixes = groupRefs.map((ref) => `targetgroup/${awsNames.targetGroup(awsNames.groupIdOf(ref) as string)}/`);
  const values = new Set<string>();
  let NextToken: string | undefined;
  do {
    const out = await ctx.clients.cloudwatch
      .send(
        new ListMetricsCommand({
          Namespace: ALB_NAMESPACE,
          MetricName: 'RequestCount',
          Dimensions: [{ Name: 'LoadBalancer', Value: loadBalancer }, { Name: 'TargetGroup' }],
          // Fewer to page through when the window is recent; otherwise the last two weeks.
          ...(Date.now() - from.getTime() < THREE_HOURS_MS ? { RecentlyActive: 'PT3H' } : {}),
          NextToken,
        }),
      )
      .catch((error) => {
        throw toAppError(error, 'ListMetrics');
      });
    for (const metric of out.Metrics ?? []) {
      const value = metric.Dimensions?.find((d) => d.Name === 'TargetGroup')?.Value;
      if (value && prefixes.some((prefix) => value.startsWith(prefix))) values.add(value);
    }
    NextToken = out.NextToken;
  } while (NextToken);
  return [...values].map((targetGroup) => ({ loadBalancer, targetGroup }));
}
