import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneTrafficFiles } from '../src/local/metrics/prune-traffic-files';
import { readTrafficBuckets } from '../src/local/metrics/read-traffic-buckets';
import { trafficMinutes } from '../src/local/metrics/traffic-minutes';
import { TrafficRecorder } from '../src/local/metrics/traffic-recorder';
import { type Layout, layout } from '../src/local/state/layout';

describe('traffic recorder', () => {
  let dir: string;
  let paths: Layout;
  let now: number;
  const clock = () => now;
  const minute = Date.UTC(2026, 0, 1, 12, 0);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paas-traffic-'));
    paths = layout(dir);
    now = minute + 1_000;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const files = async (target: string) => (await readdir(paths.metricsTarget(target)).catch(() => [])).sort();

  it('counts in memory and writes one file per target and minute on flush', async () => {
    const recorder = new TrafficRecorder(paths, clock);
    recorder.record('g-a', 200, 5);
    recorder.record('g-a', 500, 50);
    now = minute + 25_000;
    recorder.record('g-a', 503, 1);
    recorder.record('app-x', 503, 0.2);
    expect(await files('g-a')).toEqual([]);
    await recorder.flush();
    expect(await files('g-a')).toEqual([`20260101T1200Z.${recorder.writer}.json`]);
    const buckets = await readTrafficBuckets(paths, ['g-a'], minute, minute + 60_000);
    expect(buckets.map((b) => [b.start - minute, b.requests, b.errors5xx])).toEqual([
      [0, 2, 1],
      [20_000, 1, 1],
    ]);
    const [total] = trafficMinutes(await readTrafficBuckets(paths, ['g-a', 'app-x'], minute, minute + 60_000));
    expect(total).toMatchObject({ requests: 4, errors5xx: 3 });
  });

  it('rewrites only minutes that changed, and forgets minutes that are over and written', async () => {
    const recorder = new TrafficRecorder(paths, clock);
    recorder.record('g-a', 200, 5);
    recorder.record('g-b', 200, 5);
    await recorder.flush();
    const path = (target: string) => join(paths.metricsTarget(target), `20260101T1200Z.${recorder.writer}.json`);
    const inodeB = (await stat(path('g-b'))).ino;
    const inodeA = (await stat(path('g-a'))).ino;
    recorder.record('g-a', 200, 5);
    await recorder.flush();
    expect((await stat(path('g-b'))).ino).toBe(inodeB);
    expect((await stat(path('g-a'))).ino).not.toBe(inodeA); // replaced by rename, never written in place

    now = minute + 61_000;
    recorder.record('g-a', 200, 5);
    await recorder.flush();
    expect(await files('g-a')).toHaveLength(2);
    const read = await readTrafficBuckets(paths, ['g-a'], minute, minute + 120_000);
    expect(read.reduce((s, b) => s + b.requests, 0)).toBe(3);
  });

  it('adds up the files of several routers for the same minute', async () => {
    const one = new TrafficRecorder(paths, clock);
    const two = new TrafficRecorder(paths, clock);
    one.record('g-a', 200, 5);
    two.record('g-a', 500, 5);
    two.record('g-a', 200, 5);
    await Promise.all([one.flush(), two.flush()]);
    const [m] = trafficMinutes(await readTrafficBuckets(paths, ['g-a'], minute, minute + 60_000));
    expect(m).toMatchObject({ requests: 3, errors5xx: 1 });
  });

  it('reads only the window asked for, and nothing for unknown or unsafe targets', async () => {
    const recorder = new TrafficRecorder(paths, clock);
    for (const offset of [0, 10_000, 59_000, 60_000, 130_000]) {
      now = minute + offset;
      recorder.record('g-a', 200, 5);
    }
    await recorder.flush();
    const starts = (from: number, to: number) =>
      readTrafficBuckets(paths, ['g-a'], minute + from, minute + to).then((b) =>
        b.map((x) => x.start - minute).sort((a, c) => a - c),
      );
    expect(await starts(10_000, 60_000)).toEqual([10_000, 50_000]);
    expect(await starts(0, 180_000)).toEqual([0, 10_000, 50_000, 60_000, 130_000]);
    expect(await readTrafficBuckets(paths, ['g-none', '../etc', ''], minute, minute + 180_000)).toEqual([]);
  });

  it('prunes files of minutes before the cut and directories left empty', async () => {
    const recorder = new TrafficRecorder(paths, clock);
    recorder.record('g-old', 200, 1);
    recorder.record('g-both', 200, 1);
    now = minute + 3 * 60_000;
    recorder.record('g-both', 200, 1);
    await recorder.flush();
    expect(await pruneTrafficFiles(paths, minute + 60_000)).toBe(2);
    expect(await readdir(paths.metrics)).toEqual(['g-both']);
    expect(await files('g-both')).toEqual([`20260101T1203Z.${recorder.writer}.json`]);
  });
});
