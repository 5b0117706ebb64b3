import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DeleteLaunchTemplateCommand,
  DeleteSnapshotCommand,
  DescribeLaunchTemplatesCommand,
  DescribeSnapshotsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeTagsCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeleteParametersCommand, GetParametersByPathCommand } from '@aws-sdk/client-ssm';
import type { AppRef } from '@paas/core';
import { deletePrefix } from './artifacts';
import type { AwsContext } from './context';
import { isAwsError, toAppError } from './errors';
import { destroyServerGroup } from './groups/destroy-server-group';
import { describeInstances, terminate } from './images/builders';
import { deleteImage, describeOwnImages } from './images/images';
import { awsNames } from './names';
import { TAG } from './tags';
import { deleteAppRules } from './traffic/app-rules';
import { deleteAliases } from './traffic/dns-aliases';
import { placementOf } from './traffic/load-balancers';

/**
 * Removes everything the app owns in the account, found by its tags and
 * paths rather than by what the platform remembers, so a resource a crash
 * left behind goes too. Order matters: rules before target groups, groups
 * before launch templates, instances before images. Safe to repeat.
 */
export async function teardownApp(ctx: AwsContext, app: AppRef, defaultHostnames: string[]): Promise<void> {
  const builders = await describeInstances(ctx, [
    { Name: `tag:${TAG.app}`, Values: [app.id] },
    { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
  ]);
  await terminate(
    ctx,
    builders.map((i) => i.InstanceId as string),
  );

  const placement = await placementOf(ctx, app.id, false);
  await deleteAppRules(ctx, app.id);
  if (placement) await deleteAliases(ctx, placement, defaultHostnames);

  for (const ref of await appGroups(ctx, app.id)) await destroyServerGroup(ctx, ref);
  for (const arn of await appTargetGroups(ctx, app.id)) {
    const ref = ctx.tagCache.get(arn)?.[TAG.group];
    if (ref) await destroyServerGroup(ctx, ref);
  }

  const templates = await ctx.clients.ec2
    .send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: `tag:${TAG.app}`, Values: [app.id] }] }))
    .catch((error) => {
      throw toAppError(error, 'DescribeLaunchTemplates');
    });
  for (const t of templates.LaunchTemplates ?? []) {
    try {
      await ctx.clients.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: t.LaunchTemplateId }));
    } catch (error) {
      if (!isAwsError(error, 'InvalidLaunchTemplateId.NotFound')) throw toAppError(error, 'DeleteLaunchTemplate');
    }
  }

  for (const image of await describeOwnImages(ctx, [{ Name: `tag:${TAG.app}`, Values: [app.id] }])) await deleteImage(ctx, image);
  const snapshots = await ctx.clients.ec2
    .send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: `tag:${TAG.app}`, Values: [app.id] }] }))
    .catch((error) => {
      throw toAppError(error, 'DescribeSnapshots');
    });
  for (const s of snapshots.Snapshots ?? []) {
    try {
      await ctx.clients.ec2.send(new DeleteSnapshotCommand({ SnapshotId: s.SnapshotId }));
    } catch (error) {
      if (!isAwsError(error, 'InvalidSnapshot.NotFound')) throw toAppError(error, 'DeleteSnapshot');
    }
  }

  await deleteParameters(ctx, awsNames.appParameterPath(app.id));
  await deletePrefix(ctx, awsNames.appPrefix(app.id));
  ctx.memo.forget(`placement:${awsNames.placementParameter(app.id)}`);
}

async function appGroups(ctx: AwsContext, appId: string): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const out = await ctx.clients.autoscaling
      .send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: `tag:${TAG.app}`, Values: [appId] }], NextToken }))
      .catch((error) => {
        throw toAppError(error, 'DescribeAutoScalingGroups');
      });
    for (const g of out.AutoScalingGroups ?? []) if (g.AutoScalingGroupName) names.push(g.AutoScalingGroupName);
    NextToken = out.NextToken;
  } while (NextToken);
  return names;
}

/** Target groups of the app whose Auto Scaling Group is already gone (a crash between the two deletions). */
async function appTargetGroups(ctx: AwsContext, appId: string): Promise<string[]> {
  const arns: string[] = [];
  let Marker: string | undefined;
  do {
    const out = await ctx.clients.elb.send(new DescribeTargetGroupsCommand({ Marker, PageSize: 400 })).catch((error) => {
      throw toAppError(error, 'DescribeTargetGroups');
    });
    for (const tg of out.TargetGroups ?? [])
      if (tg.TargetGroupName?.startsWith('paas-') && tg.TargetGroupArn) arns.push(tg.TargetGroupArn);
    Marker = out.NextMarker;
  } while (Marker);
  const mine: string[] = [];
  for (let i = 0; i < arns.length; i += 20) {
    const out = await ctx.clients.elb.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) })).catch((error) => {
      throw toAppError(error, 'DescribeTags');
    });
    for (const d of out.TagDescriptions ?? []) {
      const tags = Object.fromEntries((d.Tags ?? []).map((t) => [t.Key as string, t.Value ?? '']));
      if (d.ResourceArn) ctx.tagCache.set(d.ResourceArn, tags);
      if (tags[TAG.app] === appId && d.ResourceArn) mine.push(d.ResourceArn);
    }
  }
  return mine;
}

async function deleteParameters(ctx: AwsContext, path: string): Promise<void> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const out = await ctx.clients.ssm
      .send(new GetParametersByPathCommand({ Path: path, Recursive: true, NextToken, MaxResults: 10 }))
      .catch((error) => {
        throw toAppError(error, 'GetParametersByPath');
      });
    for (const p of out.Parameters ?? []) if (p.Name) names.push(p.Name);
    NextToken = out.NextToken;
  } while (NextToken);
  for (let i = 0; i < names.length; i += 10) {
    await ctx.clients.ssm.send(new DeleteParametersCommand({ Names: names.slice(i, i + 10) })).catch((error) => {
      throw toAppError(error, 'DeleteParameters');
    });
  }
}
