import { lstat, rm } from 'node:fs/promises';
import type { LocalContext } from '../context';
import { listJsonFiles, readJsonFile } from '../state/atomic-file';
import { isSafeName } from '../state/layout';
import type { ImageIndexEntry } from '../state/records';
import { chooseImages, type ImageChoice } from './choose-images';
import { isReferenced, readImageReferences } from './image-references';
import { scanImages } from './scan-images';
import { moveToTrash } from './trash';

/**
 * Applies the retention policy to images/ (see chooseImages). What goes is
 * moved to trash/; the caller empties it. Returns the build ids moved.
 */
export async function reclaimImages(ctx: LocalContext, now: number): Promise<{ removed: string[]; trimmed: string[] }> {
  const policy = ctx.housekeeping;
  const images = await scanImages(ctx.layout, now, policy.safetyAgeMs);
  const refs = await readImageReferences(ctx.layout, policy, now);
  const choice = chooseImages(images, (id) => isReferenced(refs, id), policy, now);
  const removed: string[] = [];
  const trimmed: string[] = [];
  if (choice.remove.length > 0 || choice.trimTree.length > 0) {
    await reclaim(ctx, choice, removed, trimmed);
  }
  // Entries of images gone some other way (a crash, an operator) lead nowhere either.
  await dropIndexEntries(ctx, async (buildId) => !(await isDirectory(ctx.layout.image(buildId).dir)));
  return { removed, trimmed };
}

async function reclaim(ctx: LocalContext, choice: ImageChoice, removed: string[], trimmed: string[]): Promise<void> {
  // The reuse index first, so that from here on neither a deploy (findImage)
  // nor a build (reusing a commit built before) picks an image that is going.
  const going = new Set(choice.remove);
  await dropIndexEntries(ctx, async (buildId) => going.has(buildId));
  // Then read the references again: a deploy may have made a template for one
  // of them meanwhile. What is left is a deploy that found the image just
  // before the index went and makes its template just after this read: its
  // server group then fails with `image_reclaimed` (see assert-image-kept.ts).
  const fresh = await readImageReferences(ctx.layout, ctx.housekeeping, Date.now());
  for (const buildId of choice.remove) {
    if (isReferenced(fresh, buildId)) continue;
    if (await moveToTrash(ctx.layout, ctx.layout.image(buildId).dir)) removed.push(buildId);
  }
  for (const buildId of choice.trimTree) {
    if (await moveToTrash(ctx.layout, ctx.layout.image(buildId).app)) trimmed.push(buildId);
  }
}

async function dropIndexEntries(ctx: LocalContext, drop: (buildId: string) => Promise<boolean>): Promise<void> {
  for (const path of await listJsonFiles(ctx.layout.imageIndex)) {
    const entry = await readJsonFile<ImageIndexEntry>(path).catch(() => null);
    if (entry === null || typeof entry.buildId !== 'string' || !isSafeName(entry.buildId)) continue;
    if (await drop(entry.buildId)) await rm(path, { force: true });
  }
}

const isDirectory = (path: string) =>
  lstat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
