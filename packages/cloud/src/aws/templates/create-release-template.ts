import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  type LaunchTemplateVersion,
  type RequestLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import { AppError, type AppRef, INSTANCE_SIZE_SPECS, type ReleaseTemplateInput, validationError } from '@paas/core';
import { artifactsBucket } from '../artifacts';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { instanceTypeFor } from '../instance-types';
import { awsNames } from '../names';
import { APP_PORT, network } from '../network';
import { renderInstanceUserData } from '../scripts/render-instance-user-data';
import { appTags, TAG, tagList } from '../tags';
import { launchTemplateData } from './launch-template-data';
import { type AwsTemplateRef, formatTemplateRef } from './template-ref';

/**
 * One launch template per app and process type; each release adds one
 * numbered version to it (found again by its description, so a retry reuses
 * it). Versions are immutable: the same release with other input is refused.
 */
export async function createReleaseTemplate(ctx: AwsContext, input: ReleaseTemplateInput): Promise<{ templateRef: string }> {
  await assertImage(ctx, input.imageRef);
  const [bucket, net] = await Promise.all([artifactsBucket(ctx), network(ctx)]);
  const ref: AwsTemplateRef = { aws: 1, processes: {} };
  for (const [type, process] of Object.entries(input.processes).sort(([a], [b]) => a.localeCompare(b))) {
    const spec = INSTANCE_SIZE_SPECS[process.size];
    const data = launchTemplateData({
      imageId: input.imageRef,
      instanceType: instanceTypeFor(process.size, ctx.settings),
      instanceProfile: ctx.settings.instanceProfile,
      securityGroupIds: [net.instanceSecurityGroup],
      userData: renderInstanceUserData({
        region: ctx.region,
        bucket,
        app: input.app,
        release: input.release,
        processType: type,
        command: process.command,
        configParameter: input.configRef,
        port: process.healthCheck ? APP_PORT : null,
        memoryMb: spec.memoryMb,
        cpus: spec.cpus,
        logPrefix: awsNames.appLogPrefix(input.app.id),
      }),
      tags: appTags(input.app, {
        [TAG.release]: input.release.id,
        [TAG.processType]: type,
        [TAG.role]: 'app',
        Name: `paas ${input.app.name} v${input.release.version} ${type}`,
      }),
    });
    const { launchTemplateId, version } = await ensureVersion(ctx, input.app, type, input.release.id, data);
    ref.processes[type] = { launchTemplateId, version, healthCheck: process.healthCheck };
  }
  return { templateRef: formatTemplateRef(ref) };
}

async function assertImage(ctx: AwsContext, imageId: string): Promise<void> {
  if (!/^ami-[0-9a-f]{8,17}$/.test(imageId)) throw validationError(`"${imageId}" is not an AMI id`);
  try {
    const out = await ctx.clients.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    if (out.Images?.[0]?.State !== 'available') throw validationError(`image ${imageId} is not available`);
  } catch (error) {
    if (isAwsError(error, 'InvalidAMIID.NotFound', 'InvalidAMIID.Malformed', 'InvalidAMIID.Unavailable'))
      throw validationError(`image ${imageId} does not exist in this account and region`);
    throw toAppError(error, 'DescribeImages');
  }
}

async function ensureVersion(
  ctx: AwsContext,
  app: AppRef,
  type: string,
  releaseId: string,
  data: RequestLaunchTemplateData,
): Promise<{ launchTemplateId: string; version: number }> {
  const name = awsNames.launchTemplate(app.id, type);
  const description = awsNames.launchTemplateVersionDescription(releaseId);
  const token = awsNames.launchTemplateToken(releaseId, type);
  let templateId = await findTemplate(ctx, name);
  if (!templateId) {
    try {
      const out = await ctx.clients.ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: name,
          VersionDescription: description,
          LaunchTemplateData: data,
          ClientToken: token,
          TagSpecifications: [{ ResourceType: 'launch-template', Tags: tagList(appTags(app, { [TAG.processType]: type })) }],
        }),
      );
      const id = out.LaunchTemplate?.LaunchTemplateId;
      if (id) return { launchTemplateId: id, version: 1 };
    } catch (error) {
      if (!isAwsError(error, 'InvalidLaunchTemplateName.AlreadyExistsException')) throw toAppError(error, 'CreateLaunchTemplate');
    }
    templateId = await findTemplate(ctx, name);
    if (!templateId) throw toAppError(new Error('created but not found'), `CreateLaunchTemplate ${name}`);
  }
  const existing = await findVersion(ctx, templateId, description);
  if (existing) {
    if (!sameData(existing, data)) {
      throw new AppError('conflict', `release ${releaseId} already has a ${type} launch template version with other settings`);
    }
    return { launchTemplateId: templateId, version: existing.VersionNumber as number };
  }
  const out = await ctx.clients.ec2
    .send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: templateId,
        VersionDescription: description,
        LaunchTemplateData: data,
        ClientToken: token,
      }),
    )
    .catch((error) => {
      throw toAppError(error, 'CreateLaunchTemplateVersion');
    });
  const version = out.LaunchTemplateVersion?.VersionNumber;
  if (!version) throw toAppError(new Error('no version number'), 'CreateLaunchTemplateVersion');
  return { launchTemplateId: templateId, version };
}

async function findTemplate(ctx: AwsContext, name: string): Promise<string | undefined> {
  try {
    const out = await ctx.clients.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] }));
    return out.LaunchTemplates?.[0]?.LaunchTemplateId;
  } catch (error) {
    if (isAwsError(error, 'InvalidLaunchTemplateName.NotFoundException', 'InvalidLaunchTemplateId.NotFound')) return undefined;
    throw toAppError(error, 'DescribeLaunchTemplates');
  }
}

/** The release's version: usually the latest, else found by paging (a retry long after). */
async function findVersion(ctx: AwsContext, templateId: string, description: string): Promise<LaunchTemplateVersion | undefined> {
  const latest = await ctx.clients.ec2
    .send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, Versions: ['$Latest'] }))
    .catch((error) => {
      throw toAppError(error, 'DescribeLaunchTemplateVersions');
    });
  const hit = latest.LaunchTemplateVersions?.find((v) => v.VersionDescription === description);
  if (hit) return hit;
  let NextToken: string | undefined;
  do {
    const page = await ctx.clients.ec2
      .send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, NextToken, MaxResults: 200 }))
      .catch((error) => {
        throw toAppError(error, 'DescribeLaunchTemplateVersions');
      });
    const found = page.LaunchTemplateVersions?.find((v) => v.VersionDescription === description);
    if (found) return found;
    NextToken = page.NextToken;
  } while (NextToken);
  return undefined;
}

function sameData(version: LaunchTemplateVersion, data: RequestLaunchTemplateData): boolean {
  const have = version.LaunchTemplateData;
  return have?.ImageId === data.ImageId && have?.InstanceType === data.InstanceType && have?.UserData === data.UserData;
}
