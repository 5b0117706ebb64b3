import {
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  type Filter,
  type Image,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { awsNames } from '../names';

const AL2023 = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

export async function describeOwnImages(ctx: AwsContext, Filters: Filter[]): Promise<Image[]> {
  const out = await ctx.clients.ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters })).catch((error) => {
    throw toAppError(error, 'DescribeImages');
  });
  return out.Images ?? [];
}

/** The image of a build, by its deterministic name (CreateImage has no idempotency token). */
export async function imageOfBuild(ctx: AwsContext, buildId: string): Promise<Image | undefined> {
  const images = await describeOwnImages(ctx, [{ Name: 'name', Values: [awsNames.image(buildId)] }]);
  return images.find((i) => i.State !== 'deregistered');
}

export function snapshotIds(image: Image): string[] {
  return (image.BlockDeviceMappings ?? []).map((m) => m.Ebs?.SnapshotId).filter((id): id is string => Boolean(id));
}

/** Snapshots cannot be tagged by CreateImage everywhere; they get the image's tags once it is available. */
export async function tagSnapshots(ctx: AwsContext, image: Image): Promise<void> {
  const ids = snapshotIds(image);
  if (ids.length === 0 || !image.Tags?.length) return;
  await ctx.clients.ec2.send(new CreateTagsCommand({ Resources: ids, Tags: image.Tags })).catch((error) => {
    throw toAppError(error, 'CreateTags (snapshots)');
  });
}

/** Deregisters an image and deletes its snapshots: nothing of it is left to pay for. */
export async function deleteImage(ctx: AwsContext, image: Image): Promise<void> {
  if (image.ImageId) {
    try {
      await ctx.clients.ec2.send(new DeregisterImageCommand({ ImageId: image.ImageId }));
    } catch (error) {
      if (!isAwsError(error, 'InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable')) throw toAppError(error, 'DeregisterImage');
    }
  }
  for (const SnapshotId of snapshotIds(image)) {
    try {
      await ctx.clients.ec2.send(new DeleteSnapshotCommand({ SnapshotId }));
    } catch (error) {
      if (!isAwsError(error, 'InvalidSnapshot.NotFound')) throw toAppError(error, 'DeleteSnapshot');
    }
  }
}

/** The AMI builders start from: the account's choice, else the latest Amazon Linux 2023. */
export async function baseImage(ctx: AwsContext): Promise<string> {
  if (ctx.settings.baseImage) return ctx.settings.baseImage;
  return ctx.memo.once('base-image', async () => {
    const out = await ctx.clients.ssm.send(new GetParameterCommand({ Name: AL2023 })).catch((error) => {
      throw toAppError(error, `GetParameter ${AL2023}`);
    });
    const id = out.Parameter?.Value;
    if (!id) throw toAppError(new Error('empty parameter'), `GetParameter ${AL2023}`);
    return id;
  });
}
