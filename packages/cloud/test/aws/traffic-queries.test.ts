import { describe, expect, it } from 'vitest';
import { loadBalancerDimension, requestCountResourceLabel, targetGroupDimension } from '../../src/aws/metrics/alb-dimensions';
import { trafficMinutes, trafficQueries } from '../../src/aws/metrics/traffic-queries';

const lbArn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/paas-1/50dc6c495c0c9188';
const tgArn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/paas-0123456789abcdef0123456789a/73e2d6bc24d8a067';
const t = (minute: number, second = 0) => new Date(Date.UTC(2026, 0, 1, 12, minute, second));

describe('ALB names in CloudWatch', () => {
  it('are the tails of the ARNs; joined, the ResourceLabel of a request-count policy', () => {
    expect(loadBalancerDimension(lbArn)).toBe('app/paas-1/50dc6c495c0c9188');
    expect(targetGroupDimension(tgArn)).toBe('targetgroup/paas-0123456789abcdef0123456789a/73e2d6bc24d8a067');
    expect(requestCountResourceLabel(lbArn, tgArn)).toBe(
      'app/paas-1/50dc6c495c0c9188/targetgroup/paas-0123456789abcdef0123456789a/73e2d6bc24d8a067',
    );
    expect(() => loadBalancerDimension(tgArn)).toThrow();
  });
});

describe('traffic queries', () => {
  it('ask per target group for requests, target 5xx, connection errors (sums) and latency percentiles, per minute', () => {
    const queries = trafficQueries([
      { loadBalancer: 'app/lb/1', targetGroup: 'targetgroup/a/1' },
      { loadBalancer: 'app/lb/1', targetGroup: 'targetgroup/b/2' },
    ]);
    expect(queries).toHaveLength(12);
    expect(queries.map((q) => q.Id)).toContain('g1_p99');
    expect(queries[0]).toEqual({
      Id: 'g0_requests',
      MetricStat: {
        Metric: {
          Namespace: 'AWS/ApplicationELB',
          MetricName: 'RequestCount',
          Dimensions: [
            { Name: 'LoadBalancer', Value: 'app/lb/1' },
            { Name: 'TargetGroup', Value: 'targetgroup/a/1' },
          ],
        },
        Period: 60,
        Stat: 'Sum',
      },
      ReturnData: true,
    });
    expect(queries.map((q) => `${q.MetricStat?.Metric?.MetricName} ${q.MetricStat?.Stat}`).slice(0, 6)).toEqual([
      'RequestCount Sum',
      'HTTPCode_Target_5XX_Count Sum',
      'TargetConnectionErrorCount Sum',
      'TargetResponseTime p50',
      'TargetResponseTime p95',
      'TargetResponseTime p99',
    ]);
    expect(queries.every((q) => /^[a-z][A-Za-z0-9_]*$/.test(q.Id ?? ''))).toBe(true);
  });

  it('fold into minutes: counts add up, latency is the busiest group’s in ms, quiet minutes are left out', () => {
    const series = (Id: string, points: [Date, number][]) => ({
      Id,
      Timestamps: points.map(([at]) => at),
      Values: points.map(([, v]) => v),
    });
    const minutes = trafficMinutes([
      series('g0_requests', [
        [t(1), 10],
        [t(2), 0],
        [t(3), 7],
      ]),
      series('g1_requests', [[t(1), 90]]),
      // A second page of the same query.
      series('g1_requests', [[t(4), 0]]),
      series('g0_target5xx', [[t(1), 1]]),
      series('g1_target5xx', [[t(1), 2]]),
      series('g0_connectionErrors', [
        [t(3), 2],
        [t(5), 3],
      ]),
      series('g0_p50', [
        [t(1), 5],
        [t(3), 0.0072],
      ]),
      series('g1_p50', [[t(1), 0.1]]),
      series('g1_p95', [[t(1), 0.3]]),
      series('g1_p99', [[t(1), 2]]),
      series('g0_p99', [[t(3), 0.05]]),
      series('other', [[t(1), 1000]]),
    ]);
    expect(minutes).toEqual([
      { minute: t(1), requests: 100, errors5xx: 3, p50Ms: 100, p95Ms: 300, p99Ms: 2000 },
      { minute: t(3), requests: 7, errors5xx: 2, p50Ms: 7.2, p95Ms: null, p99Ms: 50 },
      // Connections the ALB could not make, with no request counted: errors without latency.
      { minute: t(5), requests: 0, errors5xx: 3, p50Ms: null, p95Ms: null, p99Ms: null },
    ]);
    expect(trafficMinutes([])).toEqual([]);
  });
});
