import type { Db } from '@paas/db';
import { deploymentSummary } from '../deployments/deployment-summary';
import { storedHealthCheckOverride } from '../deployments/health-checks';
import { parseAutoscaling } from '../formation/autoscaling';
import { parseObservedInstances } from '../observe/observed-instances';
import type { CloudInventoryRegistry } from '../ports/cloud-provider';
import { findApp } from './find-app';

/**
 * The app page and `GET /api/v1/apps/:name`: formation, releases, deployments
 * and what runs now, all from Postgres (the worker records what it observes
 * in the cloud; nothing here calls the provider).
 */
export async function getApp(deps: { db: Db; clouds: CloudInventoryRegistry }, name: string) {
  const found = await findApp(deps.db, name);
  const app = await deps.db.app.findUniqueOrThrow({
    where: { id: found.id },
    include: {
      processTypes: { orderBy: { type: 'asc' } },
      releases: {
        orderBy: { version: 'desc' },
        take: 30,
        include: {
          build: { select: { id: true, commitSha: true, stack: true } },
          configVersion: { select: { version: true } },
          sourceRelease: { select: { version: true } },
        },
      },
      deployments: { orderBy: { createdAt: 'desc' }, take: 15 },
      parent: { select: { name: true } },
      reviewAppsOf: {
        where: { deletingAt: null },
        select: { name: true, pullRequestNumber: true },
        orderBy: { pullRequestNumber: 'asc' },
      },
      serverGroups: {
        where: { status: { in: ['creating', 'active', 'disabled'] } },
        include: { release: { select: { version: true } } },
        orderBy: { createdAt: 'desc' },
      },
    },
  });
  const serving = app.serverGroups.filter((g) => g.status === 'active');
  const activeRelease = app.releases.find((r) => r.status === 'active') ?? null;

  return {
    id: app.id,
    name: app.name,
    repoUrl: app.repoUrl,
    branch: app.branch,
    // Whether it has a webhook secret of its own (never the secret).
    hasWebhookSecret: app.webhookSecretEnc !== null,
    // The directory of the repository the app builds from ('' for the root).
    rootDir: app.rootDir,
    // GitHub's id of the connected repository (pushes match it), or null.
    githubRepositoryId: app.githubRepoId === null ? null : Number(app.githubRepoId),
    // Review apps: whether this app makes them, and the ones it has; for a review app, its parent and pull request.
    reviewApps: {
      enabled: app.reviewApps,
      apps: app.reviewAppsOf.map((r) => ({ name: r.name, pullRequest: r.pullRequestNumber })),
    },
    reviewOf: app.parent ? { app: app.parent.name, pullRequest: app.pullRequestNumber } : null,
    status: app.deletingAt ? ('deleting' as const) : ('ok' as const),
    createdAt: app.createdAt.toISOString(),
    urls: deps.clouds.forAccount(found.cloudAccount).defaultHostnames(app.name),
    /** The instance sizes the app's cloud account offers. */
    sizes: [...deps.clouds.forAccount(found.cloudAccount).instanceSizes()],
    configVersion: app.configVersion,
    cloudAccount: found.cloudAccount.name,
    region: found.cloudAccount.region,
    pricing: await pricingOf(deps, found.cloudAccount),
    healthCheck: storedHealthCheckOverride(app.healthCheck),
    activeRelease: activeRelease?.version ?? null,
    formation: app.processTypes.map((p) => {
      const groups = serving.filter((g) => g.processType === p.type);
      const sum = (pick: (g: (typeof groups)[number]) => number) => groups.reduce((n, g) => n + pick(g), 0);
      return {
        type: p.type,
        quantity: p.quantity,
        size: p.instanceSize,
        autoscaling: parseAutoscaling(p.autoscaling),
        // What the cloud wants running now: with autoscaling, the autoscaler's latest choice.
        desired: groups.length ? sum((g) => g.observedDesired ?? g.desired) : null,
        healthy: sum((g) => g.observedHealthy),
        starting: sum((g) => g.observedStarting),
        failed: sum((g) => g.observedFailed),
      };
    }),
    releases: app.releases.map((r) => ({
      version: r.version,
      status: r.status,
      cause: r.cause,
      description: r.description,
      commitSha: r.build.commitSha,
      buildId: r.build.id,
      /** What the build detected: node, python, go or static. */
      stack: r.build.stack,
      configVersion: r.configVersion?.version ?? null,
      rollbackOf: r.sourceRelease?.version ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
    deployments: app.deployments.map(deploymentSummary),
    instances: serving.flatMap((g) =>
      parseObservedInstances(g.observedInstances).map((i) => ({
        id: i.id,
        processType: g.processType,
        release: activeRelease?.version ?? g.release.version,
        health: i.health,
        ...(i.detail ? { detail: i.detail } : {}),
      })),
    ),
    observedAt:
      serving
        .reduce<Date | null>((latest, g) => (g.observedAt && (!latest || g.observedAt > latest) ? g.observedAt : latest), null)
        ?.toISOString() ?? null,
  };
}

export type AppDetail = Awaited<ReturnType<typeof getApp>>;

/**
 * What the slider needs to price a formation: the region, the instance type
 * of each size, and how many apps share the account's load balancer. Null
 * where instances cost nothing by themselves (this machine).
 */
async function pricingOf(
  deps: { db: Db; clouds: CloudInventoryRegistry },
  account: Parameters<CloudInventoryRegistry['forAccount']>[0] & { region: string },
) {
  const instanceTypes = deps.clouds.forAccount(account).instanceTypes();
  if (!instanceTypes) return null;
  const appsOnLoadBalancer = await deps.db.app.count({ where: { cloudAccountId: account.id, deletingAt: null } });
  return { region: account.region, instanceTypes, appsOnLoadBalancer };
}
