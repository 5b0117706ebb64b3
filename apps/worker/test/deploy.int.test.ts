import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCloudProvider, stopAllLocalProcesses } from '@paas/cloud';
import {
  advanceDeployment,
  type CoreContext,
  createApp,
  createSecretBox,
  receiveGithubDelivery,
  reconcileDeployments,
  reconcileFormations,
  silentLogger,
} from '@paas/core';
import { createJobQueue, createRedis, startJobWorker } from '@paas/jobs';
import {
  type BareRepo,
  createBareRepo,
  createTestDatabase,
  dropRedisPrefix,
  pushPayload,
  sampleAppFiles,
  type TestDatabase,
  waitUntil,
} from '@paas/testing';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../src/handlers';

// The deployment engine on the real Postgres, Redis (BullMQ) and the local
// provider's real processes: the worker's own handlers, no web in between.
describe('deployment engine', () => {
  let database: TestDatabase;
  let ctx: CoreContext;
  let worker: Worker;
  let repo: BareRepo;
  let dataDir: string;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `paas-int-${randomBytes(4).toString('hex')}`;
  const connection = createRedis(redisUrl);
  const queue = createJobQueue({ connection, prefix });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'paas-engine-'));
    const { provider, timings } = createCloudProvider({
      PAAS_CLOUD: 'local',
      PAAS_DATA_DIR: dataDir,
      PAAS_HEALTH_TIMEOUT_MS: 15_000,
    });
    ctx = {
      db: database.db,
      cloud: provider,
      queue,
      secrets: createSecretBox(randomBytes(32)),
      timings,
      log: silentLogger,
      now: () => new Date(),
    };
    repo = await createBareRepo();
    await createApp(
      { db: ctx.db, cloud: { provider: 'local', region: 'local' } },
      { name: 'engine', repoUrl: repo.url },
      { type: 'admin' },
    );
  });

  afterAll(async () => {
    await worker?.close();
    await queue.close();
    connection.disconnect();
    await stopAllLocalProcesses(dataDir);
    await database?.drop();
    await repo?.remove();
    await dropRedisPrefix(redisUrl, prefix);
    rmSync(dataDir, { recursive: true, force: true });
  });

  function startWorker() {
    worker = startJobWorker({ connection, prefix, handlers: createHandlers(ctx), concurrency: 2, log: silentLogger });
  }

  async function push(files: Record<string, string>, message: string) {
    const sha = await repo.commit(files, message);
    const outcome = await receiveGithubDelivery(ctx, {
      deliveryId: randomBytes(8).toString('hex'),
      event: 'push',
      payload: pushPayload({ repoUrl: repo.url, branch: 'main', sha, message }),
    });
    if (outcome.status !== 'accepted') throw new Error(`push not accepted: ${JSON.stringify(outcome)}`);
    return { sha, deploymentId: outcome.deployments[0] as string };
  }

  async function settled(deploymentId: string) {
    return waitUntil(
      `deployment ${deploymentId} to finish`,
      async () => {
        const d = await ctx.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
        return ['succeeded', 'failed', 'canceled'].includes(d.state) ? d : null;
      },
      60_000,
      100,
    );
  }

  async function webAnswer(version: number) {
    const group = await ctx.db.serverGroup.findUniqueOrThrow({ where: { name: `engine-v${version}-web` } });
    const info = await ctx.cloud.describeServerGroup(group.providerRef as string);
    const address = info?.instances[0]?.address;
    if (!address) throw new Error('no instance address');
    return (await fetch(`http://${address}/`)).text();
  }

  it('takes a push to a healthy, routed release', async () => {
    startWorker();
    const { sha, deploymentId } = await push(sampleAppFiles({ text: 'engine v1' }), 'v1');
    const d = await settled(deploymentId);
    expect(d.state, d.error ?? '').toBe('succeeded');

    const release = await ctx.db.release.findFirstOrThrow({ where: { appId: d.appId }, include: { build: true } });
    expect(release).toMatchObject({ version: 1, status: 'active' });
    expect(release.build).toMatchObject({ commitSha: sha, status: 'succeeded' });
    expect(release.build.log).toContain('npm ci');
    const groups = await ctx.db.serverGroup.findMany({ where: { appId: d.appId } });
    expect(groups).toMatchObject([{ name: 'engine-v1-web', status: 'active', receivesTraffic: true, desired: 1 }]);
    expect(await webAnswer(1)).toBe('engine v1');
  });

  it('fails a build it cannot detect, leaving the running release alone', async () => {
    const { deploymentId } = await push({ 'README.md': 'no app here' }, 'not an app');
    const d = await settled(deploymentId);
    expect(d).toMatchObject({ state: 'failed', errorCode: 'build_failed', step: 'build' });
    expect(d.error).toMatch(/package\.json/);
    expect(await ctx.db.release.count({ where: { appId: d.appId } })).toBe(1);
    expect(await webAnswer(1)).toBe('engine v1');
  });

  it('fails a release whose process crashes, removes its server group, keeps v1 serving', async () => {
    const files = sampleAppFiles({ text: 'never', files: { Procfile: 'web: node -e "process.exit(3)"\n' } });
    const { deploymentId } = await push(files, 'crashes on boot');
    const d = await settled(deploymentId);
    expect(d).toMatchObject({ state: 'failed', errorCode: 'health_check_failed', step: 'await_healthy' });
    const v2 = await ctx.db.release.findFirstOrThrow({ where: { appId: d.appId, version: 2 } });
    expect(v2.status).toBe('failed');
    const group = await ctx.db.serverGroup.findUniqueOrThrow({ where: { name: 'engine-v2-web' } });
    expect(group.status).toBe('destroyed');
    expect(await ctx.cloud.describeServerGroup(group.providerRef as string).then((g) => g?.instances.length ?? 0)).toBe(0);
    const v1 = await ctx.db.release.findFirstOrThrow({ where: { appId: d.appId, version: 1 } });
    expect(v1.status).toBe('active');
    expect(await webAnswer(1)).toBe('engine v1');
  });

  it('applies a formation change whose job was lost', async () => {
    const app = await ctx.db.app.findUniqueOrThrow({ where: { name: 'engine' } });
    // Saved, never enqueued: as if Redis was down when the user moved the slider.
    await ctx.db.processType.update({ where: { appId_type: { appId: app.id, type: 'web' } }, data: { quantity: 2 } });
    expect(await reconcileFormations(ctx)).toBe(1);
    const group = await ctx.db.serverGroup.findUniqueOrThrow({ where: { name: 'engine-v1-web' } });
    expect(group.desired).toBe(2);
    await waitUntil(
      'two healthy web instances',
      async () => {
        const info = await ctx.cloud.describeServerGroup(group.providerRef as string);
        return info?.instances.filter((i) => i.health === 'healthy').length === 2;
      },
      20_000,
    );
    expect(await reconcileFormations(ctx)).toBe(0);
  });

  it('resumes after lost jobs and never runs one step twice at once', async () => {
    await worker.close();
    const { deploymentId } = await push(sampleAppFiles({ text: 'engine v3' }), 'v3');
    // The worker was down: the queued job is lost as if Redis had been flushed.
    await queue.queue.obliterate({ force: true });

    // Two runners racing on the same deployment: exactly one claims the step.
    const results = await Promise.all([advanceDeployment(ctx, deploymentId), advanceDeployment(ctx, deploymentId)]);
    expect(results.filter((r) => r.type === 'skipped')).toHaveLength(1);
    await queue.queue.obliterate({ force: true });

    // The reconciler finds the overdue deployment and delivers it again.
    await ctx.db.deployment.update({ where: { id: deploymentId }, data: { nextCheckAt: new Date(Date.now() - 60_000) } });
    expect(await reconcileDeployments(ctx)).toBeGreaterThanOrEqual(1);
    startWorker();
    const d = await settled(deploymentId);
    expect(d.state, d.error ?? '').toBe('succeeded');
    expect(await webAnswer(3)).toBe('engine v3');
    const builds = await ctx.db.build.findMany({ where: { deployments: { some: { id: deploymentId } } } });
    expect(builds).toHaveLength(1);
  });
});
