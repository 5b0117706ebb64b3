import { seg } from '../api.js';
import type { Command } from '../context.js';
import { EXIT, usageError } from '../errors.js';
import { sanitizeLine } from '../output.js';
import { table } from '../table.js';

export interface MetricsPoint {
  /** The start of the step (a minute, or 5 or 15 minutes for longer windows). */
  at: string;
  requests: number;
  requestsPerSecond: number;
  /** 5xx answers / requests (0..1); null without requests. */
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Healthy instances serving; null when none were counted. */
  instances: number | null;
}

export interface AppMetrics {
  window: string;
  stepSeconds: number;
  from: string;
  to: string;
  points: MetricsPoint[];
  releases: { version: number; at: string; cause: string; status: string }[];
}

const DEFAULT_ROWS = 20;

/** Requests, 5xx and the worst p95/p99 over the whole window. */
export function metricsSummary(m: AppMetrics) {
  const requests = m.points.reduce((n, p) => n + p.requests, 0);
  const errors = Math.round(m.points.reduce((n, p) => n + (p.errorRate ?? 0) * p.requests, 0));
  const worst = (pick: (p: MetricsPoint) => number | null) =>
    m.points.reduce<number | null>((w, p) => {
      const v = pick(p);
      return v !== null && (w === null || v > w) ? v : w;
    }, null);
  return {
    requests,
    errors,
    errorRate: requests > 0 ? errors / requests : null,
    p95Ms: worst((p) => p.p95Ms),
    p99Ms: worst((p) => p.p99Ms),
  };
}

/**
 * The latest `limit` points where something happened (requests, instances
 * serving, or a release), oldest first, each with the releases made in it.
 */
export function metricsRows(m: AppMetrics, limit: number) {
  const step = m.stepSeconds * 1000;
  const rows = m.points.map((point) => {
    const start = Date.parse(point.at);
    const releases = m.releases.filter((r) => Date.parse(r.at) >= start && Date.parse(r.at) < start + step).map((r) => r.version);
    return { point, releases };
  });
  const busy = rows.filter((r) => r.point.requests > 0 || r.point.instances !== null || r.releases.length > 0);
  return limit > 0 ? busy.slice(-limit) : [];
}

export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
export const millis = (ms: number | null) => (ms === null ? '—' : `${ms < 10 ? Number(ms.toFixed(1)) : Math.round(ms)} ms`);

export const metrics: Command = {
  name: 'metrics',
  summary: "an app's requests/s, 5xx rate, latency and instances over time, with its releases",
  usage: 'paas metrics [--window 1h|6h|24h] [-n ROWS] [-a APP]',
  description:
    'A summary of the window (default 1h), then its latest ROWS steps with traffic or instances (default 20): one a\n' +
    'minute, or 5 minutes over 6h and 15 over 24h. Times are UTC; latencies are the worst minute of a step; ← vN marks\n' +
    'a release. The latest minute may be incomplete: the worker copies them from the cloud now and then.\n' +
    '--json: every point and release of the window.',
  examples: ['paas metrics -a my-app', 'paas metrics --window 24h -n 50', 'paas metrics --window 6h --json'],
  options: ['app', 'window', 'num'],
  args: { min: 0, max: 0 },
  async run(ctx) {
    const num = ctx.options.num;
    if (num !== undefined && !/^\d+$/.test(num)) throw usageError(`-n takes a number of rows, got "${num}"`);
    const app = ctx.app();
    // Which windows there are is the server's to say (an unknown one is refused with the list).
    const query = ctx.options.window !== undefined ? `?${new URLSearchParams({ window: ctx.options.window })}` : '';
    const { metrics: m } = await ctx.api().get<{ metrics: AppMetrics }>(`/api/v1/apps/${seg(app)}/metrics${query}`);
    ctx.out.result({ app, metrics: m }, () => {
      const s = metricsSummary(m);
      const window = sanitizeLine(m.window);
      ctx.out.line(
        s.requests === 0
          ? `${sanitizeLine(app)}, last ${window}: no requests.`
          : `${sanitizeLine(app)}, last ${window}: ${s.requests.toLocaleString('en-US')} requests, ${percent(s.errorRate)} 5xx, ` +
              `worst p95 ${millis(s.p95Ms)}, worst p99 ${millis(s.p99Ms)}.`,
      );
      const limit = num === undefined ? DEFAULT_ROWS : Number(num);
      const rows = metricsRows(m, limit);
      if (rows.length === 0) {
        if (limit > 0) ctx.out.line('No instances served and no release was made in this window.');
        return;
      }
      ctx.out.line();
      ctx.out.line(
        table(rows, [
          { header: 'time (utc)', value: (r) => r.point.at.slice(11, 16) },
          { header: 'req/s', value: (r) => r.point.requestsPerSecond },
          { header: '5xx', value: (r) => percent(r.point.errorRate) },
          { header: 'p50', value: (r) => millis(r.point.p50Ms) },
          { header: 'p95', value: (r) => millis(r.point.p95Ms) },
          { header: 'p99', value: (r) => millis(r.point.p99Ms) },
          { header: 'instances', value: (r) => r.point.instances ?? '—' },
          { header: '', value: (r) => (r.releases.length ? `← ${r.releases.map((v) => `v${v}`).join(', ')}` : '') },
        ]),
      );
    });
    return EXIT.ok;
  },
};
