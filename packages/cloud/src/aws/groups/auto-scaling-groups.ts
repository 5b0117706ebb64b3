import { type AutoScalingGroup, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { type Capacity, notFound, type ScalingBounds, validationError } from '@paas/core';
import type { AwsContext } from '../context';
import { toAppError } from '../errors';
import { awsNames } from '../names';

/** The groups by name that exist and are not being deleted (deletion takes minutes on AWS). */
export async function describeGroups(ctx: AwsContext, names: string[]): Promise<Map<string, AutoScalingGroup>> {
  const found = new Map<string, AutoScalingGroup>();
  for (let i = 0; i < names.length; i += 50) {
    let NextToken: string | undefined;
    do {
      const out = await ctx.clients.autoscaling
        .send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names.slice(i, i + 50), NextToken, MaxRecords: 100 }))
        .catch((error) => {
          throw toAppError(error, 'DescribeAutoScalingGroups');
        });
      for (const g of out.AutoScalingGroups ?? []) {
        if (g.AutoScalingGroupName && !g.Status?.startsWith('Delete')) found.set(g.AutoScalingGroupName, g);
      }
      NextToken = out.NextToken;
    } while (NextToken);
  }
  return found;
}

export async function describeGroup(ctx: AwsContext, name: string): Promise<AutoScalingGroup | undefined> {
  return (await describeGroups(ctx, [name])).get(name);
}

export async function requireGroup(ctx: AwsContext, ref: string): Promise<AutoScalingGroup> {
  const group = awsNames.groupIdOf(ref) ? await describeGroup(ctx, ref) : undefined;
  if (!group) throw notFound('server group', ref);
  return group;
}

/** A fixed count, or the bounds an autoscaler keeps its count within. */
export function assertCapacity(ctx: AwsContext, capacity: Capacity | ScalingBounds): void {
  const { min, max } = capacity;
  const desired = 'desired' in capacity ? capacity.desired : undefined;
  const limit = ctx.settings.maxInstancesPerGroup;
  if (![min, max, desired ?? 0].every((n) => Number.isInteger(n) && n >= 0))
    throw validationError('capacity must be whole numbers of instances, 0 or more');
  if (desired === undefined && min > max) throw validationError(`capacity needs min ≤ max (got ${min} ≤ ${max})`);
  if (desired !== undefined && !(min <= desired && desired <= max))
    throw validationError(`capacity needs min ≤ desired ≤ max (got ${min} ≤ ${desired} ≤ ${max})`);
  if (max > limit) throw validationError(`at most ${limit} instances per process type in this account (asked for ${max})`);
}
