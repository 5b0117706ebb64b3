import { readdir, rm } from 'node:fs/promises';
import type { AppRef } from '@paas/core';
import { cancelImageBuild } from '../builder/cancel-image-build';
import type { LocalContext } from '../context';
import { removeAppIdentity } from '../isolation/app-user';
import { appTarget } from '../metrics/traffic-files';
import { localNames } from '../names';
import { listJsonFiles, readJsonFile } from '../state/atomic-file';
import type { BuildRecord, GroupRecord, ImageIndexEntry, TemplateRecord } from '../state/records';
import { destroyServerGroup } from '../supervisor/destroy-server-group';

/**
 * Removes everything the app owns on this machine, in the order that keeps
 * each step safe to repeat: traffic first (its route), then processes, then
 * builds, templates, config, logs and traffic metrics, and last the app's user and home.
 */
export async function teardownApp(ctx: LocalContext, app: AppRef): Promise<void> {
  const appId = localNames.appId(app.id);
  await rm(ctx.layout.route(appId), { force: true });

  for (const path of await listJsonFiles(ctx.layout.groups)) {
    const group = await readJsonFile<GroupRecord>(path).catch(() => null);
    if (group?.app?.id !== appId) continue;
    await destroyServerGroup(ctx, group.ref);
    await rm(ctx.layout.groupLogs(group.ref), { recursive: true, force: true });
    await rm(ctx.layout.metricsTarget(group.ref), { recursive: true, force: true });
    await rm(path, { force: true });
  }

  for (const buildId of await readdir(ctx.layout.images).catch(() => [] as string[])) {
    const image = ctx.layout.image(buildId);
    const record = await readJsonFile<BuildRecord>(image.build).catch(() => null);
    if (record?.app?.id !== appId) continue;
    await cancelImageBuild(ctx, buildId, 'App deleted');
    await rm(image.dir, { recursive: true, force: true });
  }
  for (const path of await listJsonFiles(ctx.layout.imageIndex)) {
    const entry = await readJsonFile<ImageIndexEntry>(path).catch(() => null);
    if (entry?.appId === appId) await rm(path, { force: true });
  }
  for (const path of await listJsonFiles(ctx.layout.templates)) {
    const template = await readJsonFile<TemplateRecord>(path).catch(() => null);
    if (template?.app?.id === appId) await rm(path, { force: true });
  }
  await rm(ctx.layout.appConfigs(appId), { recursive: true, force: true });
  await rm(ctx.layout.metricsTarget(appTarget(appId)), { recursive: true, force: true });
  await removeAppIdentity(ctx, appId);
  ctx.log.info('app torn down', { app: app.name });
}
