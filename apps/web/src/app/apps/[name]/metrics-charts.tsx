'use client';

import type { AppMetrics } from '@paas/core';
import { useEffect, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

const WINDOWS = ['1h', '6h', '24h'] as const;
/** The charts are per minute: a newer point exists about once a minute. */
const REFRESH_MS = 60_000;

type Point = AppMetrics['points'][number] & { t: number };

/**
 * Small charts of what the app's load balancer saw (the local router, or the
 * ALB through CloudWatch), one point per minute, with a marker at each
 * release. The data is Postgres's copy, fetched from the API: the cloud is
 * never asked from here.
 */
export function MetricsCharts(props: { app: string; initial: AppMetrics }) {
  const [metrics, setMetrics] = useState(props.initial);
  const [window, setWindow] = useState<(typeof WINDOWS)[number]>(props.initial.window as '1h');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const response = await fetch(`/api/v1/apps/${encodeURIComponent(props.app)}/metrics?window=${window}`);
        if (!response.ok) throw new Error(`the metrics could not be read (HTTP ${response.status}); reload the page`);
        const body = (await response.json()) as { metrics: AppMetrics };
        if (!stopped) {
          setMetrics(body.metrics);
          setError(null);
        }
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e.message : String(e));
      }
    };
    if (window !== metrics.window) void load();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [props.app, window, metrics.window]);

  const points: Point[] = metrics.points.map((p) => ({ ...p, t: Date.parse(p.at) }));
  const markers = metrics.releases.map((r) => ({ t: Date.parse(r.at), label: `v${r.version}` }));
  const last = [...points].reverse().find((p) => p.requests > 0 || p.instances !== null) ?? null;
  const total = points.reduce((n, p) => n + p.requests, 0);
  const span: [number, number] = [Date.parse(metrics.from), Date.parse(metrics.to)];

  return (
    <div className="space-y-3" data-testid="metrics">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="metrics-summary">
          {total === 0
            ? `No requests in the last ${metrics.window}. Charts fill in as traffic arrives (about a minute behind).`
            : `${total} requests in the last ${metrics.window}${
                last ? ` · latest minute: ${last.requests} requests, p95 ${fmtMs(last.p95Ms)}, ${fmtPct(last.errorRate)} 5xx` : ''
              }`}
        </p>
        <fieldset className="flex gap-1" aria-label="Chart window">
          {WINDOWS.map((w) => (
            <button
              key={w}
              type="button"
              aria-pressed={w === window}
              onClick={() => setWindow(w)}
              className={`rounded px-2 py-0.5 text-xs ${
                w === window
                  ? 'bg-indigo-600 text-white'
                  : 'border border-slate-300 text-slate-700 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-300 dark:hover:bg-slate-800'
              }`}
            >
              {w}
            </button>
          ))}
        </fieldset>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <Chart
          title="Requests / s"
          testId="chart-requests"
          points={points}
          markers={markers}
          span={span}
          lines={[{ key: 'requestsPerSecond', name: 'req/s' }]}
        />
        <Chart
          title="5xx rate"
          testId="chart-errors"
          points={points.map((p) => ({ ...p, errorPct: p.errorRate === null ? null : p.errorRate * 100 }))}
          markers={markers}
          span={span}
          lines={[{ key: 'errorPct', name: '5xx %', color: '#dc2626' }]}
          unit="%"
        />
        <Chart
          title="Latency"
          testId="chart-latency"
          points={points}
          markers={markers}
          span={span}
          unit=" ms"
          lines={[
            { key: 'p50Ms', name: 'p50', color: '#10b981' },
            { key: 'p95Ms', name: 'p95', color: '#f59e0b' },
            { key: 'p99Ms', name: 'p99', color: '#ef4444' },
          ]}
        />
        <Chart
          title="Instances"
          testId="chart-instances"
          points={points}
          markers={markers}
          span={span}
          lines={[{ key: 'instances', name: 'healthy', color: '#0ea5e9' }]}
          step
        />
      </div>
    </div>
  );
}

function Chart(props: {
  title: string;
  testId: string;
  points: Array<Record<string, unknown> & { t: number }>;
  markers: Array<{ t: number; label: string }>;
  lines: Array<{ key: string; name: string; color?: string }>;
  unit?: string;
  step?: boolean;
  span: [number, number];
}) {
  // The whole window, to its end: a release in the current minute is after the last point's start.
  const [from, to] = props.span;
  return (
    <figure
      className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-700 dark:bg-slate-900"
      data-testid={props.testId}
    >
      <figcaption className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-400">{props.title}</figcaption>
      <div className="h-36">
        {/* A first size before the container is measured, so the chart draws on the first paint. */}
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 280, height: 144 }}>
          <LineChart data={props.points} margin={{ top: 12, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.1} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[from, to]}
              tickFormatter={(t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
              tick={{ fontSize: 10, fill: 'currentColor' }}
              stroke="currentColor"
              strokeOpacity={0.3}
              minTickGap={30}
            />
            <YAxis
              tick={{ fontSize: 10, fill: 'currentColor' }}
              stroke="currentColor"
              strokeOpacity={0.3}
              allowDecimals={!props.step}
              tickFormatter={(v: number) => (v === 0 ? '0' : v >= 100 ? String(Math.round(v)) : String(Number(v.toPrecision(2))))}
              unit={props.unit}
              width={56}
            />
            <Tooltip
              labelFormatter={(t) => new Date(Number(t)).toLocaleString()}
              contentStyle={{ fontSize: 12 }}
              isAnimationActive={false}
            />
            {props.markers
              .filter((m) => m.t >= from && m.t <= to)
              .map((m) => (
                <ReferenceLine
                  key={`${m.label}-${m.t}`}
                  x={m.t}
                  stroke="#6366f1"
                  strokeDasharray="4 2"
                  label={{ value: m.label, position: 'top', fontSize: 10, fill: '#6366f1' }}
                />
              ))}
            {props.lines.map((l) => (
              <Line
                // A lone point has no line to draw: show it as a dot.
                dot={props.points.filter((p) => p[l.key] !== null && p[l.key] !== undefined).length < 3 ? { r: 2 } : false}
                key={l.key}
                dataKey={l.key}
                name={l.name}
                stroke={l.color ?? '#6366f1'}
                strokeWidth={1.5}
                type={props.step ? 'stepAfter' : 'monotone'}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

const fmtMs = (v: number | null) => (v === null ? '–' : v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`);
const fmtPct = (v: number | null) => (v === null ? '0 %' : `${(v * 100).toFixed(v < 0.01 ? 2 : 1)} %`);
