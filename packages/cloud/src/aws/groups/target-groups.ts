import {
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AppRef, HealthCheck } from '@paas/core';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { awsNames } from '../names';
import { appTags, TAG } from '../tags';
import { targetGroupInput } from './target-group-input';

export async function targetGroupArn(ctx: AwsContext, groupId: string): Promise<string | undefined> {
  const name = awsNames.targetGroup(groupId);
  try {
    const out = await ctx.clients.elb.send(new DescribeTargetGroupsCommand({ Names: [name] }));
    return out.TargetGroups?.[0]?.TargetGroupArn;
  } catch (error) {
    if (isAwsError(error, 'TargetGroupNotFound', 'TargetGroupNotFoundException')) return undefined;
    throw toAppError(error, 'DescribeTargetGroups');
  }
}

/** Describe before create: creating a target group twice is an error on some ELB implementations. */
export async function ensureTargetGroup(
  ctx: AwsContext,
  input: { groupId: string; groupRef: string; app: AppRef; releaseId: string; vpcId: string; healthCheck: HealthCheck },
): Promise<string> {
  let arn = await targetGroupArn(ctx, input.groupId);
  if (!arn) {
    try {
      const out = await ctx.clients.elb.send(
        new CreateTargetGroupCommand(
          targetGroupInput({
            name: awsNames.targetGroup(input.groupId),
            vpcId: input.vpcId,
            healthCheck: input.healthCheck,
            tags: appTags(input.app, { [TAG.group]: input.groupRef, [TAG.release]: input.releaseId }),
          }),
        ),
      );
      arn = out.TargetGroups?.[0]?.TargetGroupArn;
    } catch (error) {
      if (!isAwsError(error, 'DuplicateTargetGroupName', 'DuplicateTargetGroupNameException'))
        throw toAppError(error, 'CreateTargetGroup');
      arn = await targetGroupArn(ctx, input.groupId);
    }
    if (!arn) throw toAppError(new Error('created but not found'), 'CreateTargetGroup');
  }
  // A short drain: old targets stop getting new requests at once and finish in-flight ones.
  await ctx.clients.elb
    .send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: arn,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(ctx.settings.deregistrationDelaySeconds) }],
      }),
    )
    .catch((error) => {
      throw toAppError(error, 'ModifyTargetGroupAttributes');
    });
  return arn;
}

export async function targetHealth(ctx: AwsContext, arn: string): Promise<TargetHealthDescription[]> {
  try {
    const out = await ctx.clients.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    return out.TargetHealthDescriptions ?? [];
  } catch (error) {
    if (isAwsError(error, 'TargetGroupNotFound', 'TargetGroupNotFoundException')) return [];
    throw toAppError(error, 'DescribeTargetHealth');
  }
}

/** Takes instances out of a target group before they are terminated, so none is left registered. */
export async function deregisterTargets(ctx: AwsContext, arn: string, instanceIds: string[]): Promise<void> {
  if (instanceIds.length === 0) return;
  try {
    await ctx.clients.elb.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: instanceIds.map((Id) => ({ Id })) }));
  } catch (error) {
    if (!isAwsError(error, 'TargetGroupNotFound', 'TargetGroupNotFoundException', 'InvalidTarget'))
      throw toAppError(error, 'DeregisterTargets');
  }
}
