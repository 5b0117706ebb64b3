import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudProvider, Logger } from '@paas/core';
import { describeOne, httpGet, sampleAppFiles, waitFor, waitForHealthy } from '@paas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider, type RunningRouter, removeLocalData, startRouter } from '../src/index';
import { groupOf, newApp, releaseOf, writeImage } from './fixtures/local-image';

/** Log lines kept for assertions: each scaling decision must be logged with its reason. */
function capturingLogger() {
  const lines: Array<{ message: string; fields: Record<string, unknown> }> = [];
  const keep = (message: string, fields: Record<string, unknown> = {}) => void lines.push({ message, fields });
  const log: Logger = { info: keep, warn: keep, error: keep };
  return { log, lines };
}

describe('local autoscaling', () => {
  let dataDir: string;
  let provider: CloudProvider;
  let router: RunningRouter;
  const { log, lines } = capturingLogger();
  const app = newApp('scaled');
  const host = 'scaled.localhost';
  let imageRef: string;

  const desiredOf = async (ref: string) => (await describeOne(provider, ref))?.capacity.desired;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'paas-autoscaling-'));
    provider = createLocalProvider({
      dataDir,
      healthTimeoutMs: 10_000,
      stopGraceMs: 2_000,
      configKey: randomBytes(32),
      log,
      // Short windows so the test need not wait minutes; the bucket stays 10 s, so the window is at least that.
      autoscaling: { metricWindowMs: 10_000, cooldownMs: 500, scaleInAfterMs: 1_000 },
    });
    imageRef = await writeImage(
      dataDir,
      app,
      sampleAppFiles({
        text: 'scaled',
        // A process that keeps one CPU busy, to scale on CPU.
        files: { 'spin.js': 'for (;;) {}\n' },
      }),
    );
    router = await startRouter({ dataDir, port: 0, metricsFlushMs: 100 });
  }, 30_000);

  afterAll(async () => {
    await router?.close();
    await removeLocalData(dataDir);
  });

  it('scales a group out on requests per instance, the new instances get traffic, then it scales in one step at a time', async () => {
    const rel = await releaseOf(provider, app, imageRef, { web: 'node server.js' });
    const { ref } = await groupOf(provider, app, rel, 'web', 1);
    await provider.registerServerGroup(app, ref);
    await waitForHealthy(provider, ref, 1);
    await provider.switchTraffic({ app, hostnames: [host], serverGroupRef: ref });
    await provider.setScalingPolicy(ref, { metric: 'requests', target: 60 });
    await provider.setCapacity(ref, { min: 1, max: 3 });
    expect(await describeOne(provider, ref)).toMatchObject({
      capacity: { min: 1, max: 3, desired: 1 },
      scaling: { metric: 'requests', target: 60 },
    });

    const get = (path: string) => httpGet(`${router.url}${path}`, { host });
    await waitFor('the router to pick the route up', async () => (await get('/')).status === 200, 5_000, 20);
    // 120 requests within the 10-20 s the window spans: hundreds a minute on one instance, far above 60.
    for (let i = 0; i < 120; i++) expect((await get('/')).status).toBe(200);
    await waitFor(
      'the autoscaler to scale out to the maximum',
      async () => {
        await provider.reconcile();
        return (await desiredOf(ref)) === 3;
      },
      15_000,
      100,
    );
    const out = lines.find((line) => line.message === 'server group autoscaled');
    expect(out?.fields).toMatchObject({ group: ref, from: 1, to: 3, reason: expect.stringMatching(/^scale out: .* target 60/) });

    await waitForHealthy(provider, ref, 3);
    const ports = new Set<string>();
    await waitFor(
      'requests on all three instances',
      async () => {
        ports.add((await get('/__env/PORT')).body);
        return ports.size === 3;
      },
      15_000,
      20,
    );

    // No more traffic: once the requests leave the window, one instance goes per low spell, never two at once.
    const seen = [3];
    await waitFor(
      'the autoscaler to scale back in to the minimum',
      async () => {
        await provider.reconcile();
        const desired = (await desiredOf(ref)) as number;
        if (desired !== seen.at(-1)) seen.push(desired);
        return desired === 1;
      },
      45_000,
      200,
    );
    expect(seen).toEqual([3, 2, 1]);
    await waitForHealthy(provider, ref, 1);
    const reasons = lines.filter((l) => l.message === 'server group autoscaled').map((l) => l.fields.reason);
    expect(reasons.slice(1)).toEqual([expect.stringMatching(/^scale in: /), expect.stringMatching(/^scale in: /)]);

    // Without a policy the count stays where the autoscaler left it.
    await provider.setScalingPolicy(ref, null);
    for (let i = 0; i < 30; i++) await get('/');
    await provider.reconcile();
    expect(await describeOne(provider, ref)).toMatchObject({ capacity: { desired: 1 }, scaling: null });
  }, 120_000);

  it('scales a group out on the CPU its processes use', async () => {
    const rel = await releaseOf(provider, app, imageRef, { spinner: 'node spin.js' }, {}, 2);
    const { ref } = await groupOf(provider, app, rel, 'spinner', 1);
    try {
      await provider.setScalingPolicy(ref, { metric: 'cpu', target: 40 });
      await provider.setCapacity(ref, { min: 1, max: 2 });
      // The spinner uses a whole CPU (100%), well above 40%: one evaluation to sample, the next to measure.
      await waitFor(
        'the autoscaler to scale out on CPU',
        async () => {
          await provider.reconcile();
          return (await desiredOf(ref)) === 2;
        },
        20_000,
        250,
      );
      const out = lines.find((line) => line.message === 'server group autoscaled' && line.fields.group === ref);
      expect(out?.fields.reason).toMatch(/^scale out: \d+(\.\d)?% CPU per instance over 1 instance\(s\), target 40% CPU$/);
      expect(await describeOne(provider, ref)).toMatchObject({ scaling: { metric: 'cpu', target: 40 } });
    } finally {
      await provider.destroyServerGroup(ref);
    }
  }, 60_000);

  it('refuses to scale a process type without HTTP on requests, and policies it cannot read', async () => {
    const rel = await releaseOf(provider, app, imageRef, { worker: 'node spin.js' }, {}, 3);
    const { ref } = await groupOf(provider, app, rel, 'worker', 0);
    await expect(provider.setScalingPolicy(ref, { metric: 'requests', target: 100 })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(provider.setScalingPolicy(ref, { metric: 'cpu', target: 150 })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(provider.setScalingPolicy(ref, { metric: 'cpu', target: Number.NaN })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await provider.destroyServerGroup(ref);
    await provider.setScalingPolicy(ref, null);
    await expect(provider.setScalingPolicy(ref, { metric: 'cpu', target: 50 })).rejects.toMatchObject({ code: 'not_found' });
  });
});
