import { describe, expect, it } from 'vitest';
import { normalizeApiUrl } from '../src/api.js';
import { ensureOptions, parseAutoscale, parseCommandLine, parseScale, parseVersion, splitAssignment } from '../src/args.js';
import { autoscalingText } from '../src/commands/apps.js';
import { findCommand, suggest } from '../src/commands/index.js';
import { type AppMetrics, metricsRows, metricsSummary, millis, percent } from '../src/commands/metrics.js';
import { autoscaleSentence } from '../src/commands/ps.js';
import { CliError, EXIT, exitCodeForStatus } from '../src/errors.js';
import { appFromRemoteUrl } from '../src/git-remote.js';
import { sanitizeLine, sanitizeText } from '../src/sanitize.js';
import { keyValues, table } from '../src/table.js';

const usage = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof CliError ? error.exitCode : 'not a CliError';
  }
  return 'no error';
};

describe('command line', () => {
  it('takes options before or after the command', () => {
    expect(parseCommandLine(['-a', 'web', 'ps', '--json'])).toMatchObject({
      command: 'ps',
      args: [],
      options: { app: 'web', json: true },
    });
    expect(parseCommandLine(['ps:scale', 'web=2', 'worker=1', '--app=api'])).toMatchObject({
      command: 'ps:scale',
      args: ['web=2', 'worker=1'],
      options: { app: 'api' },
      given: ['app'],
    });
  });

  it('refuses unknown options and options a command does not take (exit 2)', () => {
    expect(usage(() => parseCommandLine(['apps', '--nope']))).toBe(EXIT.usage);
    expect(usage(() => ensureOptions('apps', ['confirm'], []))).toBe(EXIT.usage);
    expect(usage(() => ensureOptions('apps', ['json', 'api', 'help'], []))).toBe('no error');
  });

  it('reads scale, versions and assignments', () => {
    expect(parseScale('web=3')).toEqual({ type: 'web', quantity: 3 });
    expect(parseScale('web=-1')).toEqual({ type: 'web', quantity: -1 });
    expect(parseScale('web=2:large')).toEqual({ type: 'web', quantity: 2, size: 'large' });
    expect(parseScale('worker=medium')).toEqual({ type: 'worker', size: 'medium' });
    expect(usage(() => parseScale('web'))).toBe(EXIT.usage);
    expect(usage(() => parseScale('web='))).toBe(EXIT.usage);
    expect(parseVersion('v12')).toBe(12);
    expect(parseVersion('3')).toBe(3);
    expect(usage(() => parseVersion('latest'))).toBe(EXIT.usage);
    expect(splitAssignment('A=b=c', 'KEY=VALUE')).toEqual(['A', 'b=c']);
    expect(splitAssignment('EMPTY=', 'KEY=VALUE')).toEqual(['EMPTY', '']);
    expect(usage(() => splitAssignment('=x', 'KEY=VALUE'))).toBe(EXIT.usage);
  });

  it('reads ps:autoscale options: a metric with --min and --max, or --off alone', () => {
    const parse = (argv: string[]) => parseAutoscale(parseCommandLine(['ps:autoscale', 'web', ...argv]).options);
    expect(parse(['--min', '1', '--max', '3', '--cpu', '60'])).toEqual({ metric: 'cpu', target: 60, min: 1, max: 3 });
    expect(parse(['--cpu=55%', '--min=2', '--max=2'])).toEqual({ metric: 'cpu', target: 55, min: 2, max: 2 });
    expect(parse(['--requests', '600', '--min', '2', '--max', '10'])).toEqual({
      metric: 'requests',
      target: 600,
      min: 2,
      max: 10,
    });
    expect(parse(['--off'])).toBeNull();
    // Ranges and whole numbers are the server's to judge (its message says what is allowed).
    expect(parse(['--cpu', '5', '--min', '0', '--max', '1.5'])).toEqual({ metric: 'cpu', target: 5, min: 0, max: 1.5 });
    expect(parse(['--cpu=-5', '--min', '3', '--max', '2'])).toMatchObject({ target: -5, min: 3, max: 2 });
    for (const bad of [
      [],
      ['--min', '1', '--max', '3'],
      ['--cpu', '60', '--max', '3'],
      ['--cpu', '60', '--min', '1'],
      ['--cpu', '60', '--requests', '100', '--min', '1', '--max', '3'],
      ['--off', '--min', '1'],
      ['--off', '--cpu', '60'],
      ['--cpu', 'lots', '--min', '1', '--max', '3'],
      ['--requests', '100/min', '--min', '1', '--max', '3'],
      ['--cpu', '60', '--min', 'one', '--max', '3'],
      ['--cpu', '60', '--min', '', '--max', '3'],
    ]) {
      expect(
        usage(() => parse(bad)),
        bad.join(' '),
      ).toBe(EXIT.usage);
    }
    expect(usage(() => ensureOptions('ps', ['min'], findCommand('ps')?.options ?? []))).toBe(EXIT.usage);
    expect(usage(() => ensureOptions('metrics', ['window', 'num', 'app'], findCommand('metrics')?.options ?? []))).toBe(
      'no error',
    );
    expect(parseCommandLine(['metrics', '--window', '6h', '-n', '5']).options).toMatchObject({ window: '6h', num: '5' });
  });

  it('finds commands by name and alias, and suggests close ones', () => {
    expect(findCommand('apps:list')?.name).toBe('apps');
    expect(findCommand('scale')?.name).toBe('ps:scale');
    expect(findCommand('autoscale')?.name).toBe('ps:autoscale');
    expect(findCommand('apps:move')?.args).toEqual({ min: 1, max: 1 });
    expect(suggest('metric')).toContain('metrics');
    expect(suggest('relases')).toContain('releases');
    expect(suggest('config:st')).toContain('config:set');
  });
});

describe('autoscaling and metrics for people', () => {
  it('says what autoscales, and how', () => {
    expect(autoscalingText({ metric: 'cpu', target: 60, min: 1, max: 3 })).toBe('cpu 60% 1–3');
    expect(autoscalingText({ metric: 'requests', target: 600, min: 2, max: 10 })).toBe('requests 600/min 2–10');
    expect(autoscalingText(null)).toBe('—');
    expect(autoscaleSentence({ type: 'web', quantity: 2, autoscaling: { metric: 'cpu', target: 60, min: 1, max: 3 } })).toBe(
      'Autoscaling web between 1 and 3 instances to hold CPU at 60%.',
    );
    expect(autoscaleSentence({ type: 'web', quantity: 1, autoscaling: null })).toMatch(
      /^Autoscaling of web is off: fixed at 1 instance \(/,
    );
  });

  const point = (minute: number, fields: Partial<AppMetrics['points'][number]> = {}) => ({
    at: new Date(Date.UTC(2025, 0, 1, 12, minute)).toISOString(),
    requests: 0,
    requestsPerSecond: 0,
    errorRate: null,
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
    instances: null,
    ...fields,
  });
  const metrics: AppMetrics = {
    window: '1h',
    stepSeconds: 60,
    from: '2025-01-01T12:00:00.000Z',
    to: '2025-01-01T12:05:00.000Z',
    points: [
      point(0),
      point(1, { requests: 60, requestsPerSecond: 1, errorRate: 0.25, p50Ms: 4.25, p95Ms: 40, p99Ms: 90, instances: 1 }),
      point(2),
      point(3, { instances: 2 }),
      point(4, { requests: 40, requestsPerSecond: 0.667, errorRate: 0, p50Ms: 3, p95Ms: 55.4, p99Ms: 70, instances: 2 }),
    ],
    releases: [
      { version: 3, at: '2025-01-01T12:02:30.000Z', cause: 'deploy', status: 'active' },
      { version: 4, at: '2025-01-01T12:02:59.999Z', cause: 'config', status: 'active' },
    ],
  };

  it('sums a window: requests, the share of 5xx, the worst p95 and p99', () => {
    expect(metricsSummary(metrics)).toEqual({ requests: 100, errors: 15, errorRate: 0.15, p95Ms: 55.4, p99Ms: 90 });
    expect(metricsSummary({ ...metrics, points: [point(0)] })).toEqual({
      requests: 0,
      errors: 0,
      errorRate: null,
      p95Ms: null,
      p99Ms: null,
    });
    expect([percent(0.15), percent(null), millis(4.25), millis(55.4), millis(null)]).toEqual([
      '15.0%',
      '—',
      '4.3 ms',
      '55 ms',
      '—',
    ]);
  });

  it('lists the latest steps with traffic, instances or a release, marking the releases', () => {
    const rows = metricsRows(metrics, 20);
    expect(rows.map((r) => [r.point.at.slice(11, 16), r.releases])).toEqual([
      ['12:01', []],
      ['12:02', [3, 4]],
      ['12:03', []],
      ['12:04', []],
    ]);
    expect(metricsRows(metrics, 2).map((r) => r.point.at.slice(11, 16))).toEqual(['12:03', '12:04']);
    expect(metricsRows(metrics, 0)).toEqual([]);
  });
});

describe('exit codes', () => {
  it('map HTTP statuses', () => {
    expect([401, 403, 404, 409, 413, 422, 429, 500, 503].map(exitCodeForStatus)).toEqual([3, 4, 5, 6, 6, 6, 7, 1, 1]);
  });
});

describe('API URL and git remote', () => {
  it('normalizes the API URL and refuses what is not http(s)', () => {
    expect(normalizeApiUrl('http://localhost:3000/')).toBe('http://localhost:3000');
    expect(normalizeApiUrl('https://paas.example.com/prefix/')).toBe('https://paas.example.com/prefix');
    expect(usage(() => normalizeApiUrl('ftp://x'))).toBe(EXIT.usage);
    expect(usage(() => normalizeApiUrl('https://u:p@x'))).toBe(EXIT.usage);
  });

  it('reads the app from a `paas` remote URL', () => {
    expect(appFromRemoteUrl('https://paas.example.com/git/my-app.git')).toBe('my-app');
    expect(appFromRemoteUrl('http://x:paas_secret@127.0.0.1:3000/git/api')).toBe('api');
    expect(appFromRemoteUrl('https://github.com/acme/app.git')).toBeNull();
  });
});

describe('output for people', () => {
  it('escapes terminal control sequences, keeps ordinary text', () => {
    expect(sanitizeLine('\u001b]0;pwned\u0007red\u001b[31m')).toBe('\\x1b]0;pwned\\x07red\\x1b[31m');
    expect(sanitizeLine('a\nb\u009bc\u202ed')).toBe('a\\x0ab\\x9bc\\u202ed');
    expect(sanitizeLine('héllo ✓ 日本')).toBe('héllo ✓ 日本');
    expect(sanitizeText('line 1\r\nline\t2\n\u001b[2J')).toBe('line 1\nline\t2\n\\x1b[2J');
  });

  it('aligns tables and key/value lists', () => {
    expect(
      table(
        [
          { n: 'web', q: 2 },
          { n: 'worker', q: 10 },
        ],
        [
          { header: 'type', value: (r) => r.n },
          { header: 'quantity', value: (r) => r.q },
        ],
      ),
    ).toBe('TYPE    QUANTITY\nweb     2\nworker  10');
    expect(
      keyValues([
        ['A', '1'],
        ['LONGER', '\u001b[31m'],
      ]),
    ).toBe('A:      1\nLONGER: \\x1b[31m');
  });
});
