import { AWS_PRICES, AWS_PRICES_AS_OF, HOURS_PER_MONTH } from './aws-prices';

export interface FormationCostInput {
  region: string;
  instanceType: string;
  quantity: number;
  /** How many apps share the account's load balancer: this app pays its share. */
  appsOnLoadBalancer: number;
  /** Only the web process type sits behind the load balancer (default true). */
  usesLoadBalancer?: boolean;
}

export interface FormationCost {
  /** USD per month for the instances, or null when the price is not known. */
  instances: number | null;
  /** This app's share of the load balancer's hourly charge (traffic, in LCUs, comes on top). */
  loadBalancerShare: number | null;
  total: number | null;
  asOf: string;
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** What a process type's quantity and size cost per month, on demand, at list prices. */
export function formationMonthlyCost(input: FormationCostInput): FormationCost {
  const region = AWS_PRICES[input.region];
  const hourly = region?.ec2[input.instanceType];
  const instances = hourly === undefined ? null : cents(hourly * HOURS_PER_MONTH * input.quantity);
  const loadBalancerShare =
    region === undefined
      ? null
      : input.usesLoadBalancer === false
        ? 0
        : cents((region.albHour * HOURS_PER_MONTH) / Math.max(1, input.appsOnLoadBalancer));
  return {
    instances,
    loadBalancerShare,
    total: instances === null || loadBalancerShare === null ? null : cents(instances + loadBalancerShare),
    asOf: AWS_PRICES_AS_OF,
  };
}

/** "$12.34" (or "price unknown"). */
export function formatUsd(usd: number | null): string {
  return usd === null ? 'price unknown' : `$${usd.toFixed(2)}`;
}
