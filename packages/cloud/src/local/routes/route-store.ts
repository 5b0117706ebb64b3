import { AppError, type AppRef } from '@paas/core';
import type { LocalContext } from '../context';
import { localNames } from '../names';
import { listJsonFiles, readJsonFile, writeJsonAtomic } from '../state/atomic-file';
import { withLock } from '../state/file-lock';
import type { RouteRecord } from '../state/records';

// One file per app, the app's load balancer: the router picks a change up
// within about a second (it watches the directory). Every route write holds
// one lock, so the "a hostname belongs to one app" check cannot race.

export const readRoute = (ctx: LocalContext, appId: string) =>
  readJsonFile<RouteRecord>(ctx.layout.route(localNames.appId(appId)));

export async function changeRoute(ctx: LocalContext, app: AppRef, change: (route: RouteRecord) => void): Promise<void> {
  await withLock(ctx.layout.lock('routes'), { waitMs: ctx.lockWaitMs }, async () => {
    const path = ctx.layout.route(localNames.appId(app.id));
    const route: RouteRecord = (await readJsonFile<RouteRecord>(path)) ?? {
      app: { id: app.id, name: app.name },
      hostnames: [],
      registered: [],
      serverGroupRef: null,
      updatedAt: new Date().toISOString(),
    };
    const before = JSON.stringify(route);
    change(route);
    for (const hostname of route.hostnames) await assertHostnameFree(ctx, app.id, hostname);
    if (JSON.stringify(route) === before) return;
    route.updatedAt = new Date().toISOString();
    await writeJsonAtomic(path, route, 0o600);
  });
}

async function assertHostnameFree(ctx: LocalContext, appId: string, hostname: string): Promise<void> {
  for (const path of await listJsonFiles(ctx.layout.routes)) {
    const other = await readJsonFile<RouteRecord>(path).catch(() => null);
    if (other === null || other.app?.id === appId || !other.hostnames?.includes(hostname)) continue;
    throw new AppError('conflict', `hostname ${hostname} is already routed to app ${other.app.name}`, { details: { hostname } });
  }
}
