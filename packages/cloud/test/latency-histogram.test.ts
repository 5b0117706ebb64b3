import { describe, expect, it } from 'vitest';
import {
  addSparse,
  bucketUpperMs,
  bucketValueMs,
  emptyHistogram,
  LATENCY_BUCKETS,
  latencyBucket,
  percentileMs,
  toSparse,
} from '../src/local/metrics/latency-histogram';
import { BUCKET_MS, minuteOfFile, trafficFileName } from '../src/local/metrics/traffic-files';
import { trafficMinutes } from '../src/local/metrics/traffic-minutes';

function histogramOf(values: number[]): number[] {
  const h = emptyHistogram();
  for (const v of values) h[latencyBucket(v)] = (h[latencyBucket(v)] ?? 0) + 1;
  return h;
}

/** The exact nearest-rank percentile, to compare with the histogram's estimate. */
function exact(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] as number;
}

describe('latency histogram', () => {
  it('puts every latency in the bucket whose edges hold it, edges inclusive above', () => {
    for (const ms of [0.0001, 0.1, 0.1001, 0.5, 1, 1.19, 2, 7.3, 10, 99.9, 100, 1_000, 12_345, 300_000]) {
      const i = latencyBucket(ms);
      expect(ms).toBeLessThanOrEqual(bucketUpperMs(i) * (1 + 1e-12));
      if (i > 0) expect(ms).toBeGreaterThan(bucketUpperMs(i - 1));
    }
    // Exactly on an edge: the lower bucket.
    for (let i = 1; i < LATENCY_BUCKETS - 1; i++) expect(latencyBucket(bucketUpperMs(i))).toBe(i);
  });

  it('counts instant, negative and unknown times in the first bucket and very slow ones in the last', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(-5)).toBe(0);
    expect(latencyBucket(Number.NaN)).toBe(0);
    expect(latencyBucket(10 * 60_000)).toBe(LATENCY_BUCKETS - 1);
    expect(latencyBucket(Number.POSITIVE_INFINITY)).toBe(LATENCY_BUCKETS - 1);
  });

  it('buckets are increasing and log-spaced (four per doubling)', () => {
    for (let i = 1; i < LATENCY_BUCKETS - 1; i++) {
      expect(bucketUpperMs(i) / bucketUpperMs(i - 1)).toBeCloseTo(2 ** 0.25, 10);
      expect(bucketValueMs(i)).toBeGreaterThan(bucketUpperMs(i - 1));
      expect(bucketValueMs(i)).toBeLessThan(bucketUpperMs(i));
    }
  });

  it('estimates percentiles within 10% of the exact value', () => {
    // A skewed spread like a web app's: most fast, a slow tail.
    const values = Array.from({ length: 1_000 }, (_, i) => (i < 900 ? 2 + (i % 50) * 0.3 : 40 + (i - 900) * 9));
    const h = histogramOf(values);
    for (const p of [50, 95, 99]) {
      const estimate = percentileMs(h, p) as number;
      expect(Math.abs(estimate - exact(values, p)) / exact(values, p)).toBeLessThan(0.1);
    }
  });

  it('a single request is every percentile; an empty histogram has none', () => {
    const h = histogramOf([25]);
    expect(percentileMs(h, 50)).toBe(percentileMs(h, 99));
    expect(Math.abs((percentileMs(h, 50) as number) - 25) / 25).toBeLessThan(0.1);
    expect(percentileMs(emptyHistogram(), 50)).toBeNull();
  });

  it('sums bucket by bucket: percentiles of merged sparse histograms equal those of all the values', () => {
    const a = [1, 2, 3, 50, 51];
    const b = [4, 5, 600, 700];
    const merged = emptyHistogram();
    addSparse(merged, toSparse(histogramOf(a)));
    addSparse(merged, toSparse(histogramOf(b)));
    expect(merged).toEqual(histogramOf([...a, ...b]));
    expect(percentileMs(merged, 50)).toBe(percentileMs(histogramOf([...a, ...b]), 50));
  });

  it('sparse form keeps only counted buckets and reading it ignores junk', () => {
    const sparse = toSparse(histogramOf([1, 1, 100]));
    expect(Object.values(sparse)).toEqual([2, 1]);
    const h = emptyHistogram();
    addSparse(h, { ...sparse, '-1': 5, x: 3, '999': 1, '3': Number.NaN });
    expect(h.reduce((s, c) => s + c, 0)).toBe(3);
  });
});

describe('traffic minutes', () => {
  const minute = Date.UTC(2026, 10, 24, 17, 45);

  it('adds 10 s buckets of several targets and writers up per minute, in order, leaving out empty minutes', () => {
    const fast = toSparse(histogramOf([5, 5, 5]));
    const slow = toSparse(histogramOf([500]));
    const minutes = trafficMinutes([
      { start: minute + 60_000 + BUCKET_MS, requests: 1, errors5xx: 1, latency: slow },
      { start: minute, requests: 3, errors5xx: 0, latency: fast },
      { start: minute + 5 * BUCKET_MS, requests: 1, errors5xx: 1, latency: slow },
      { start: minute + 120_000, requests: 0, errors5xx: 0, latency: {} },
    ]);
    expect(minutes.map((m) => m.minute.getTime())).toEqual([minute, minute + 60_000]);
    expect(minutes[0]).toMatchObject({ requests: 4, errors5xx: 1 });
    expect(minutes[0]?.p50Ms).toBeLessThan(6);
    expect(minutes[0]?.p99Ms).toBeGreaterThan(450);
    expect(minutes[1]).toMatchObject({ requests: 1, errors5xx: 1 });
  });

  it('names a file by its minute and writer, and reads the minute back', () => {
    const name = trafficFileName(minute, 'ab12cd34');
    expect(name).toBe('20261124T1745Z.ab12cd34.json');
    expect(minuteOfFile(name)).toBe(minute);
    expect(minuteOfFile(`.${name}.123.tmp`)).toBeNull();
    expect(minuteOfFile('other.json')).toBeNull();
  });
});
