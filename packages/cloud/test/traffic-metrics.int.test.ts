import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudProvider, TrafficMinute } from '@paas/core';
import { httpGet, sampleAppFiles, waitFor, waitForHealthy } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, type RunningRouter, removeLocalData, startRouter } from '../src/index';
import { groupOf, newApp, releaseOf, writeImage } from './fixtures/local-image';

const MINUTE = 60_000;
const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;

function total(minutes: TrafficMinute[]) {
  return minutes.reduce((sum, m) => ({ requests: sum.requests + m.requests, errors5xx: sum.errors5xx + m.errors5xx }), {
    requests: 0,
    errors5xx: 0,
  });
}

describe('local traffic metrics', () => {
  let dataDir: string;
  let provider: CloudProvider;
  let router: RunningRouter;
  let group: string;
  const app = newApp('metered');
  const host = 'metered.localhost';
  let startedAt: number;

  const get = (path: string) => httpGet(`${router.url}${path}`, { host });
  /** The minutes from the start of the test up to the end of the current one. */
  const read = (serverGroupRefs = [group]) =>
    provider.readTrafficMetrics({
      app,
      serverGroupRefs,
      from: new Date(floorMinute(startedAt)),
      to: new Date(floorMinute(Date.now()) + MINUTE),
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paas-metrics-'));
    provider = createLocalProvider({ dataDir, healthTimeoutMs: 10_000, stopGraceMs: 2_000, configKey: randomBytes(32) });
    const imageRef = await writeImage(dataDir, app, sampleAppFiles({ text: 'metered' }));
    const rel = await releaseOf(provider, app, imageRef, { web: 'node server.js' });
    ({ ref: group } = await groupOf(provider, app, rel, 'web', 2));
    await provider.registerServerGroup(app, group);
    await waitForHealthy(provider, group, 2);
    await provider.switchTraffic({ app, hostnames: [host], serverGroupRef: group });
    startedAt = Date.now();
    router = await startRouter({ dataDir, port: 0, metricsFlushMs: 100 });
  }, 30_000);

  afterAll(async () => {
    await router?.close();
    await removeLocalData(dataDir);
  });

  it('counts requests and 5xx per minute for the group the router forwarded to, with latency percentiles', async () => {
    expect(await read()).toEqual([]);
    for (let i = 0; i < 12; i++) expect((await get('/')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await get('/__status/500')).status).toBe(500);
    for (let i = 0; i < 3; i++) expect((await get('/__status/404')).status).toBe(404);

    const minutes = await waitFor(
      'the router to write 20 requests',
      async () => {
        const read1 = await read();
        return total(read1).requests >= 20 ? read1 : null;
      },
      10_000,
      50,
    );
    expect(total(minutes)).toEqual({ requests: 20, errors5xx: 5 });
    for (const minute of minutes) {
      expect(minute.minute.getTime() % MINUTE).toBe(0);
      expect(minute.requests).toBeGreaterThan(0);
      expect(minute.p50Ms).toBeGreaterThan(0);
      expect(minute.p50Ms as number).toBeLessThanOrEqual(minute.p95Ms as number);
      expect(minute.p95Ms as number).toBeLessThanOrEqual(minute.p99Ms as number);
      // A local request through the router takes milliseconds, not seconds.
      expect(minute.p99Ms).toBeLessThan(5_000);
    }
  });

  it("counts the router's own 503s (no instance to send to) for the app, not for a group", async () => {
    await provider.switchTraffic({ app, hostnames: [host], serverGroupRef: null });
    // Every answer counts, the ones seen while waiting for the switch included.
    const statuses: number[] = [];
    const getCounted = async () => {
      const { status } = await get('/');
      statuses.push(status);
      return status;
    };
    await waitFor('the app to be offline', async () => (await getCounted()) === 503, 5_000, 20);
    for (let i = 0; i < 4; i++) expect(await getCounted()).toBe(503);
    const offline = statuses.filter((status) => status === 503).length;
    const appOnly = await waitFor(
      'the 503s to be written',
      async () => {
        const minutes = await read([]);
        return total(minutes).requests >= offline ? minutes : null;
      },
      10_000,
      50,
    );
    expect(total(appOnly)).toEqual({ requests: offline, errors5xx: offline });
    const all = await waitFor(
      'the 200s seen before the switch to be written',
      async () => {
        const t = total(await read());
        return t.requests >= 20 + statuses.length ? t : null;
      },
      10_000,
      50,
    );
    expect(all).toEqual({ requests: 20 + statuses.length, errors5xx: 5 + offline });
    await provider.switchTraffic({ app, hostnames: [host], serverGroupRef: group });
    await waitFor('the app to be back', async () => (await get('/')).status === 200, 5_000, 20);
  });

  it('writes what it counted when the router closes, and a second router adds to the same minutes', async () => {
    // Closing writes what the first router still held, so the count read now is final.
    await router.close();
    const before = total(await read());
    expect(before.requests).toBeGreaterThan(20);
    // No timed flush in this router's life: only its close writes.
    const second = await startRouter({ dataDir, port: 0, metricsFlushMs: 60 * MINUTE });
    for (let i = 0; i < 7; i++) expect((await httpGet(`${second.url}/`, { host })).status).toBe(200);
    await second.close();
    expect(total(await read())).toEqual({ requests: before.requests + 7, errors5xx: before.errors5xx });
    router = await startRouter({ dataDir, port: 0, metricsFlushMs: 100 });
  });

  it('reads whole minutes only, and nothing for a window without traffic', async () => {
    await expect(
      provider.readTrafficMetrics({ app, serverGroupRefs: [group], from: new Date(startedAt + 1), to: new Date() }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    const past = floorMinute(startedAt) - 10 * MINUTE;
    expect(
      await provider.readTrafficMetrics({ app, serverGroupRefs: [group], from: new Date(past), to: new Date(past + 5 * MINUTE) }),
    ).toEqual([]);
  });

  it('removes the counts with the app', async () => {
    await provider.teardownApp(app);
    expect(await read()).toEqual([]);
  });
});
