import type { MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { TrafficMinute } from '@paas/core';

/** A target group as CloudWatch names it: the ALB publishes each metric per (load balancer, target group). */
export interface TargetGroupDimensions {
  loadBalancer: string;
  targetGroup: string;
}

export const ALB_NAMESPACE = 'AWS/ApplicationELB';
const PERIOD_SECONDS = 60;

// What the ALB publishes per target group, and the statistic each is read as.
// The load balancer's own 5xx (HTTPCode_ELB_5XX_Count, its 503s when a group
// has no target) exist only per load balancer, which apps share: they cannot
// be told apart by app. What can be is a connection the ALB could not make to
// a target of the group, which it answers with a 502: counted as a 5xx here.
const SERIES = {
  requests: { metric: 'RequestCount', stat: 'Sum' },
  target5xx: { metric: 'HTTPCode_Target_5XX_Count', stat: 'Sum' },
  connectionErrors: { metric: 'TargetConnectionErrorCount', stat: 'Sum' },
  p50: { metric: 'TargetResponseTime', stat: 'p50' },
  p95: { metric: 'TargetResponseTime', stat: 'p95' },
  p99: { metric: 'TargetResponseTime', stat: 'p99' },
} as const;
type Series = keyof typeof SERIES;

/** One query per series and target group; ids say which (`g<index>_<series>`). */
export function trafficQueries(groups: TargetGroupDimensions[]): MetricDataQuery[] {
  return groups.flatMap((group, index) =>
    (Object.keys(SERIES) as Series[]).map((series) => ({
      Id: `g${index}_${series}`,
      MetricStat: {
        Metric: {
          Namespace: ALB_NAMESPACE,
          MetricName: SERIES[series].metric,
          Dimensions: [
            { Name: 'LoadBalancer', Value: group.loadBalancer },
            { Name: 'TargetGroup', Value: group.targetGroup },
          ],
        },
        Period: PERIOD_SECONDS,
        Stat: SERIES[series].stat,
      },
      ReturnData: true,
    })),
  );
}

/**
 * The app's minutes from the results of trafficQueries (pages may repeat an
 * id). Counts add up across its target groups (a rollout moves traffic from
 * one to the other); percentiles cannot be added, so a minute takes those of
 * the group that served most of its requests. Times go from seconds to ms.
 */
export function trafficMinutes(results: MetricDataResult[]): TrafficMinute[] {
  const minutes = new Map<number, Map<string, Partial<Record<Series, number>>>>();
  for (const result of results) {
    const [, group, series] = /^(g\d+)_(\w+)$/.exec(result.Id ?? '') ?? [];
    if (!group || !isSeries(series)) continue;
    (result.Timestamps ?? []).forEach((at, i) => {
      const value = result.Values?.[i];
      if (value === undefined) return;
      const minute = Math.floor(at.getTime() / 60_000) * 60_000;
      const groups = minutes.get(minute) ?? new Map<string, Partial<Record<Series, number>>>();
      minutes.set(minute, groups);
      const values = groups.get(group) ?? {};
      groups.set(group, values);
      values[series] = value;
    });
  }
  const out: TrafficMinute[] = [];
  for (const minute of [...minutes.keys()].sort((a, b) => a - b)) {
    const groups = [...(minutes.get(minute)?.values() ?? [])];
    const requests = sum(groups.map((g) => g.requests));
    const errors5xx = sum(groups.flatMap((g) => [g.target5xx, g.connectionErrors]));
    if (requests === 0 && errors5xx === 0) continue;
    const busiest = groups.reduce((a, b) => ((b.requests ?? 0) > (a.requests ?? 0) ? b : a));
    const ms = (seconds: number | undefined) =>
      requests > 0 && seconds !== undefined ? Math.round(seconds * 1_000_000) / 1_000 : null;
    out.push({
      minute: new Date(minute),
      requests,
      errors5xx,
      p50Ms: ms(busiest.p50),
      p95Ms: ms(busiest.p95),
      p99Ms: ms(busiest.p99),
    });
  }
  return out;
}

const isSeries = (name: string | undefined): name is Series => name !== undefined && Object.hasOwn(SERIES, name);
const sum = (values: (number | undefined)[]) => Math.round(values.reduce<number>((total, v) => total + (v ?? 0), 0));
