import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../state/atomic-file';
import { InvalidNameError, type Layout } from '../state/layout';
import { emptyHistogram, latencyBucket, toSparse } from './latency-histogram';
import { BUCKET_MS, floorTo, MINUTE_MS, type TrafficFile, trafficFileName } from './traffic-files';

interface LiveBucket {
  requests: number;
  errors5xx: number;
  latency: number[];
}

interface LiveMinute {
  target: string;
  minute: number;
  buckets: Map<number, LiveBucket>;
  /** Counted since its file was last written. */
  dirty: boolean;
}

/**
 * The router's traffic counters. Recording a response is a few increments in
 * memory; `flush` writes the minutes that changed since the last flush, each
 * as one file replaced atomically, and forgets minutes that are over and written.
 */
export class TrafficRecorder {
  /** Names this router's files, so they never collide with another router's. */
  readonly writer = randomBytes(4).toString('hex');
  private readonly minutes = new Map<string, LiveMinute>();
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly paths: Layout,
    private readonly now: () => number = Date.now,
  ) {}

  record(target: string, status: number, latencyMs: number): void {
    const now = this.now();
    const minute = floorTo(now, MINUTE_MS);
    const key = `${target} ${minute}`;
    let live = this.minutes.get(key);
    if (live === undefined) {
      live = { target, minute, buckets: new Map(), dirty: false };
      this.minutes.set(key, live);
    }
    const start = floorTo(now, BUCKET_MS);
    let bucket = live.buckets.get(start);
    if (bucket === undefined) {
      bucket = { requests: 0, errors5xx: 0, latency: emptyHistogram() };
      live.buckets.set(start, bucket);
    }
    bucket.requests += 1;
    if (status >= 500 && status <= 599) bucket.errors5xx += 1;
    const index = latencyBucket(latencyMs);
    bucket.latency[index] = (bucket.latency[index] ?? 0) + 1;
    live.dirty = true;
  }

  /** Writes what changed; one flush at a time (a second caller waits for the running one, then flushes). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.writeDirty().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async writeDirty(): Promise<void> {
    const current = floorTo(this.now(), MINUTE_MS);
    const failures: unknown[] = [];
    for (const [key, live] of this.minutes) {
      if (live.dirty) {
        // Cleared before the write: a request counted while it runs marks the minute again.
        live.dirty = false;
        try {
          await this.write(live);
        } catch (error) {
          // A target that cannot be a file name never will be: drop it rather than retry forever.
          if (error instanceof InvalidNameError) {
            this.minutes.delete(key);
            continue;
          }
          live.dirty = true;
          failures.push(error);
        }
      }
      if (!live.dirty && live.minute < current) this.minutes.delete(key);
    }
    if (failures.length > 0) throw failures[0];
  }

  private async write(live: LiveMinute): Promise<void> {
    const file: TrafficFile = {
      target: live.target,
      minute: new Date(live.minute).toISOString(),
      buckets: [...live.buckets.entries()]
        .sort(([a], [b]) => a - b)
        .map(([start, b]) => ({ start, requests: b.requests, errors5xx: b.errors5xx, latency: toSparse(b.latency) })),
    };
    const dir = this.paths.metricsTarget(live.target);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(dir, trafficFileName(live.minute, this.writer)), `${JSON.stringify(file)}\n`, 0o600);
  }
}
