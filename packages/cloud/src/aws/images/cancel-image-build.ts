import { getText, putText } from '../artifacts';
import type { AwsContext } from '../context';
import { awsNames, parseBuildJobRef } from '../names';
import { parseBuildResult } from './builder-protocol';
import { liveBuilders, terminate } from './builders';
import { deleteImage, imageOfBuild } from './images';

/**
 * Stops a bake for good: the result says cancelled (a builder never overwrites
 * a result), the builder is terminated, and an image it was becoming is
 * deregistered with its snapshots. Safe to repeat.
 */
export async function cancelImageBuild(ctx: AwsContext, jobRef: string): Promise<void> {
  const ids = parseBuildJobRef(jobRef);
  if (!ids) return;
  const key = awsNames.buildKey(ids.appId, ids.buildId, 'result.json');
  const result = parseBuildResult(await getText(ctx, key));
  if (result?.state !== 'failed') await putText(ctx, key, `${JSON.stringify({ state: 'failed', error: 'Build cancelled' })}\n`);
  await terminate(
    ctx,
    (await liveBuilders(ctx, ids.buildId)).map((b) => b.InstanceId as string),
  );
  const image = await imageOfBuild(ctx, ids.buildId);
  if (image) await deleteImage(ctx, image);
}
