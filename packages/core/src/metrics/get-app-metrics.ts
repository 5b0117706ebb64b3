import { z } from 'zod';
import { parseInput } from '../apps/app-input';
import { findApp } from '../apps/find-app';
import type { CoreContext } from '../context';

const MINUTE = 60_000;

export const METRIC_WINDOWS = { '1h': 60, '6h': 360, '24h': 1440 } as const;

const windowSchema = z.enum(Object.keys(METRIC_WINDOWS) as [keyof typeof METRIC_WINDOWS], {
  error: `window must be one of ${Object.keys(METRIC_WINDOWS).join(', ')}`,
});

/**
 * The app's charts: one point per minute (per 5 or 15 minutes for longer
 * windows, so a day is ~100 points), requests per second, 5xx rate, latency
 * percentiles and serving instances, and the releases made in the window as
 * markers. Postgres only: the worker copied these from the cloud.
 */
export async function getAppMetrics(ctx: Pick<CoreContext, 'db' | 'now'>, appName: string, window: unknown = '1h') {
  const key = parseInput(windowSchema, window);
  const minutes = METRIC_WINDOWS[key];
  const step = minutes <= 60 ? 1 : minutes <= 360 ? 5 : 15;
  const app = await findApp(ctx.db, appName);
  const end = Math.floor(ctx.now().getTime() / MINUTE) * MINUTE + MINUTE;
  const start = end - minutes * MINUTE;
  const [rows, releases] = await Promise.all([
    ctx.db.appMetric.findMany({
      where: { appId: app.id, minute: { gte: new Date(start), lt: new Date(end) } },
      orderBy: { minute: 'asc' },
    }),
    ctx.db.release.findMany({
      where: { appId: app.id, createdAt: { gte: new Date(start), lt: new Date(end) } },
      select: { version: true, createdAt: true, cause: true, status: true },
      orderBy: { createdAt: 'asc' },
    }),
  ]);
  const points = [];
  for (let t = start; t < end; t += step * MINUTE) {
    const slot = rows.filter((r) => r.minute.getTime() >= t && r.minute.getTime() < t + step * MINUTE);
    const requests = slot.reduce((n, r) => n + r.requests, 0);
    const errors = slot.reduce((n, r) => n + r.errors5xx, 0);
    // Percentiles of a slot: the worst minute's, the honest bound without the raw samples.
    const worst = (pick: (r: (typeof slot)[number]) => number | null) => {
      const values = slot.map(pick).filter((v): v is number => v !== null);
      return values.length ? Math.max(...values) : null;
    };
    const counts = slot.map((r) => r.instances).filter((v): v is number => v !== null);
    points.push({
      at: new Date(t).toISOString(),
      requests,
      requestsPerSecond: round(requests / (step * 60), 3),
      errorRate: requests > 0 ? round(errors / requests, 4) : null,
      p50Ms: worst((r) => r.p50Ms),
      p95Ms: worst((r) => r.p95Ms),
      p99Ms: worst((r) => r.p99Ms),
      instances: counts.length ? counts[counts.length - 1] : null,
    });
  }
  return {
    window: key,
    stepSeconds: step * 60,
    from: new Date(start).toISOString(),
    to: new Date(end).toISOString(),
    points,
    releases: releases.map((r) => ({
      version: r.version,
      at: r.createdAt.toISOString(),
      cause: r.cause,
      status: r.status,
    })),
  };
}

export type AppMetrics = Awaited<ReturnType<typeof getAppMetrics>>;

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
