// zero-downtime: constant load through the router at an app with 3 web
// processes while a new release deploys, then while it scales 3 → 1 → 3.
// The load comes from a process of its own (bench/load/http-load.mjs): RATE
// requests/s, every SLOW_EVERY-th one a 2 s request. Every answer that is not
// a 200 from the app, and every connection error, counts as failed.
// Last line: {"bench":"zero-downtime","requests":…,"failed":0,"p99_ms":…,"deploy_ms":…}
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  createBareRepo,
  getViaRouter,
  pushPayload,
  type RunningPlatform,
  sampleAppFiles,
  sendGithubDelivery,
  startPlatform,
  waitUntil,
} from '@paas/testing';

const RATE = Number(process.env.BENCH_RATE ?? 600);
const SLOW_EVERY = Number(process.env.BENCH_SLOW_EVERY ?? 200);
const APP = 'zero-downtime';
const HOST = `${APP}.localhost`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Formation {
  type: string;
  desired: number | null;
  healthy: number;
  starting: number;
  failed: number;
}

async function web(platform: RunningPlatform): Promise<Formation | undefined> {
  const res = await platform.api('GET', `/api/v1/apps/${APP}`);
  return (res.json as { app: { formation: Formation[] } }).app.formation.find((f) => f.type === 'web');
}

async function scale(platform: RunningPlatform, quantity: number): Promise<number> {
  const t0 = performance.now();
  const res = await platform.api('PATCH', `/api/v1/apps/${APP}/formation/web`, { quantity });
  if (res.status !== 200) throw new Error(`scaling to ${quantity} answered ${res.status}: ${res.text}`);
  await waitUntil(
    `${quantity} healthy web processes and no others`,
    async () => {
      const f = await web(platform);
      return f?.healthy === quantity && f.starting === 0 && f.failed === 0 && f.desired === quantity;
    },
    120_000,
    100,
  );
  return Math.round(performance.now() - t0);
}

async function push(platform: RunningPlatform, repo: Awaited<ReturnType<typeof createBareRepo>>, text: string) {
  const sha = await repo.commit(sampleAppFiles({ text }), text);
  const body = JSON.stringify(pushPayload({ repoUrl: repo.url, branch: 'main', sha, message: text }));
  const res = await sendGithubDelivery({
    url: platform.webhookUrl,
    secret: platform.secrets.GITHUB_WEBHOOK_SECRET,
    event: 'push',
    body,
  });
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(res.json)}`);
  return sha;
}

/** Starts the load generator and resolves once it is sending. */
async function startLoad(routerPort: number) {
  const script = fileURLToPath(new URL('./load/http-load.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, String(routerPort), HOST, String(RATE), '/__slow/2000', String(SLOW_EVERY)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
  const ready = await next();
  if (ready !== 'ready') throw new Error(`the load generator said ${ready}`);
  return {
    async stop() {
      const summary = next();
      child.stdin.write('stop\n');
      return JSON.parse(await summary) as {
        requests: number;
        failed: number;
        failures: Record<string, number>;
        rate: number;
        p50_ms: number;
        p99_ms: number;
        max_ms: number;
        slow_requests: number;
        slow_p50_ms: number;
      };
    },
  };
}

const platform = await startPlatform();
const repo = await createBareRepo();
try {
  const created = await platform.api('POST', '/api/v1/apps', { name: APP, repoUrl: repo.url, branch: 'main' });
  if (created.status !== 201) throw new Error(`could not create the app: ${created.text}`);
  await push(platform, repo, 'release one');
  await waitUntil(
    'release one live',
    async () => (await getViaRouter(platform.routerPort, HOST)).body === 'release one',
    180_000,
    50,
  );
  await scale(platform, 3);
  console.log('release one serves with 3 web processes; starting the load');

  const load = await startLoad(platform.routerPort);
  await sleep(3_000);

  const pushedAt = performance.now();
  const sha = await push(platform, repo, 'release two');
  const deployment = await waitUntil(
    'release two deployed',
    async () => {
      const d = await platform.db.deployment.findFirst({ where: { commitSha: sha }, orderBy: { createdAt: 'desc' } });
      if (d?.state === 'failed' || d?.state === 'canceled') throw new Error(`the deployment ${d.state}: ${d.error}`);
      return d?.state === 'succeeded' ? d : null;
    },
    180_000,
    50,
  );
  const deployMs = Math.round(performance.now() - pushedAt);
  console.log(`release two deployed in ${deployMs} ms (deployment ${deployment.id})`);
  await sleep(3_000);

  const down = await scale(platform, 1);
  console.log(`scaled 3 → 1 in ${down} ms`);
  await sleep(3_000);
  const up = await scale(platform, 3);
  console.log(`scaled 1 → 3 in ${up} ms`);
  await sleep(3_000);

  const result = await load.stop();
  console.log(`load: ${JSON.stringify(result)}`);
  if ((await getViaRouter(platform.routerPort, HOST)).body !== 'release two') throw new Error('release two is not what serves');
  console.log(
    JSON.stringify({
      bench: 'zero-downtime',
      requests: result.requests,
      failed: result.failed,
      p99_ms: result.p99_ms,
      deploy_ms: deployMs,
      rate_per_s: result.rate,
      slow_requests: result.slow_requests,
      scale_down_ms: down,
      scale_up_ms: up,
    }),
  );
} finally {
  await platform.stop();
  await repo.remove();
}
