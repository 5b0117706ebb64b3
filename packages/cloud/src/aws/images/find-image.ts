import type { FoundImage, ImageLookup } from '@paas/core';
import { getText } from '../artifacts';
import type { AwsContext } from '../context';
import { awsNames } from '../names';
import { TAG, tagValue } from '../tags';
import { parseBuildResult, splitRepoCredentials } from './builder-protocol';
import { describeOwnImages } from './images';

/** An available image this app baked from the same source and build definition. */
export async function findImage(ctx: AwsContext, lookup: ImageLookup): Promise<FoundImage | null> {
  const source = awsNames.imageSource(splitRepoCredentials(lookup.repoUrl).url, lookup.commitSha, lookup.definition);
  const images = await describeOwnImages(ctx, [
    { Name: `tag:${TAG.app}`, Values: [lookup.app.id] },
    { Name: `tag:${TAG.source}`, Values: [source] },
    { Name: 'state', Values: ['available'] },
  ]);
  for (const image of images) {
    const buildId = tagValue(image.Tags, TAG.build);
    if (!buildId || !image.ImageId) continue;
    const result = parseBuildResult(await getText(ctx, awsNames.buildKey(lookup.app.id, buildId, 'result.json')));
    if (result?.state === 'succeeded' && result.commitSha === lookup.commitSha) {
      return { imageRef: image.ImageId, processes: result.processes, stack: result.stack };
    }
  }
  return null;
}
