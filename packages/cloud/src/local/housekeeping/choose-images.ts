import type { HousekeepingPolicy } from './policy';
import type { ScannedImage } from './scan-images';

export interface ImageChoice {
  /** Build directories to delete whole. */
  remove: string[];
  /** Failed builds kept for their log whose half-built tree can go (nothing can run a failed build). */
  trimTree: string[];
}

/**
 * Which build directories go. Kept: builds still running; images that
 * `isReferenced` (server groups, the newest releases' templates); the images
 * of each app's newest `keepImages` succeeded builds (a build that reused an
 * earlier image counts for that image, and stays exactly as long as it);
 * each app's newest `keepFailedBuilds` failed ones while younger than
 * `failedBuildMaxAgeMs`. Pure, so the policy is testable on its own.
 */
export function chooseImages(
  images: ScannedImage[],
  isReferenced: (buildId: string) => boolean,
  policy: Pick<HousekeepingPolicy, 'keepImages' | 'keepFailedBuilds' | 'failedBuildMaxAgeMs'>,
  now: number,
): ImageChoice {
  const newestFirst = [...images].sort((a, b) => b.at - a.at || (a.buildId < b.buildId ? -1 : 1));
  const keptImages = new Set<string>();
  const recentByApp = new Map<string, Set<string>>();
  const failedByApp = new Map<string, number>();
  const remove: string[] = [];
  const trimTree: string[] = [];

  for (const image of newestFirst) {
    if (image.state !== 'succeeded') continue;
    const imageRef = image.imageOf ?? image.buildId;
    const recent = recentByApp.get(image.appId ?? '') ?? new Set<string>();
    recentByApp.set(image.appId ?? '', recent);
    if (recent.size < policy.keepImages) recent.add(imageRef);
    if (recent.has(imageRef) || isReferenced(imageRef)) keptImages.add(imageRef);
  }

  for (const image of newestFirst) {
    switch (image.state) {
      case 'running':
        break;
      case 'succeeded':
        if (!keptImages.has(image.imageOf ?? image.buildId)) remove.push(image.buildId);
        break;
      case 'failed':
      case 'abandoned': {
        const rank = failedByApp.get(image.appId ?? '') ?? 0;
        failedByApp.set(image.appId ?? '', rank + 1);
        const keep = image.appId !== null && rank < policy.keepFailedBuilds && now - image.at < policy.failedBuildMaxAgeMs;
        if (!keep) remove.push(image.buildId);
        else if (image.hasTree) trimTree.push(image.buildId);
        break;
      }
    }
  }
  return { remove, trimTree };
}
