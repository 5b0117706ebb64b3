import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';

/** ALB counts every host value against a rule's 5 condition values. */
export const HOSTS_PER_RULE = 5;
/** A forward action takes at most 5 target groups. */
export const MAX_TARGET_GROUPS_PER_RULE = 5;

export interface WeightedTargetGroup {
  arn: string;
  weight: number;
}

/** Hostnames split into the rules that carry them: the first rule has the first five, and so on. */
export function hostnameChunks(hostnames: string[]): string[][] {
  const unique = [...new Set(hostnames.map((h) => h.toLowerCase()))];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += HOSTS_PER_RULE) chunks.push(unique.slice(i, i + HOSTS_PER_RULE));
  return chunks;
}

export function hostConditions(hostnames: string[]): RuleCondition[] {
  return [{ Field: 'host-header', HostHeaderConfig: { Values: hostnames } }];
}

/**
 * Every group registered for the app stays in the rule, so the load balancer
 * keeps health-checking it; only the serving one has weight. Switching is one
 * change of weights: the new group gets 1, the old 0.
 */
export function forwardTo(targetGroups: WeightedTargetGroup[]): Action[] {
  return [
    {
      Type: 'forward',
      ForwardConfig: {
        TargetGroups: targetGroups.map((t) => ({ TargetGroupArn: t.arn, Weight: t.weight })),
        TargetGroupStickinessConfig: { Enabled: false },
      },
    },
  ];
}

export function weightsFor(registered: string[], serving: string | null): WeightedTargetGroup[] {
  return registered.map((arn) => ({ arn, weight: arn === serving ? 1 : 0 }));
}
