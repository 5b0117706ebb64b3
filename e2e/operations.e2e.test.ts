import { readdir, readFile } from 'node:fs/promises';
import {
  type BareRepo,
  createBareRepo,
  getViaRouter,
  pushPayload,
  type RunningPlatform,
  sampleAppFiles,
  sendGithubDelivery,
  startPlatform,
  startRedisServer,
  waitUntil,
} from '@paas/testing';
import { afterAll, describe, expect, it } from 'vitest';

/** Pids of live processes whose environment names `dataDir` (platform processes and the apps they run). */
async function processesOf(dataDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'latin1').catch(() => '');
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
    if (environ.includes(`PAAS_DATA_DIR=${dataDir}\0`) || environ.includes(`PAAS_LOCAL_DATA_DIR=${dataDir}\0`))
      pids.push(Number(entry));
  }
  return pids;
}

async function deployAndServe(platform: RunningPlatform, repo: BareRepo, app: string, text: string) {
  await repo.commit(sampleAppFiles({ text }), text);
  const res = await platform.api('POST', `/api/v1/apps/${app}/deploys`);
  expect(res.status, res.text).toBe(202);
  await waitUntil(
    `"${text}" served`,
    async () => (await getViaRouter(platform.routerPort, `${app}.localhost`)).body === text,
    120_000,
    100,
  );
}

describe('operations: stopping the platform', () => {
  let platform: RunningPlatform | undefined;
  let repo: BareRepo | undefined;
  afterAll(async () => {
    await platform?.stop();
    await repo?.remove();
  });

  it('SIGTERM to `npm start` stops the dashboard, worker, router and every app process', async () => {
    platform = await startPlatform({ viaNpm: true });
    repo = await createBareRepo();
    expect((await platform.api('POST', '/api/v1/apps', { name: 'stopper', repoUrl: repo.url })).status).toBe(201);
    await deployAndServe(platform, repo, 'stopper', 'running until SIGTERM');
    const before = await processesOf(platform.dataDir);
    // web (next), worker, router, and the app's shell and node at least
    expect(before.length).toBeGreaterThanOrEqual(5);

    process.kill(platform.pid, 'SIGTERM');
    await platform.exited();
    await waitUntil(
      'every process of the platform to be gone',
      async () => (await processesOf(platform?.dataDir as string)).length === 0,
      30_000,
    );
  }, 180_000);
});

describe('operations: Redis goes away and comes back empty', () => {
  let platform: RunningPlatform | undefined;
  let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  let repo: BareRepo | undefined;
  afterAll(async () => {
    await platform?.stop();
    await redis?.stop();
    await repo?.remove();
  });

  it('answers from Postgres while Redis is down, keeps apps running, and catches up once it is back', async () => {
    redis = await startRedisServer();
    platform = await startPlatform({ redisUrl: redis.url });
    repo = await createBareRepo();
    const app = 'weathered';
    const host = `${app}.localhost`;
    expect((await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url })).status).toBe(201);
    await deployAndServe(platform, repo, app, 'before the outage');

    await redis.stop();
    // Each of these returns while Redis is still down: nothing waits for it.
    const health = await fetch(`${platform.webUrl}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'degraded', checks: { database: 'ok', queue: 'down' } });

    const viaApi = await repo.commit(sampleAppFiles({ text: 'deployed during the outage' }), 'during');
    const deploy = await platform.api('POST', `/api/v1/apps/${app}/deploys`, { ref: viaApi });
    expect(deploy.status, deploy.text).toBe(202);
    const pushed = await sendGithubDelivery({
      url: platform.webhookUrl,
      secret: platform.secrets.GITHUB_WEBHOOK_SECRET,
      event: 'push',
      body: JSON.stringify(pushPayload({ repoUrl: repo.url, branch: 'main', sha: viaApi })),
    });
    expect(pushed.status).toBe(202);
    // Stored while Redis is down: the worker relays it once Redis is back.
    expect(pushed.json.status).toBe('received');

    // An app process that dies during the outage is replaced: upkeep runs on the worker's own timer.
    const crashedAt = Date.now();
    await getViaRouter(platform.routerPort, host, '/__crash');
    await waitUntil(
      'the crashed instance to be replaced while Redis is down',
      async () => {
        const res = await getViaRouter(platform?.routerPort as number, host);
        return res.status === 200 && res.body === 'before the outage';
      },
      60_000,
      200,
    );
    // The worker records it on its own timer too; the router's health check may see the new instance first.
    await waitUntil(
      'the worker to record the replaced instance while Redis is down',
      async () => {
        const group = await (platform as RunningPlatform).db.serverGroup.findFirstOrThrow({
          where: { app: { name: app }, receivesTraffic: true },
        });
        return group.observedHealthy === 1 && (group.observedAt?.getTime() ?? 0) > crashedAt;
      },
      30_000,
      200,
    );

    await redis.start();
    await waitUntil(
      'the deploy asked for during the outage to be served',
      async () => (await getViaRouter(platform?.routerPort as number, host)).body === 'deployed during the outage',
      120_000,
      200,
    );
    expect((await (await fetch(`${platform.webUrl}/api/health`)).json()).status).toBe('ok');
    // Traffic switches before the deployment retires the old group and ends, so wait for every one to end.
    const ended = ['succeeded', 'failed', 'canceled'];
    await waitUntil(
      'every deployment to end',
      async () =>
        (await platform?.db.deployment.findMany({ where: { app: { name: app } } }))?.every((d) => ended.includes(d.state)) ??
        false,
      60_000,
      200,
    );
    const deployments = await platform.db.deployment.findMany({ where: { app: { name: app } } });
    expect(deployments.map((d) => d.state).filter((s) => s === 'failed')).toEqual([]);
  }, 240_000);
});
