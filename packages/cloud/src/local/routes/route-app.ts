import { AppError, notFound, type RouteInput, validationError } from '@paas/core';
import type { LocalContext } from '../context';
import { listJsonFiles, readJsonFile, writeJsonAtomic } from '../state/atomic-file';
import { withLock } from '../state/file-lock';
import { safeName } from '../state/layout';
import type { GroupRecord, RouteRecord } from '../state/records';

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function normalizeHostname(hostname: string): string {
  return hostname.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * One file per app; the router picks it up within about a second. A hostname
 * belongs to one app only, checked under a lock shared by all route writes.
 */
export async function routeApp(ctx: LocalContext, input: RouteInput): Promise<void> {
  const app = safeName(input.app, 'app');
  const hostnames = [...new Set(input.hostnames.map(normalizeHostname))];
  for (const hostname of hostnames) {
    if (!HOSTNAME.test(hostname)) throw validationError(`"${hostname}" is not a valid hostname`);
  }
  if (input.serverGroupRef !== null) {
    const group = await readJsonFile<GroupRecord>(ctx.layout.group(safeName(input.serverGroupRef, 'server group')));
    if (group === null || group.destroyed) throw notFound('server group', input.serverGroupRef);
  }

  await withLock(ctx.layout.lock('routes'), { waitMs: ctx.lockWaitMs }, async () => {
    for (const path of await listJsonFiles(ctx.layout.routes)) {
      const other = await readJsonFile<RouteRecord>(path);
      if (other === null || other.app === app) continue;
      const taken = hostnames.find((hostname) => other.hostnames.includes(hostname));
      if (taken !== undefined) {
        throw new AppError('conflict', `hostname ${taken} is already routed to app ${other.app}`, {
          details: { hostname: taken },
        });
      }
    }
    const route: RouteRecord = { app, hostnames, serverGroupRef: input.serverGroupRef, updatedAt: new Date().toISOString() };
    await writeJsonAtomic(ctx.layout.route(app), route);
  });
  ctx.log.info('app routed', { app, hostnames, serverGroupRef: input.serverGroupRef });
}
