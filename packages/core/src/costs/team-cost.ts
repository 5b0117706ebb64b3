import { AWS_PRICES_AS_OF } from './aws-prices';
import { formationMonthlyCost } from './monthly-cost';

export interface PricedAccount {
  region: string;
  /** Null where instances cost nothing by themselves (this machine). */
  instanceTypes: Readonly<Record<string, string>> | null;
}

export interface CostedApp {
  cloudAccountId: string;
  formation: { type: string; quantity: number; size: string }[];
}

/**
 * The team's monthly on-demand total over its apps in AWS accounts: each
 * process type's instances, plus each app's share of its account's load
 * balancer (once, for its web processes). Apps on this machine add nothing.
 */
export function teamMonthlyCost(apps: CostedApp[], accounts: ReadonlyMap<string, PricedAccount>) {
  const perAccount = new Map<string, number>();
  for (const app of apps) perAccount.set(app.cloudAccountId, (perAccount.get(app.cloudAccountId) ?? 0) + 1);
  let total = 0;
  let priced = 0;
  let unknown = false;
  for (const app of apps) {
    const account = accounts.get(app.cloudAccountId);
    if (!account?.instanceTypes) continue;
    priced += 1;
    for (const p of app.formation) {
      const cost = formationMonthlyCost({
        region: account.region,
        instanceType: account.instanceTypes[p.size] ?? '',
        quantity: p.quantity,
        appsOnLoadBalancer: perAccount.get(app.cloudAccountId) ?? 1,
        usesLoadBalancer: p.type === 'web',
      });
      if (cost.total === null) unknown = true;
      else total += cost.total;
    }
  }
  return { total: Math.round(total * 100) / 100, pricedApps: priced, unknown, asOf: AWS_PRICES_AS_OF };
}
