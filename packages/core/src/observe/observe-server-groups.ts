import type { CoreContext } from '../context';
import type { ServerGroupInfo } from '../ports/cloud-provider';
import { observation } from './observed-instances';

type GroupRow = {
  id: string;
  providerRef: string | null;
  observedInstances: unknown;
  observedDesired: number | null;
  observedAt: Date | null;
};

/**
 * Records what the cloud says about groups in Postgres. Only changes are
 * written (the reconciler calls this every few seconds for every live group).
 */
export async function recordObservations(ctx: CoreContext, groups: GroupRow[], infos: Map<string, ServerGroupInfo | null>) {
  for (const group of groups) {
    if (!group.providerRef || !infos.has(group.providerRef)) continue;
    const seen = observation(infos.get(group.providerRef) ?? null);
    const same =
      JSON.stringify(seen.observedInstances) === JSON.stringify(group.observedInstances) &&
      seen.observedDesired === group.observedDesired;
    if (same && group.observedAt) continue;
    await ctx.db.serverGroup.update({ where: { id: group.id }, data: { ...seen, observedAt: ctx.now() } });
  }
}

/** One look at every live group of every app, per cloud account (one describe call per account). */
export async function observeServerGroups(ctx: CoreContext): Promise<number> {
  const groups = await ctx.db.serverGroup.findMany({
    where: { status: { in: ['creating', 'active', 'disabled'] }, providerRef: { not: null } },
    select: {
      id: true,
      providerRef: true,
      observedInstances: true,
      observedDesired: true,
      observedAt: true,
      app: { select: { cloudAccount: true } },
    },
  });
  const byAccount = new Map<string, typeof groups>();
  for (const group of groups) {
    const list = byAccount.get(group.app.cloudAccount.id) ?? [];
    list.push(group);
    byAccount.set(group.app.cloudAccount.id, list);
  }
  for (const list of byAccount.values()) {
    const account = list[0]?.app.cloudAccount;
    if (!account) continue;
    const infos = await ctx.clouds.forAccount(account).describeServerGroups(list.map((g) => g.providerRef as string));
    await recordObservations(ctx, list, infos);
  }
  return groups.length;
}
