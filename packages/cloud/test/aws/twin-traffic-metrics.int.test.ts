import { randomBytes, randomUUID } from 'node:crypto';
import type { AppRef } from '@paas/core';
import { capacity, createBareRepo, httpGet, sampleAppFiles, waitForBuild, waitForHealthy, webProcess } from '@paas/testing';
import { type AwsTwin, startAwsTwin } from '@paas/testing/aws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatedAwsProvider } from './emulated-provider';

// End to end offline: an app built and run on the AWS twin, requests through
// the twin's load balancer, which publishes them to CloudWatch as an ALB
// does, read back by the provider as the worker would.
let twin: AwsTwin;
let redis: Redis;

beforeAll(async () => {
  twin = await startAwsTwin();
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
}, 60_000);

afterAll(async () => {
  redis?.disconnect();
  await twin?.stop();
}, 60_000);

describe('traffic metrics on the AWS twin', () => {
  it('counts the requests and 5xx the load balancer proxied to the app, with their latency', async () => {
    const cloud = emulatedAwsProvider(twin.endpoint, redis);
    const app: AppRef = { id: randomUUID(), name: `tm-${randomBytes(3).toString('hex')}` };
    const repo = await createBareRepo();
    await repo.commit(sampleAppFiles({ text: 'metered' }), 'app');
    const { jobRef } = await cloud.startImageBuild({
      app,
      buildId: randomUUID(),
      repoUrl: repo.url,
      ref: 'main',
      definition: 'node-1',
    });
    const built = await waitForBuild(cloud, jobRef);
    await repo.remove();
    if (built.state !== 'succeeded') throw new Error(`build failed: ${JSON.stringify(built)}`);
    const release = { id: randomUUID(), version: 1 };
    const { templateRef } = await cloud.createReleaseTemplate({
      app,
      release,
      imageRef: built.imageRef,
      configRef: null,
      processes: { web: webProcess() },
    });
    const { ref } = await cloud.ensureServerGroup({
      id: randomUUID(),
      app,
      release,
      processType: 'web',
      templateRef,
      capacity: capacity(1),
    });
    await cloud.registerServerGroup(app, ref);
    const hostnames = cloud.defaultHostnames(app.name);
    await cloud.switchTraffic({ app, hostnames, serverGroupRef: ref });
    await waitForHealthy(cloud, ref, 1);

    const from = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const host = { host: hostnames[0] as string };
    for (let i = 0; i < 5; i++) expect((await httpGet(`${twin.loadBalancer.url}/`, host)).body).toBe('metered');
    for (let i = 0; i < 2; i++) expect((await httpGet(`${twin.loadBalancer.url}/__status/503`, host)).status).toBe(503);
    await twin.metrics.flush();
    const to = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 60_000);

    const minutes = await cloud.readTrafficMetrics({ app, serverGroupRefs: [ref], from, to });
    // The requests may fall in one minute or two.
    expect(minutes.reduce((sum, m) => sum + m.requests, 0)).toBe(7);
    expect(minutes.reduce((sum, m) => sum + m.errors5xx, 0)).toBe(2);
    for (const m of minutes) {
      expect(m.minute.getTime() % 60_000).toBe(0);
      expect(m.p50Ms).toBeGreaterThan(0);
      expect(m.p50Ms).toBeLessThanOrEqual(m.p95Ms as number);
      expect(m.p95Ms).toBeLessThanOrEqual(m.p99Ms as number);
    }
    await cloud.teardownApp(app);
  }, 180_000);
});
