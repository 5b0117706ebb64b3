// Response times as counts in fixed, log-spaced buckets, like the histograms a
// load balancer keeps: a request costs one increment, histograms of any two
// periods or targets add up bucket by bucket, and a percentile of the sum is
// read from the cumulative counts. Four buckets per doubling keep a reported
// percentile within about 9% of the true value, from 0.1 ms to 7 minutes.

/** Upper edge of bucket 0; every latency at or below it lands there. */
const BASE_MS = 0.1;
const PER_DOUBLING = 4;
/** Buckets 1..LAST-1 are log-spaced; LAST holds everything slower (above 0.1 ms × 2^22 ≈ 419 s). */
export const LATENCY_BUCKETS = 90;
const LAST = LATENCY_BUCKETS - 1;

/** Upper edge of bucket i in ms (bucket i holds latencies in (upper(i-1), upper(i)]). */
export function bucketUpperMs(index: number): number {
  return BASE_MS * 2 ** (index / PER_DOUBLING);
}

export function latencyBucket(ms: number): number {
  if (!(ms > BASE_MS)) return 0; // NaN and negative clock steps count as instant
  let index = Math.ceil(Math.log2(ms / BASE_MS) * PER_DOUBLING);
  // Floating point can put a value on an edge one bucket off; edges are inclusive above.
  if (index > 0 && ms <= bucketUpperMs(index - 1)) index -= 1;
  else if (ms > bucketUpperMs(index)) index += 1;
  return Math.min(index, LAST);
}

/** What a bucket stands for in a percentile: the geometric middle of its edges. */
export function bucketValueMs(index: number): number {
  if (index <= 0) return BASE_MS;
  if (index >= LAST) return bucketUpperMs(LAST - 1);
  return BASE_MS * 2 ** ((index - 0.5) / PER_DOUBLING);
}

/** Sparse form for files: bucket index → count, only buckets that counted something. */
export type SparseHistogram = Record<string, number>;

export function emptyHistogram(): number[] {
  return new Array<number>(LATENCY_BUCKETS).fill(0);
}

export function toSparse(histogram: readonly number[]): SparseHistogram {
  const sparse: SparseHistogram = {};
  histogram.forEach((count, index) => {
    if (count > 0) sparse[index] = count;
  });
  return sparse;
}

/** Adds a sparse histogram into a dense one; unknown or malformed entries are ignored. */
export function addSparse(into: number[], sparse: SparseHistogram): void {
  for (const [key, count] of Object.entries(sparse)) {
    const index = Number(key);
    if (Number.isInteger(index) && index >= 0 && index < LATENCY_BUCKETS && Number.isFinite(count) && count > 0) {
      into[index] = (into[index] ?? 0) + count;
    }
  }
}

/** The p-th percentile (0 < p ≤ 100, nearest rank) in ms, rounded to 0.01 ms; null for an empty histogram. */
export function percentileMs(histogram: readonly number[], p: number): number | null {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (let index = 0; index < histogram.length; index++) {
    seen += histogram[index] ?? 0;
    if (seen >= rank) return Math.round(bucketValueMs(index) * 100) / 100;
  }
  return Math.round(bucketValueMs(LAST) * 100) / 100;
}
