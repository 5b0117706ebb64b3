import { randomBytes } from 'node:crypto';
import { createApp, requestDeploy, silentLogger } from '@paas/core';
import { createJobQueue, createProducerRedis } from '@paas/jobs';
import {
  type BareRepo,
  createBareRepo,
  createTestDatabase,
  dropRedisPrefix,
  sampleAppFiles,
  startWorkerProcess,
  type TestDatabase,
  type WorkerProcess,
  waitUntil,
} from '@paas/testing';
import {
  type AwsFaultProxy,
  awsWorkerEnv,
  type BuilderDouble,
  countAwsLeaks,
  type MotoServer,
  prepareAwsAccount,
  startAwsFaultProxy,
  startBuilderDouble,
  startMotoServer,
} from '@paas/testing/aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin } from './engine-fixture';

// Two real worker processes deploying through the AWS provider, SIGKILLed at
// random instants, with 10% of AWS calls throttled: every deployment must
// still end with exactly one serving release, and the account, read back,
// must hold nothing the platform does not keep.
describe('AWS deployments while workers are killed', () => {
  let moto: MotoServer;
  let proxy: AwsFaultProxy;
  let builder: BuilderDouble;
  let database: TestDatabase;
  let repo: BareRepo;
  const workers: (WorkerProcess | null)[] = [null, null];
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `paas-aws-crash-${randomBytes(4).toString('hex')}`;
  const producer = createProducerRedis(redisUrl);
  const queue = createJobQueue({ connection: producer, prefix });
  let env: Record<string, string>;

  beforeAll(async () => {
    moto = await startMotoServer();
    await prepareAwsAccount(moto.endpoint);
    proxy = await startAwsFaultProxy(moto.endpoint);
    builder = startBuilderDouble({ endpoint: moto.endpoint, region: 'us-east-1' });
    database = await createTestDatabase();
    repo = await createBareRepo();
    await createApp(
      { db: database.db, cloud: { provider: 'aws', region: 'us-east-1' } },
      { name: 'sturdy', repoUrl: repo.url },
      admin,
    );
    env = {
      ...awsWorkerEnv({ database, redisUrl, redisPrefix: prefix, endpoint: proxy.endpoint }),
      PAAS_BUILD_POLL_MS: '300',
      PAAS_HEALTH_POLL_MS: '300',
      PAAS_RECONCILE_INTERVAL_MS: '300',
      // Short, so a step whose worker died is taken over within seconds here.
      PAAS_STEP_LEASE_MS: '2000',
    };
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) await w?.kill();
    await builder?.stop();
    await proxy?.stop();
    await queue.close();
    producer.disconnect();
    await database?.drop();
    await repo?.remove();
    await dropRedisPrefix(redisUrl, prefix);
    await moto?.stop();
  }, 60_000);

  it('finishes every deployment with one serving release and leaks nothing', async () => {
    proxy.faults.throttleRate = 0.1;
    for (let i = 0; i < workers.length; i++) workers[i] = await startWorkerProcess(env);
    let kills = 0;
    for (let round = 1; round <= 3; round++) {
      const sha = await repo.commit(sampleAppFiles({ text: `round ${round}` }), `round ${round}`);
      const { id } = await requestDeploy({ db: database.db, queue, log: silentLogger }, 'sturdy', { ref: sha }, admin);
      for (;;) {
        const d = await database.db.deployment.findUniqueOrThrow({ where: { id } });
        if (['succeeded', 'failed', 'canceled'].includes(d.state)) break;
        // A random instant, a random worker: inside a cloud call, between a save and its enqueue.
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(Math.random() * 900)));
        const victim = Math.floor(Math.random() * workers.length);
        await workers[victim]?.kill();
        kills++;
        workers[victim] = await startWorkerProcess(env);
        if (kills > 80) throw new Error(`deployment did not finish after ${kills} kills:\n${workers[0]?.output().slice(-3000)}`);
      }
      const d = await database.db.deployment.findUniqueOrThrow({ where: { id } });
      expect(d.state, `${d.error ?? ''}\n${workers[0]?.output().slice(-2000)}`).toBe('succeeded');
      expect(await database.db.build.count({ where: { commitSha: sha } })).toBe(1);
    }
    expect(kills).toBeGreaterThan(3);
    proxy.faults.throttleRate = 0;

    const app = await database.db.app.findUniqueOrThrow({ where: { name: 'sturdy' } });
    expect(await database.db.release.count({ where: { appId: app.id, status: 'active' } })).toBe(1);
    // Removals a kill interrupted are finished by the reconciler.
    await waitUntil(
      'interrupted removals to finish',
      async () => (await database.db.serverGroup.count({ where: { status: 'destroying' } })) === 0,
      60_000,
      200,
    );
    const live = await database.db.serverGroup.findMany({ where: { status: { in: ['active', 'disabled'] } } });
    expect(live.filter((g) => g.receivesTraffic)).toHaveLength(1);
    const images = await database.db.build.findMany({ where: { status: 'succeeded' }, select: { imageRef: true } });
    const leaks = await countAwsLeaks(moto.endpoint, {
      liveGroups: live.map((g) => g.providerRef as string),
      images: images.map((b) => b.imageRef as string),
    });
    expect(leaks).toMatchObject({ total: 0 });
  }, 300_000);
});
