import { CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { MOTO_CREDENTIALS } from '../moto-server';
import { serialized } from './serialized';

/** One request as the twin's load balancer handled it. */
export type AlbRequest =
  | {
      at: Date;
      loadBalancerArn: string;
      targetGroupArn: string;
      /** The target's status, or null when the load balancer could not reach it (it answered 502). */
      status: number | null;
      /** From sending the request to the target to its response headers. */
      seconds: number;
    }
  /** Answered by the load balancer itself: a fixed response, or no target to send to. */
  | { at: Date; loadBalancerArn: string; targetGroupArn: null; status: number };

export interface AlbMetrics {
  record(request: AlbRequest): void;
  /** Publishes what was recorded so far. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

// PutMetricData takes at most 1,000 metrics a call, and 150 distinct values in one metric's Values.
const DATA_PER_CALL = 1000;
const VALUES_PER_DATUM = 150;

/**
 * Publishes what an ALB publishes to CloudWatch, from the requests the twin's
 * load balancer proxied: per target group (dimensions LoadBalancer and
 * TargetGroup, named by the tails of their ARNs) RequestCount,
 * HTTPCode_Target_5XX_Count, TargetConnectionErrorCount and TargetResponseTime
 * (each request's seconds, so percentiles work); per load balancer its own
 * HTTPCode_ELB_5XX_Count (with _502 and _503) and _4XX. Values of a minute
 * are sent as Values/Counts, every `intervalMs` and on flush().
 */
export function startAlbMetrics(options: { motoEndpoint: string; region?: string; intervalMs?: number }): AlbMetrics {
  const cloudwatch = new CloudWatchClient({
    region: options.region ?? 'us-east-1',
    endpoint: options.motoEndpoint,
    credentials: MOTO_CREDENTIALS,
    maxAttempts: 2,
  });
  let pending: AlbRequest[] = [];

  const publish = serialized(async () => {
    const requests = pending;
    pending = [];
    const data = toMetricData(requests);
    for (let i = 0; i < data.length; i += DATA_PER_CALL) {
      await cloudwatch.send(
        new PutMetricDataCommand({ Namespace: 'AWS/ApplicationELB', MetricData: data.slice(i, i + DATA_PER_CALL) }),
      );
    }
  });
  const timer = setInterval(() => {
    if (pending.length > 0)
      publish().catch((error) => process.stderr.write(`aws twin: publishing ALB metrics failed: ${String(error)}\n`));
  }, options.intervalMs ?? 1000);

  return {
    record(request) {
      pending.push(request);
    },
    flush: publish,
    async stop() {
      clearInterval(timer);
      await publish().catch(() => {});
      cloudwatch.destroy();
    },
  };
}

/** Requests → data points: one per (minute, metric, dimensions), values counted. */
export function toMetricData(requests: AlbRequest[]): MetricDatum[] {
  const series = new Map<string, { datum: MetricDatum; values: Map<number, number> }>();
  const add = (at: Date, name: string, unit: 'Count' | 'Seconds', dims: Record<string, string>, value: number) => {
    const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
    const Dimensions = Object.entries(dims).map(([Name, Value]) => ({ Name, Value }));
    const key = JSON.stringify([minute, name, Dimensions]);
    const entry = series.get(key) ?? {
      datum: { MetricName: name, Dimensions, Timestamp: minute, Unit: unit },
      values: new Map<number, number>(),
    };
    series.set(key, entry);
    entry.values.set(value, (entry.values.get(value) ?? 0) + 1);
  };
  for (const r of requests) {
    const lb = { LoadBalancer: tail(r.loadBalancerArn, /:loadbalancer\/(.+)$/) };
    if (r.targetGroupArn === null) {
      add(r.at, 'RequestCount', 'Count', lb, 1);
      if (r.status >= 500) add(r.at, 'HTTPCode_ELB_5XX_Count', 'Count', lb, 1);
      else if (r.status >= 400) add(r.at, 'HTTPCode_ELB_4XX_Count', 'Count', lb, 1);
      if (r.status === 503) add(r.at, 'HTTPCode_ELB_503_Count', 'Count', lb, 1);
      continue;
    }
    const tg = { ...lb, TargetGroup: tail(r.targetGroupArn, /:(targetgroup\/.+)$/) };
    add(r.at, 'RequestCount', 'Count', lb, 1);
    add(r.at, 'RequestCount', 'Count', tg, 1);
    if (r.status === null) {
      add(r.at, 'TargetConnectionErrorCount', 'Count', tg, 1);
      add(r.at, 'HTTPCode_ELB_5XX_Count', 'Count', lb, 1);
      add(r.at, 'HTTPCode_ELB_502_Count', 'Count', lb, 1);
      continue;
    }
    if (r.status >= 500) add(r.at, 'HTTPCode_Target_5XX_Count', 'Count', tg, 1);
    add(r.at, 'TargetResponseTime', 'Seconds', tg, r.seconds);
  }
  const data: MetricDatum[] = [];
  for (const { datum, values } of series.values()) {
    const entries = [...values.entries()];
    if (datum.Unit === 'Count') {
      // Counts are sums: one value per minute is what the ALB sends too.
      data.push({ ...datum, Value: entries.reduce((sum, [value, count]) => sum + value * count, 0) });
      continue;
    }
    for (let i = 0; i < entries.length; i += VALUES_PER_DATUM) {
      const slice = entries.slice(i, i + VALUES_PER_DATUM);
      data.push({ ...datum, Values: slice.map(([value]) => value), Counts: slice.map(([, count]) => count) });
    }
  }
  return data;
}

function tail(arn: string, pattern: RegExp): string {
  return pattern.exec(arn)?.[1] ?? arn;
}
