// aws-deploy: 20 apps deployed at once through the AWS provider by two worker
// processes: each app bakes, releases, goes red/black to 2 instances, then
// takes a second release. Against moto (its own unless MOTO_ENDPOINT is set),
// behind a proxy that enforces AWS's per-account API rate limits, with a
// builder double playing the builder instances moto does not run. Afterwards
// it reads the account back and counts what was left behind.
// Last line: {"bench":"aws-deploy","apps":…,"deploys":…,"ok":…,"failed":…,"api_calls_per_deploy":…,
//             "control_plane_ms_per_deploy":…,"throttle_retries":…,"leaked_resources":…}

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
  type WorkerProcess,
  waitUntil,
} from '@paas/testing';
import {
  awsWorkerEnv,
  countAwsLeaks,
  prepareAwsAccount,
  startAwsFaultProxy,
  startBuilderDouble,
  startMotoServer,
} from '@paas/testing/aws';

const APPS = Number(process.env.BENCH_APPS ?? 20);
const WORKERS = 2;
const admin = { type: 'admin' } as const;

const own = process.env.MOTO_ENDPOINT ? null : await startMotoServer();
const motoEndpoint = process.env.MOTO_ENDPOINT ?? (own?.endpoint as string);
await prepareAwsAccount(motoEndpoint).catch(() => {}); // an existing moto may have it already
const proxy = await startAwsFaultProxy(motoEndpoint);
proxy.faults.enforceRateLimits = true;
const builder = startBuilderDouble({ endpoint: motoEndpoint, region: 'us-east-1' });
const database = await createTestDatabase();
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `paas-bench-aws-${randomBytes(4).toString('hex')}`;
const producer = createProducerRedis(redisUrl);
const queue = createJobQueue({ connection: producer, prefix });
const workers: WorkerProcess[] = [];
const repos: BareRepo[] = [];

const workerEnv = {
  ...awsWorkerEnv({ database, redisUrl, redisPrefix: prefix, endpoint: proxy.endpoint }),
  PAAS_WORKER_CONCURRENCY: '8',
  // moto bakes and boots at once: poll as often as a fast cloud would be worth polling.
  PAAS_BUILD_POLL_MS: '1000',
  PAAS_HEALTH_POLL_MS: '500',
};

try {
  for (let i = 0; i < WORKERS; i++) workers.push(await startWorkerProcess(workerEnv));
  const names = Array.from({ length: APPS }, (_, i) => `bench-aws-${i}`);
  for (const name of names) {
    const repo = await createBareRepo();
    repos.push(repo);
    await createApp({ db: database.db, cloud: { provider: 'aws', region: 'us-east-1' } }, { name, repoUrl: repo.url }, admin);
    const app = await database.db.app.findUniqueOrThrow({ where: { name } });
    await database.db.processType.update({ where: { appId_type: { appId: app.id, type: 'web' } }, data: { quantity: 2 } });
  }

  const durations: number[] = [];
  const outcomes: string[] = [];
  const round = async (text: string) => {
    const ids = await Promise.all(
      names.map(async (name, i) => {
        const sha = await (repos[i] as BareRepo).commit(sampleAppFiles({ text: `${text} ${name}` }), text);
        return (await requestDeploy({ db: database.db, queue, log: silentLogger }, name, { ref: sha }, admin)).id;
      }),
    );
    await waitUntil(
      `${ids.length} deployments to end`,
      async () =>
        (await database.db.deployment.count({
          where: { id: { in: ids }, state: { in: ['succeeded', 'failed', 'canceled'] } },
        })) === ids.length,
      600_000,
      500,
    );
    for (const d of await database.db.deployment.findMany({ where: { id: { in: ids } } })) {
      outcomes.push(d.state === 'succeeded' ? 'ok' : `${d.state}: ${d.error}`);
      if (d.startedAt && d.finishedAt) durations.push(d.finishedAt.getTime() - d.startedAt.getTime());
    }
  };
  await round('first');
  await round('second');

  const liveGroups = await database.db.serverGroup.findMany({ where: { status: { in: ['active', 'disabled'] } } });
  const images = await database.db.build.findMany({ where: { status: 'succeeded' }, select: { imageRef: true } });
  const leaks = await countAwsLeaks(motoEndpoint, {
    liveGroups: liveGroups.map((g) => g.providerRef as string),
    images: images.map((b) => b.imageRef as string),
  });
  const failures = outcomes.filter((o) => o !== 'ok');
  if (failures.length > 0) console.error('failed deployments:', failures.slice(0, 5));
  if (leaks.total > 0) console.error('left behind:', leaks);
  durations.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: 'aws-deploy',
      apps: APPS,
      deploys: outcomes.length,
      ok: outcomes.length - failures.length,
      failed: failures.length,
      api_calls_per_deploy: Math.round(proxy.totalCalls() / outcomes.length),
      control_plane_ms_per_deploy: durations[Math.floor(durations.length / 2)] ?? null,
      throttle_retries: proxy.throttled(),
      leaked_resources: leaks.total,
    }),
  );
} finally {
  for (const w of workers) await w.kill();
  await builder.stop();
  await proxy.stop();
  await queue.close();
  producer.disconnect();
  await database.drop();
  await Promise.all(repos.map((r) => r.remove()));
  await dropRedisPrefix(redisUrl, prefix);
  await own?.stop();
}
