import { lstat } from 'node:fs/promises';
import { AppError } from '@paas/core';
import type { LocalContext } from '../context';
import type { TemplateRecord } from '../state/records';

/**
 * A template outlives its image: releases in the database keep pointing at it,
 * while housekeeping deletes images outside the rollback window. Starting
 * such a release (a rollback to it) must say so instead of starting processes
 * that crash on a missing directory. Not retryable: only a new build helps.
 */
export async function assertImageKept(ctx: LocalContext, templateRef: string, template: TemplateRecord): Promise<void> {
  const present = await lstat(ctx.layout.image(template.imageRef).app).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (present) return;
  const kept = ctx.housekeeping.keepImages;
  throw new AppError(
    'image_reclaimed',
    `release v${template.release.version} can no longer run here: its image (build ${template.imageRef}) was deleted by disk housekeeping, ` +
      `which keeps the images of each app's newest ${kept} builds and releases and of its running server groups. Deploy that release's commit again to rebuild it.`,
    { details: { templateRef, imageRef: template.imageRef, release: template.release.version } },
  );
}
