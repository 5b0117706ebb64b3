import type { TrafficMinute } from '@paas/core';
import { addSparse, emptyHistogram, percentileMs } from './latency-histogram';
import { floorTo, MINUTE_MS, type TrafficBucket } from './traffic-files';

/** Adds 10 s buckets (of any targets and writers) up per minute; minutes without requests are left out. */
export function trafficMinutes(buckets: TrafficBucket[]): TrafficMinute[] {
  const minutes = new Map<number, { requests: number; errors5xx: number; latency: number[] }>();
  for (const bucket of buckets) {
    if (!(bucket.requests > 0)) continue;
    const minute = floorTo(bucket.start, MINUTE_MS);
    let sum = minutes.get(minute);
    if (sum === undefined) {
      sum = { requests: 0, errors5xx: 0, latency: emptyHistogram() };
      minutes.set(minute, sum);
    }
    sum.requests += bucket.requests;
    sum.errors5xx += bucket.errors5xx ?? 0;
    addSparse(sum.latency, bucket.latency ?? {});
  }
  return [...minutes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([minute, sum]) => ({
      minute: new Date(minute),
      requests: sum.requests,
      errors5xx: sum.errors5xx,
      p50Ms: percentileMs(sum.latency, 50),
      p95Ms: percentileMs(sum.latency, 95),
      p99Ms: percentileMs(sum.latency, 99),
    }));
}
