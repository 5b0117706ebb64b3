import type { Db } from '@paas/db';
import type { AppRef, CloudProvider } from '../ports/cloud-provider';

/** What an app's route must match: its default hostnames and its custom domains that are ready. */
export async function appHostnames(db: Db, cloud: CloudProvider, app: AppRef): Promise<string[]> {
  const active = await db.domain.findMany({ where: { appId: app.id, status: 'active' }, select: { hostname: true } });
  return [...cloud.defaultHostnames(app.name), ...active.map((d) => d.hostname)];
}
