import type { Db } from '@paas/db';

export interface AppListScope {
  /** The team's apps; all apps for platform tools, which pass no team. */
  teamId?: string;
  /** Only apps whose name contains this (case-insensitive). */
  search?: string;
  /** A page of the list, by name: a dashboard never renders a thousand rows. */
  offset?: number;
  limit?: number;
}

/** The team's apps by name, with their live release, last deployment and formation. */
export async function listApps(deps: { db: Db }, scope: AppListScope = {}) {
  const apps = await deps.db.app.findMany({
    where: appListWhere(scope),
    orderBy: { name: 'asc' },
    ...(scope.offset ? { skip: scope.offset } : {}),
    ...(scope.limit ? { take: scope.limit } : {}),
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

/** How many apps the scope holds (for "1–50 of 1,000"). */
export function countApps(deps: { db: Db }, scope: AppListScope = {}) {
  return deps.db.app.count({ where: appListWhere(scope) });
}

/** What a team's apps cost needs: their account and formation, for every app, in one query. */
export async function listTeamFormations(deps: { db: Db }, teamId: string) {
  const apps = await deps.db.app.findMany({
    where: { teamId },
    select: { cloudAccountId: true, processTypes: { select: { type: true, quantity: true, instanceSize: true } } },
  });
  return apps.map((a) => ({
    cloudAccountId: a.cloudAccountId,
    formation: a.processTypes.map((p) => ({ type: p.type, quantity: p.quantity, size: p.instanceSize })),
  }));
}

function appListWhere(scope: AppListScope) {
  return {
    ...(scope.teamId ? { teamId: scope.teamId } : {}),
    ...(scope.search ? { name: { contains: scope.search.toLowerCase() } } : {}),
  };
}
