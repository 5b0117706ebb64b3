import { DescribeInstancesCommand, type Instance, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { TAG } from '../tags';

const LIVE = ['pending', 'running', 'stopping', 'stopped'];

/** The builder instances of a build (normally one) that are not terminated. */
export async function liveBuilders(ctx: AwsContext, buildId: string): Promise<Instance[]> {
  return describeInstances(ctx, [
    { Name: `tag:${TAG.build}`, Values: [buildId] },
    { Name: `tag:${TAG.role}`, Values: ['builder'] },
    { Name: 'instance-state-name', Values: LIVE },
  ]);
}

export async function describeInstances(ctx: AwsContext, Filters: { Name: string; Values: string[] }[]): Promise<Instance[]> {
  const found: Instance[] = [];
  let NextToken: string | undefined;
  do {
    const out = await ctx.clients.ec2.send(new DescribeInstancesCommand({ Filters, NextToken })).catch((error) => {
      throw toAppError(error, 'DescribeInstances');
    });
    for (const r of out.Reservations ?? []) found.push(...(r.Instances ?? []));
    NextToken = out.NextToken;
  } while (NextToken);
  return found;
}

/** Always safe to call again: terminating a terminated instance is a no-op. */
export async function terminate(ctx: AwsContext, instanceIds: string[]): Promise<void> {
  if (instanceIds.length === 0) return;
  try {
    await ctx.clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: instanceIds }));
  } catch (error) {
    if (!isAwsError(error, 'InvalidInstanceID.NotFound')) throw toAppError(error, 'TerminateInstances');
  }
}
