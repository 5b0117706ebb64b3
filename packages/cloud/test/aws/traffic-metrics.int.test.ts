import { randomBytes, randomUUID } from 'node:crypto';
import { CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { AppRef, CloudProvider } from '@paas/core';
import {
  type AwsFaultProxy,
  MOTO_CREDENTIALS,
  type MotoServer,
  prepareAwsAccount,
  startAwsFaultProxy,
  startMotoServer,
} from '@paas/testing/aws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatedAwsProvider } from './emulated-provider';
import { loadBalancerArnOf, releaseOnStockImage, targetGroupArnOf } from './web-groups';

// Datapoints put into moto's CloudWatch as an ALB publishes them (namespace,
// metric names, LoadBalancer + TargetGroup dimensions, units), for groups the
// provider made, then read back through readTrafficMetrics.
let moto: MotoServer;
let proxy: AwsFaultProxy;
let redis: Redis;
let cloud: CloudProvider;
let cloudwatch: CloudWatchClient;

beforeAll(async () => {
  moto = await startMotoServer();
  await prepareAwsAccount(moto.endpoint);
  proxy = await startAwsFaultProxy(moto.endpoint);
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  cloud = emulatedAwsProvider(proxy.endpoint, redis);
  cloudwatch = new CloudWatchClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: MOTO_CREDENTIALS,
    maxAttempts: 1,
  });
}, 60_000);

afterAll(async () => {
  cloudwatch?.destroy();
  await proxy?.stop();
  redis?.disconnect();
  await moto?.stop();
}, 60_000);

const newApp = (): AppRef => ({ id: randomUUID(), name: `metrics-${randomBytes(3).toString('hex')}` });
const dimension = (arn: string, kind: 'loadbalancer' | 'targetgroup') =>
  (kind === 'loadbalancer' ? /:loadbalancer\/(.+)$/ : /:(targetgroup\/.+)$/).exec(arn)?.[1] as string;

/** What the ALB publishes for one target group in one minute. */
function minuteOf(
  lb: string,
  tg: string | null,
  at: Date,
  m: { requests?: number; target5xx?: number; connectionErrors?: number; elb5xx?: number; seconds?: [number[], number[]] },
): MetricDatum[] {
  // Listed in another order than the provider queries them: a dimension set has none.
  const Dimensions = [...(tg ? [{ Name: 'TargetGroup', Value: tg }] : []), { Name: 'LoadBalancer', Value: lb }];
  const count = (MetricName: string, Value: number | undefined): MetricDatum[] =>
    Value === undefined ? [] : [{ MetricName, Dimensions, Timestamp: at, Value, Unit: 'Count' }];
  return [
    ...count('RequestCount', m.requests),
    ...count('HTTPCode_Target_5XX_Count', m.target5xx),
    ...count('TargetConnectionErrorCount', m.connectionErrors),
    ...count('HTTPCode_ELB_5XX_Count', m.elb5xx),
    ...(m.seconds
      ? [
          {
            MetricName: 'TargetResponseTime',
            Dimensions,
            Timestamp: at,
            Values: m.seconds[0],
            Counts: m.seconds[1],
            Unit: 'Seconds' as const,
          },
        ]
      : []),
  ];
}

async function publish(data: MetricDatum[]): Promise<void> {
  await cloudwatch.send(new PutMetricDataCommand({ Namespace: 'AWS/ApplicationELB', MetricData: data }));
}

describe('readTrafficMetrics on moto', () => {
  it('adds up requests and 5xx of the app’s target groups per minute, with the busiest group’s latency in ms', async () => {
    const app = newApp();
    const release = await releaseOnStockImage(cloud, moto.endpoint, app);
    const blue = await release.group('web', 1);
    const green = await release.group('web', 1);
    const lb = dimension(await loadBalancerArnOf(moto.endpoint, cloud, app), 'loadbalancer');
    const blueTg = dimension(await targetGroupArnOf(moto.endpoint, blue), 'targetgroup');
    const greenTg = dimension(await targetGroupArnOf(moto.endpoint, green), 'targetgroup');
    // Another app on the same load balancer: its traffic is never this app's.
    const other = newApp();
    const otherGroup = await (await releaseOnStockImage(cloud, moto.endpoint, other)).group('web', 1);
    const otherTg = dimension(await targetGroupArnOf(moto.endpoint, otherGroup), 'targetgroup');
    expect(dimension(await loadBalancerArnOf(moto.endpoint, cloud, other), 'loadbalancer')).toBe(lb);

    const base = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;
    const at = (minute: number, second = 0) => new Date(base + minute * 60_000 + second * 1000);
    await publish([
      // Minute 0: only the load balancer's own 5xx, which apps sharing it cannot be told apart by.
      ...minuteOf(lb, null, at(0, 5), { requests: 9, elb5xx: 4 }),
      // Minute 1: both groups serve (a rollout), green most; two datapoints for green's requests add up.
      ...minuteOf(lb, greenTg, at(1, 10), {
        requests: 60,
        target5xx: 3,
        seconds: [
          [0.01, 0.1, 0.3, 2],
          [40, 50, 8, 2],
        ],
      }),
      ...minuteOf(lb, greenTg, at(1, 40), { requests: 40 }),
      ...minuteOf(lb, blueTg, at(1, 20), { requests: 10, target5xx: 1, seconds: [[5], [10]] }),
      ...minuteOf(lb, otherTg, at(1, 30), { requests: 1000, target5xx: 500, seconds: [[9], [1000]] }),
      // Minute 2: blue alone, two connections it refused (the ALB answered 502).
      ...minuteOf(lb, blueTg, at(2, 0), { requests: 7, connectionErrors: 2, seconds: [[0.25], [7]] }),
      // Minute 4: past the window.
      ...minuteOf(lb, greenTg, at(4, 0), { requests: 5, seconds: [[1], [5]] }),
    ]);

    const before = proxy.calls.get('monitoring:GetMetricData') ?? 0;
    const minutes = await cloud.readTrafficMetrics({ app, serverGroupRefs: [blue, green], from: at(0), to: at(4) });
    expect(minutes).toEqual([
      { minute: at(1), requests: 110, errors5xx: 4, p50Ms: 100, p95Ms: 300, p99Ms: 2000 },
      { minute: at(2), requests: 7, errors5xx: 2, p50Ms: 250, p95Ms: 250, p99Ms: 250 },
    ]);
    // Every series of every group in one call.
    expect((proxy.calls.get('monitoring:GetMetricData') ?? 0) - before).toBe(1);
    expect(await cloud.readTrafficMetrics({ app, serverGroupRefs: [green], from: at(2), to: at(3) })).toEqual([]);

    // Blue is destroyed with its target group; what it served is still found on the app's load balancer.
    await cloud.destroyServerGroup(blue);
    expect(await cloud.readTrafficMetrics({ app, serverGroupRefs: [blue, green], from: at(1), to: at(3) })).toEqual(minutes);
    expect(await cloud.readTrafficMetrics({ app, serverGroupRefs: [blue], from: at(2), to: at(3) })).toEqual([minutes[1]]);
    // Another app's group named in the query lends nothing.
    expect(await cloud.readTrafficMetrics({ app, serverGroupRefs: [otherGroup], from: at(1), to: at(2) })).toEqual([]);
  });

  it('is empty without traffic: no load balancer yet, no datapoints, a group that serves no HTTP, an empty window', async () => {
    const app = newApp();
    const release = await releaseOnStockImage(cloud, moto.endpoint, app);
    const worker = await release.group('worker', 1);
    const to = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const from = new Date(to.getTime() - 10 * 60_000);
    expect(await cloud.readTrafficMetrics({ app, serverGroupRefs: [worker], from, to })).toEqual([]);
    const web = await release.group('web', 1);
    expect(await cloud.readTrafficMetrics({ app, serverGroupRefs: [web, worker], from, to })).toEqual([]);
    expect(await cloud.readTrafficMetrics({ app, serverGroupRefs: [web], from: to, to })).toEqual([]);
    expect(await cloud.readTrafficMetrics({ app, serverGroupRefs: [], from, to })).toEqual([]);
  });

  it('refuses a window that is not whole minutes, or runs backwards', async () => {
    const app = newApp();
    const to = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await expect(
      cloud.readTrafficMetrics({ app, serverGroupRefs: [], from: new Date(to.getTime() - 90_000), to }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      cloud.readTrafficMetrics({ app, serverGroupRefs: [], from: to, to: new Date(to.getTime() - 60_000) }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
