import { describe, expect, it } from 'vitest';
import { formationMonthlyCost, formatUsd } from '../src/costs/monthly-cost';
import { teamMonthlyCost } from '../src/costs/team-cost';

// Known on-demand list prices (USD per hour, as of the table's date), worked
// out by hand: 730 hours a month, the load balancer split between the apps on it.
const KNOWN: { region: string; type: string; quantity: number; apps: number; instances: number; share: number }[] = [
  { region: 'us-east-1', type: 't3.micro', quantity: 1, apps: 1, instances: 7.59, share: 16.43 },
  { region: 'us-east-1', type: 't3.micro', quantity: 3, apps: 4, instances: 22.78, share: 4.11 },
  { region: 'us-east-1', type: 't3.xlarge', quantity: 2, apps: 10, instances: 242.94, share: 1.64 },
  { region: 'us-west-2', type: 't3.small', quantity: 5, apps: 2, instances: 75.92, share: 8.21 },
  { region: 'eu-west-1', type: 't3.medium', quantity: 2, apps: 3, instances: 66.58, share: 6.13 },
  { region: 'eu-central-1', type: 't3.large', quantity: 1, apps: 1, instances: 70.08, share: 19.71 },
];

describe('formation cost', () => {
  for (const k of KNOWN) {
    it(`${k.quantity} × ${k.type} in ${k.region}, ${k.apps} app(s) on the load balancer`, () => {
      const cost = formationMonthlyCost({
        region: k.region,
        instanceType: k.type,
        quantity: k.quantity,
        appsOnLoadBalancer: k.apps,
      });
      expect(cost.instances).toBe(k.instances);
      expect(cost.loadBalancerShare).toBe(k.share);
      expect(cost.total).toBe(Math.round((k.instances + k.share) * 100) / 100);
      expect(cost.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });
  }

  it('a process type not behind the load balancer pays no share of it', () => {
    const cost = formationMonthlyCost({
      region: 'us-east-1',
      instanceType: 't3.small',
      quantity: 2,
      appsOnLoadBalancer: 3,
      usesLoadBalancer: false,
    });
    expect(cost).toMatchObject({ instances: 30.37, loadBalancerShare: 0, total: 30.37 });
  });

  it('scaling to zero leaves only the load balancer share', () => {
    const cost = formationMonthlyCost({ region: 'us-east-1', instanceType: 't3.small', quantity: 0, appsOnLoadBalancer: 1 });
    expect(cost.instances).toBe(0);
    expect(cost.total).toBe(16.43);
  });

  it('an unknown region or type is "price unknown", never a guess', () => {
    expect(
      formationMonthlyCost({ region: 'ap-south-2', instanceType: 't3.micro', quantity: 1, appsOnLoadBalancer: 1 }),
    ).toMatchObject({
      instances: null,
      total: null,
    });
    const odd = formationMonthlyCost({ region: 'us-east-1', instanceType: 'm7i.large', quantity: 1, appsOnLoadBalancer: 1 });
    expect(odd.instances).toBeNull();
    expect(odd.total).toBeNull();
    expect(formatUsd(odd.total)).toBe('price unknown');
    expect(formatUsd(12.3)).toBe('$12.30');
  });
});

describe('team cost', () => {
  const accounts = new Map([
    ['aws-1', { region: 'us-east-1', instanceTypes: { small: 't3.micro', medium: 't3.small' } }],
    ['local', { region: 'local', instanceTypes: null }],
  ]);

  it('adds each AWS app’s instances and its share of the load balancer; apps on this machine cost nothing', () => {
    const cost = teamMonthlyCost(
      [
        // 2 × t3.micro (15.18) + half the load balancer (8.21); a worker t3.small (15.18), no share.
        {
          cloudAccountId: 'aws-1',
          formation: [
            { type: 'web', quantity: 2, size: 'small' },
            { type: 'worker', quantity: 1, size: 'medium' },
          ],
        },
        // 1 × t3.small (15.18) + half the load balancer (8.21).
        { cloudAccountId: 'aws-1', formation: [{ type: 'web', quantity: 1, size: 'medium' }] },
        { cloudAccountId: 'local', formation: [{ type: 'web', quantity: 5, size: 'small' }] },
      ],
      accounts,
    );
    expect(cost).toMatchObject({ total: 61.96, pricedApps: 2, unknown: false });
  });

  it('says when a price is unknown rather than leaving it out silently', () => {
    const cost = teamMonthlyCost(
      [{ cloudAccountId: 'aws-1', formation: [{ type: 'web', quantity: 1, size: 'xlarge' }] }],
      accounts,
    );
    expect(cost.unknown).toBe(true);
  });
});
