import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from '@paas/core';
import { pruneTrafficFiles } from '../metrics/prune-traffic-files';
import { TrafficRecorder } from '../metrics/traffic-recorder';
import type { Layout } from '../state/layout';

/** Where a request is counted: a server group the router forwarded it to, or the app's own target; null = nowhere. */
export interface Meter {
  target: string | null;
}

export interface TrafficMetering {
  /** Times the response from now; it is counted under `meter.target` as it is when the response ends. */
  meter(res: ServerResponse): Meter;
  /** Stops the timers and writes what is left. */
  close(): Promise<void>;
}

export interface MeteringOptions {
  flushMs: number;
  retentionMs: number;
}

const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * The router's side of traffic metrics, like an ALB target group's: counts in
 * memory on the request path, files written off it every `flushMs`, and
 * files older than `retentionMs` removed every ten minutes.
 */
export function startTrafficMetering(paths: Layout, log: Logger, options: MeteringOptions): TrafficMetering {
  const recorder = new TrafficRecorder(paths);
  let lastFlushFailed = false;
  const flush = async () => {
    try {
      await recorder.flush();
      lastFlushFailed = false;
    } catch (error) {
      // Counts stay in memory and are written by the next flush; say so once, not every few seconds.
      if (!lastFlushFailed) log.warn('router could not write traffic metrics', { error: String(error) });
      lastFlushFailed = true;
    }
  };
  const prune = () =>
    pruneTrafficFiles(paths, Date.now() - options.retentionMs).catch((error: unknown) => {
      log.warn('router could not prune traffic metrics', { error: String(error) });
    });
  void prune();
  const flushTimer = setInterval(() => void flush(), options.flushMs);
  const pruneTimer = setInterval(() => void prune(), PRUNE_EVERY_MS);

  return {
    meter(res) {
      const started = performance.now();
      const meter: Meter = { target: null };
      // 'close' comes once per response: after it finished, or when the client went away first.
      res.once('close', () => {
        if (meter.target !== null) recorder.record(meter.target, res.statusCode, performance.now() - started);
      });
      return meter;
    },
    async close() {
      clearInterval(flushTimer);
      clearInterval(pruneTimer);
      await flush();
    },
  };
}
