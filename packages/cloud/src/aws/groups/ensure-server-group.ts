import { CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { type ServerGroupInput, validationError } from '@paas/core';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { awsNames } from '../names';
import { network } from '../network';
import { appTags, TAG } from '../tags';
import { parseTemplateRef } from '../templates/template-ref';
import { assertCapacity, describeGroup } from './auto-scaling-groups';
import { ensureTargetGroup } from './target-groups';

/**
 * An Auto Scaling Group per server group, named from its id, pinned to the
 * release's numbered launch template version. A web group gets a target group
 * of its own and ELB health checks, so AWS replaces instances that stop
 * answering. Describe before create: a retry finds the group.
 */
export async function ensureServerGroup(ctx: AwsContext, input: ServerGroupInput): Promise<{ ref: string }> {
  assertCapacity(ctx, input.capacity);
  const name = awsNames.autoScalingGroup(input.id);
  if (await describeGroup(ctx, name)) return { ref: name };
  const launch = parseTemplateRef(input.templateRef).processes[input.processType];
  if (!launch) throw validationError(`the release template has no process type "${input.processType}"`);

  const net = await network(ctx);
  const targetGroupArn = launch.healthCheck
    ? await ensureTargetGroup(ctx, {
        groupId: input.id,
        groupRef: name,
        app: input.app,
        releaseId: input.release.id,
        vpcId: net.vpcId,
        healthCheck: launch.healthCheck,
      })
    : undefined;
  const tags = appTags(input.app, {
    [TAG.release]: input.release.id,
    [TAG.group]: name,
    [TAG.processType]: input.processType,
    [TAG.enabled]: 'true',
    Name: `paas ${input.app.name} v${input.release.version} ${input.processType}`,
  });
  try {
    await ctx.clients.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        LaunchTemplate: { LaunchTemplateId: launch.launchTemplateId, Version: String(launch.version) },
        MinSize: input.capacity.min,
        MaxSize: input.capacity.max,
        DesiredCapacity: input.capacity.desired,
        VPCZoneIdentifier: net.subnetIds.join(','),
        ...(targetGroupArn
          ? {
              TargetGroupARNs: [targetGroupArn],
              HealthCheckType: 'ELB',
              HealthCheckGracePeriod: Math.ceil((launch.healthCheck?.gracePeriodMs ?? 0) / 1000),
            }
          : { HealthCheckType: 'EC2', HealthCheckGracePeriod: 60 }),
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true })),
      }),
    );
  } catch (error) {
    if (!isAwsError(error, 'AlreadyExists', 'AlreadyExistsFault')) throw toAppError(error, 'CreateAutoScalingGroup');
  }
  return { ref: name };
}
