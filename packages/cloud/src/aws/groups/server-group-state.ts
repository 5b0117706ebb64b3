import { CreateOrUpdateTagsCommand, ResumeProcessesCommand, SuspendProcessesCommand } from '@aws-sdk/client-auto-scaling';
import type { AwsContext } from '../context';
import { toAppError } from '../errors';
import { TAG } from '../tags';
import { requireGroup } from './auto-scaling-groups';

// A disabled group is the warm standby of a red/black switch: its instances
// keep running and stay registered with the load balancer at weight 0, so
// their health stays known and a rollback is one rule change. Scaling
// automation is suspended (no alarms, schedules or rebalancing resize it);
// AWS still replaces an instance that dies, so the standby stays whole.
const SUSPENDED = ['AlarmNotification', 'ScheduledActions', 'AZRebalance'];

export async function disableServerGroup(ctx: AwsContext, ref: string): Promise<void> {
  await requireGroup(ctx, ref);
  await tagEnabled(ctx, ref, false);
  await ctx.clients.autoscaling
    .send(new SuspendProcessesCommand({ AutoScalingGroupName: ref, ScalingProcesses: SUSPENDED }))
    .catch((error) => {
      throw toAppError(error, 'SuspendProcesses');
    });
}

export async function enableServerGroup(ctx: AwsContext, ref: string): Promise<void> {
  await requireGroup(ctx, ref);
  await ctx.clients.autoscaling
    .send(new ResumeProcessesCommand({ AutoScalingGroupName: ref, ScalingProcesses: SUSPENDED }))
    .catch((error) => {
      throw toAppError(error, 'ResumeProcesses');
    });
  await tagEnabled(ctx, ref, true);
}

async function tagEnabled(ctx: AwsContext, ref: string, enabled: boolean): Promise<void> {
  await ctx.clients.autoscaling
    .send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          {
            ResourceId: ref,
            ResourceType: 'auto-scaling-group',
            Key: TAG.enabled,
            Value: String(enabled),
            PropagateAtLaunch: false,
          },
        ],
      }),
    )
    .catch((error) => {
      throw toAppError(error, 'CreateOrUpdateTags');
    });
}
