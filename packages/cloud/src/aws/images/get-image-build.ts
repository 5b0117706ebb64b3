import { CreateImageCommand, type Image } from '@aws-sdk/client-ec2';
import { DeleteParameterCommand } from '@aws-sdk/client-ssm';
import { type ImageBuildStatus, notFound } from '@paas/core';
import { getText, objectAgeMs } from '../artifacts';
import type { AwsContext } from '../context';
import { isAwsError, toAppError } from '../errors';
import { awsNames, parseBuildJobRef } from '../names';
import { appTags, TAG, tagList, tagValue } from '../tags';
import { buildRequestSchema, parseBuildResult } from './builder-protocol';
import { liveBuilders, terminate } from './builders';
import { imageOfBuild, tagSnapshots } from './images';

/** A new builder may not be listed yet (EC2 is eventually consistent): missing is only "gone" after this. */
const LAUNCH_GRACE_MS = 120_000;

/**
 * One look at a bake, moving it on where it can: a successful result gets its
 * image made from the builder; an image that is available (or failed) ends the
 * build, and the builder is terminated, every time it is asked, until it is
 * gone. All the state lives in AWS (bucket, instance, image), so any worker
 * may ask, after any crash.
 */
export async function getImageBuild(ctx: AwsContext, jobRef: string): Promise<ImageBuildStatus> {
  const ids = parseBuildJobRef(jobRef);
  if (!ids) throw notFound('build', jobRef);
  const { appId, buildId } = ids;

  const image = await imageOfBuild(ctx, buildId);
  if (image) return imageStatus(ctx, appId, buildId, image);

  const result = parseBuildResult(await getText(ctx, awsNames.buildKey(appId, buildId, 'result.json')));
  const builders = await liveBuilders(ctx, buildId);
  if (result === null) {
    if (builders.some((b) => b.State?.Name === 'pending' || b.State?.Name === 'running')) return { state: 'running' };
    const age = await objectAgeMs(ctx, awsNames.buildKey(appId, buildId, 'request.json'));
    if (age === null) throw notFound('build', jobRef);
    if (builders.length === 0 && age < LAUNCH_GRACE_MS) return { state: 'running' };
    await finish(
      ctx,
      appId,
      buildId,
      builders.map((b) => b.InstanceId as string),
    );
    return { state: 'failed', error: 'the builder instance stopped without reporting a result' };
  }
  if (result.state === 'failed') {
    await finish(
      ctx,
      appId,
      buildId,
      builders.map((b) => b.InstanceId as string),
    );
    return { state: 'failed', error: result.error };
  }
  const builder = builders.find((b) => b.State?.Name === 'running' || b.State?.Name === 'stopped');
  if (!builder?.InstanceId) {
    await finish(
      ctx,
      appId,
      buildId,
      builders.map((b) => b.InstanceId as string),
    );
    return { state: 'failed', error: 'the builder instance was gone before its image could be made' };
  }
  const request = await readBuildRequest(ctx, appId, buildId);
  const team = tagValue(builder.Tags, TAG.team);
  const app = { id: appId, name: tagValue(builder.Tags, TAG.appName) ?? appId, ...(team ? { teamId: team } : {}) };
  const tags = tagList(
    appTags(app, {
      [TAG.build]: buildId,
      [TAG.role]: 'image',
      [TAG.source]: awsNames.imageSource(request.repoUrl, result.commitSha, request.definition),
      Name: `paas ${app.name} ${result.commitSha.slice(0, 7)}`,
    }),
  );
  try {
    await ctx.clients.ec2.send(
      new CreateImageCommand({
        InstanceId: builder.InstanceId,
        Name: awsNames.image(buildId),
        Description: `${app.name} at ${result.commitSha}`,
        // Rebooting flushes the file system, so the image is consistent.
        NoReboot: false,
        // The snapshot too, from the start: a sweep finds it by tag even if the image is gone first.
        TagSpecifications: [
          { ResourceType: 'image', Tags: tags },
          { ResourceType: 'snapshot', Tags: tags },
        ],
      }),
    );
  } catch (error) {
    if (!isAwsError(error, 'InvalidAMIName.Duplicate')) throw toAppError(error, 'CreateImage');
  }
  return { state: 'running' };
}

async function imageStatus(ctx: AwsContext, appId: string, buildId: string, image: Image): Promise<ImageBuildStatus> {
  if (image.State === 'pending') return { state: 'running' };
  const builders = (await liveBuilders(ctx, buildId)).map((b) => b.InstanceId as string);
  if (image.State !== 'available') {
    await finish(ctx, appId, buildId, builders);
    return { state: 'failed', error: `the image could not be made: ${image.StateReason?.Message ?? image.State}` };
  }
  const result = parseBuildResult(await getText(ctx, awsNames.buildKey(appId, buildId, 'result.json')));
  if (result?.state !== 'succeeded') {
    await finish(ctx, appId, buildId, builders);
    return { state: 'failed', error: result?.state === 'failed' ? result.error : 'the build result is missing' };
  }
  if (builders.length > 0) {
    await tagSnapshots(ctx, image);
    await finish(ctx, appId, buildId, builders);
  }
  return {
    state: 'succeeded',
    imageRef: image.ImageId as string,
    commitSha: result.commitSha,
    processes: result.processes,
    stack: result.stack,
  };
}

/** Whatever the outcome: the builder goes, and so does the git credential it was given. */
async function finish(ctx: AwsContext, appId: string, buildId: string, builders: string[]): Promise<void> {
  await terminate(ctx, builders);
  try {
    await ctx.clients.ssm.send(new DeleteParameterCommand({ Name: awsNames.gitCredentialsParameter(appId, buildId) }));
  } catch (error) {
    if (!isAwsError(error, 'ParameterNotFound')) throw toAppError(error, 'DeleteParameter (git credentials)');
  }
}

async function readBuildRequest(ctx: AwsContext, appId: string, buildId: string) {
  const text = await getText(ctx, awsNames.buildKey(appId, buildId, 'request.json'));
  if (text === null) throw notFound('build', `${appId}/${buildId}`);
  return buildRequestSchema.parse(JSON.parse(text));
}
