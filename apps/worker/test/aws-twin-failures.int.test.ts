import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { requestAppDeletion, updateAppSettings } from '@paas/core';
import { type BareRepo, getViaRouter, readWholeBuildLog, sampleAppFiles, waitUntil } from '@paas/testing';
import { type AwsTwin, countAwsLeaks, MOTO_CREDENTIALS, startAwsTwin } from '@paas/testing/aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, type Engine, startEngine } from './engine-fixture';

// Bad input on AWS, for real: the deployment engine and the AWS provider on the
// AWS twin, where builders and instances run the real user data and agent.
// Each failure must end as a clear failed (or healed) state, in the app's own
// words, with the old release serving and nothing left running.
describe('failures on AWS (the twin)', () => {
  let twin: AwsTwin;
  let engine: Engine;
  let repo: BareRepo;
  const host = 'fragile.apps.example.test';
  const get = (path = '/') => getViaRouter(twin.loadBalancer.port, host, path);
  const stillServing = async () => expect((await get()).body).toBe('steady');

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
    twin = await startAwsTwin();
    engine = await startEngine({ aws: { endpoint: twin.endpoint }, healthTimeoutMs: 12_000, buildTimeoutMs: 20_000 });
    repo = await engine.newApp('fragile');
    engine.startWorker();
    const sha = await repo.commit(sampleAppFiles({ text: 'steady' }), 'steady');
    expect(await engine.settled(await engine.push(repo, sha), 120_000)).toMatchObject({ state: 'succeeded' });
    await stillServing();
  }, 180_000);
  afterAll(async () => {
    await engine?.stop();
    await twin?.stop();
  }, 60_000);

  /** Builders of the app still running, in moto or in the twin. */
  async function liveBuilders(): Promise<string[]> {
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint: twin.moto.endpoint, credentials: MOTO_CREDENTIALS });
    const out = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:paas:role', Values: ['builder'] }] }));
    ec2.destroy();
    const ids = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).filter((i) => i.State?.Name !== 'terminated');
    const inTwin = twin.runner.live().filter((i) => !i.exited && ids.some((b) => b.InstanceId === i.instanceId));
    return [...ids.map((i) => i.InstanceId as string), ...inTwin.map((i) => `twin:${i.instanceId}`)];
  }

  async function deployFailing(files: Parameters<typeof sampleAppFiles>[0], timeoutMs = 120_000) {
    const sha = await repo.commit(sampleAppFiles(files), files.text);
    return engine.settled(await engine.push(repo, sha), timeoutMs);
  }

  it('a build that fails on the builder: failed with the build’s own output, builder gone', async () => {
    const failed = await deployFailing({
      text: 'never',
      scripts: { build: 'echo "compile error: missing semicolon" && exit 2' },
    });
    expect(failed).toMatchObject({ state: 'failed', errorCode: 'build_failed' });
    expect(failed.error).toMatch(/npm run build/);
    const build = await engine.db.build.findUniqueOrThrow({ where: { id: failed.buildId as string } });
    const cloud = await engine.providerOf('fragile');
    expect(await readWholeBuildLog(cloud, build.jobRef as string)).toMatch(/compile error: missing semicolon/);
    await waitUntil('the builder to be gone', async () => (await liveBuilders()).length === 0, 30_000, 250);
    await stillServing();
  }, 180_000);

  it('an app that never listens on its port: rolled back, with what it printed', async () => {
    const failed = await deployFailing({
      text: 'deaf',
      scripts: { start: `node -e "console.log('waiting for a queue that never comes'); setInterval(() => {}, 1000)"` },
    });
    // Failed checks past the grace period, or the gate's deadline: whichever comes first.
    expect(failed.state).toBe('failed');
    expect(failed.errorCode).toMatch(/^health_check_(failed|timeout)$/);
    expect(failed.error).toMatch(/waiting for a queue that never comes/);
    await stillServing();
  }, 180_000);

  it('a health check path that answers 500: rolled back, the old release serving', async () => {
    await updateAppSettings(engine.ctx, 'fragile', { healthCheck: { path: '/__status/500' } }, admin);
    try {
      const failed = await deployFailing({ text: 'sick' });
      expect(failed.state).toBe('failed');
      expect(failed.errorCode).toMatch(/^health_check_(failed|timeout)$/);
      await stillServing();
    } finally {
      await updateAppSettings(engine.ctx, 'fragile', { healthCheck: null }, admin);
    }
  }, 180_000);

  it('a builder that never reports: the build ends at its deadline and the builder is terminated', async () => {
    const sha = await repo.commit(sampleAppFiles({ text: 'lost', scripts: { build: 'sleep 600' } }), 'lost');
    const id = await engine.push(repo, sha);
    const builder = await waitUntil(
      'the builder to run',
      async () => (await liveBuilders()).find((b) => !b.startsWith('twin:') && twin.runner.get(b)),
      60_000,
      100,
    );
    // The instance's processes die; the instance itself stays "running" and silent.
    await twin.runner.killProcesses(builder);
    const failed = await engine.settled(id, 120_000);
    expect(failed).toMatchObject({ state: 'failed', errorCode: 'build_timeout' });
    await waitUntil('the builder to be gone', async () => (await liveBuilders()).length === 0, 30_000, 250);
    await stillServing();
  }, 180_000);

  it('an instance that dies after going healthy is replaced, and the app serves again', async () => {
    const group = await engine.db.serverGroup.findFirstOrThrow({ where: { app: { name: 'fragile' }, receivesTraffic: true } });
    const cloud = await engine.providerOf('fragile');
    const [victim] =
      (await cloud.describeServerGroups([group.providerRef as string])).get(group.providerRef as string)?.instances ?? [];
    expect(victim?.health).toBe('healthy');
    await twin.runner.killProcesses(victim?.id as string);
    await waitUntil(
      'a healthy replacement serving',
      async () => {
        const info = (await cloud.describeServerGroups([group.providerRef as string])).get(group.providerRef as string);
        const healthy = info?.instances.filter((i) => i.health === 'healthy') ?? [];
        return healthy.length === 1 && healthy[0]?.id !== victim?.id && (await get()).body === 'steady';
      },
      60_000,
      250,
    );
    expect(twin.autoScaling.replaced).toContain(victim?.id);
  }, 120_000);

  it('deleting the app leaves nothing running in moto or the twin', async () => {
    await requestAppDeletion(engine.ctx, 'fragile', admin);
    await waitUntil('the app to be gone', async () => (await engine.db.app.count({ where: { name: 'fragile' } })) === 0, 60_000);
    expect(await countAwsLeaks(twin.moto.endpoint, { liveGroups: [], images: [] })).toMatchObject({ total: 0 });
    expect(await twin.leftovers()).toEqual({ instances: [], images: [] });
  }, 120_000);
});
