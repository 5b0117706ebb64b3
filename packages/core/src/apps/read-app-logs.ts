import type { Db } from '@paas/db';
import { z } from 'zod';
import type { CloudInventoryRegistry } from '../ports/cloud-provider';
import { parseInput } from './app-input';
import { findApp } from './find-app';

export const appLogsQuerySchema = z.object({
  tail: z.coerce.number().int('tail must be a whole number').min(0).max(1_000, 'tail must be at most 1000').default(100),
  cursor: z.string().max(100_000).nullable().default(null),
});

/** The output of the app's running processes, Heroku style; pass `cursor` back to follow. */
export async function readAppLogs(deps: { db: Db; clouds: CloudInventoryRegistry }, appName: string, query: unknown) {
  const { tail, cursor } = parseInput(appLogsQuerySchema, query);
  const app = await findApp(deps.db, appName);
  const groups = await deps.db.serverGroup.findMany({
    where: { appId: app.id, status: 'active', providerRef: { not: null } },
    select: { providerRef: true },
  });
  return deps.clouds.forAccount(app.cloudAccount).readInstanceLogs({
    app: { id: app.id, name: app.name },
    serverGroupRefs: groups.map((g) => g.providerRef as string),
    cursor,
    tail,
  });
}
