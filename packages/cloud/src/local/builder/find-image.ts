import { stat } from 'node:fs/promises';
import type { FoundImage, ImageLookup } from '@paas/core';
import type { LocalContext } from '../context';
import { localNames } from '../names';
import { readJsonFile } from '../state/atomic-file';
import type { BuildResult, ImageIndexEntry } from '../state/records';

/**
 * An image this app already built from the same commit and build definition.
 * Images are not shared across apps here: each belongs to its app's user.
 */
export async function findImage(ctx: LocalContext, lookup: ImageLookup): Promise<FoundImage | null> {
  const key = localNames.imageKey(lookup.app.id, lookup.repoUrl, lookup.commitSha, lookup.definition);
  const entry = await readJsonFile<ImageIndexEntry>(ctx.layout.imageIndexEntry(key));
  if (entry === null || entry.appId !== lookup.app.id) return null;
  const image = ctx.layout.image(entry.buildId);
  const result = await readJsonFile<BuildResult>(image.result);
  if (result?.state !== 'succeeded' || result.commitSha !== lookup.commitSha) return null;
  const present = await stat(image.app).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return present ? { imageRef: entry.buildId, processes: result.processes, stack: result.stack } : null;
}
