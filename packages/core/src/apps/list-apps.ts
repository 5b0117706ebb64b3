import type { Db } from '@paas/db';

/** The team's apps (all apps for platform tools, which pass no team). */
export async function listApps(deps: { db: Db }, scope: { teamId?: string } = {}) {
  const apps = await deps.db.app.findMany({
    where: scope.teamId ? { teamId: scope.teamId } : {},
    orderBy: { name: 'asc' },
    include: {
      releases: { where: { status: 'active' }, select: { version: true, createdAt: true }, take: 1 },
      deployments: { orderBy: { createdAt: 'desc' }, take: 1, select: { state: true, step: true, kind: true } },
      processTypes: { select: { type: true, quantity: true, instanceSize: true } },
    },
  });
  return apps.map((a) => ({
    name: a.name,
    repoUrl: a.repoUrl,
    branch: a.branch,
    status: a.deletingAt ? ('deleting' as const) : ('ok' as const),
    activeRelease: a.releases[0]?.version ?? null,
    lastDeployment: a.deployments[0] ?? null,
    formation: a.processTypes.map((p) => ({ type: p.type, quantity: p.quantity, size: p.instanceSize })),
    cloudAccountId: a.cloudAccountId,
  }));
}
