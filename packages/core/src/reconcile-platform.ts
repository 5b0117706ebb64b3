import { reconcileCloudAccounts } from './cloud-accounts/verify-cloud-account';
import type { CoreContext } from './context';
import { reconcileDeployments } from './deployments/reconcile-deployments';
import { reconcileDomains } from './domains/reconcile-domains';
import { reconcileDestroyingGroups } from './formation/destroy-server-groups';
import { expireWarmGroups } from './formation/expire-warm-groups';
import { reconcileFormations } from './formation/reconcile-formations';
import { reportOverdueToGithub } from './github/ask-github-report';
import { collectTrafficMetrics } from './metrics/collect-traffic-metrics';
import { observeServerGroups } from './observe/observe-server-groups';
import { pruneWebhookDeliveries } from './webhooks/prune-deliveries';
import { relayOverdueDeliveries } from './webhooks/relay-overdue-deliveries';

/**
 * One pass of the platform's upkeep: deliver overdue work (deployments, webhook relays, GitHub reports) again, apply lost
 * formation changes, finish interrupted removals, remove warm groups past retention and
 * webhook deliveries past theirs, let each cloud repair itself
 * (the local provider restarts crashed processes), then record what runs
 * and copy traffic metrics for the charts. Each
 * part runs even when another fails; the first failure is reported after.
 */
export async function reconcilePlatform(ctx: CoreContext) {
  const result = {
    redelivered: 0,
    resized: 0,
    removed: 0,
    expired: 0,
    domains: 0,
    accounts: 0,
    relayed: 0,
    reported: 0,
    pruned: 0,
    observed: 0,
    metrics: 0,
  };
  const failures: unknown[] = [];
  const part = async <K extends keyof typeof result>(key: K | null, work: () => Promise<unknown>) => {
    try {
      const n = await work();
      if (key && typeof n === 'number') result[key] = n;
    } catch (error) {
      failures.push(error);
    }
  };
  await part('redelivered', () => reconcileDeployments(ctx));
  await part('resized', () => reconcileFormations(ctx));
  await part('removed', () => reconcileDestroyingGroups(ctx));
  await part('expired', () => expireWarmGroups(ctx));
  await part('domains', () => reconcileDomains(ctx));
  await part('accounts', () => reconcileCloudAccounts(ctx));
  await part('relayed', () => relayOverdueDeliveries(ctx));
  await part('reported', () => reportOverdueToGithub(ctx));
  await part('pruned', () => pruneWebhookDeliveries(ctx));
  for (const cloud of ctx.clouds.all()) await part(null, () => cloud.reconcile());
  await part('observed', () => observeServerGroups(ctx));
  await part('metrics', () => collectTrafficMetrics(ctx));
  if (failures.length > 0) throw failures[0];
  return result;
}
