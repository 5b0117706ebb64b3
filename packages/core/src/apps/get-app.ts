import type { Db } from '@paas/db';
import { notFound } from '../errors';
import type { CloudInventory, InstanceInfo } from '../ports/cloud-provider';

export interface AppInstance extends InstanceInfo {
  processType: string;
  release: number;
  serverGroup: string;
}

/** The app page and `GET /api/v1/apps/:name`: formation, releases, deployments and what runs now. */
export async function getApp(deps: { db: Db; cloud: CloudInventory }, name: string) {
  const app = await deps.db.app.findUnique({
    where: { name },
    include: {
      processTypes: { orderBy: { type: 'asc' } },
      releases: { orderBy: { version: 'desc' }, take: 20, include: { build: { select: { commitSha: true, status: true } } } },
      deployments: { orderBy: { createdAt: 'desc' }, take: 10 },
      serverGroups: {
        where: { status: { in: ['creating', 'active', 'disabled'] } },
        include: { release: { select: { version: true } } },
      },
    },
  });
  if (!app) throw notFound('app', name);

  const instances: AppInstance[] = [];
  for (const group of app.serverGroups.filter((g) => g.status === 'active' && g.providerRef)) {
    const info = await deps.cloud.describeServerGroup(group.providerRef as string);
    for (const instance of info?.instances ?? []) {
      instances.push({ ...instance, processType: group.processType, release: group.release.version, serverGroup: group.name });
    }
  }

  return {
    id: app.id,
    name: app.name,
    repoUrl: app.repoUrl,
    branch: app.branch,
    createdAt: app.createdAt.toISOString(),
    urls: deps.cloud.defaultHostnames(app.name),
    formation: app.processTypes.map((p) => ({
      type: p.type,
      quantity: p.quantity,
      size: p.instanceSize,
      running: instances.filter((i) => i.processType === p.type && i.health !== 'stopped').length,
    })),
    releases: app.releases.map((r) => ({
      version: r.version,
      status: r.status,
      description: r.description,
      commitSha: r.build.commitSha,
      createdAt: r.createdAt.toISOString(),
    })),
    deployments: app.deployments.map((d) => ({
      id: d.id,
      kind: d.kind,
      state: d.state,
      step: d.step,
      commitSha: d.commitSha,
      errorCode: d.errorCode,
      error: d.error,
      createdAt: d.createdAt.toISOString(),
      finishedAt: d.finishedAt?.toISOString() ?? null,
    })),
    instances: instances.map((i) => ({
      id: i.id,
      processType: i.processType,
      release: i.release,
      health: i.health,
    })),
  };
}

export type AppDetail = Awaited<ReturnType<typeof getApp>>;
