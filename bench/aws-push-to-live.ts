// aws-push-to-live: five pushes through the whole platform and the AWS
// provider on the AWS twin (the builder and the instances run the real user
// data and agent; the twin's load balancer routes and health-checks), each
// timed from the webhook's 2xx to the new text served by the load balancer,
// while a client polls the app and counts every answer that is not the old or
// the new text. Phases are medians over the runs: bake (builder launch to
// CreateImage), image (to the image available), launch, healthy, switch.
// Last line: {"bench":"aws-push-to-live","runs":5,"median_ms":…,"p95_ms":…,"failed_requests":0,
//             "aws_calls_per_deploy":…,"phases_ms":{"bake":…,"image":…,"launch":…,"healthy":…,"switch":…}}
import { parseStepData } from '@paas/core';
import {
  createBareRepo,
  getViaRouter,
  pushPayload,
  sampleAppFiles,
  sendGithubDelivery,
  startPlatform,
  waitUntil,
} from '@paas/testing';
import { startAwsTwin } from '@paas/testing/aws';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)] ?? Number.NaN);
}
const ms = (from?: string | Date | null, to?: string | Date | null) =>
  from && to ? new Date(to).getTime() - new Date(from).getTime() : Number.NaN;

const twin = await startAwsTwin();
const platform = await startPlatform({
  env: twin.platformEnv,
});
const repo = await createBareRepo();
try {
  const app = 'bench-aws';
  const host = `${app}.${twin.platformEnv.PAAS_DOMAIN}`;
  const account = await platform.api('POST', '/api/v1/cloud-accounts', { name: 'twin', provider: 'aws', region: 'us-east-1' });
  if (account.status !== 201) throw new Error(`could not add the account: ${account.text}`);
  const created = await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url, cloudAccount: 'twin' });
  if (created.status !== 201) throw new Error(`could not create the app: ${created.text}`);
  const scaled = await platform.api('PATCH', `/api/v1/apps/${app}/formation/web`, { quantity: 2 });
  if (scaled.status !== 200) throw new Error(`could not scale: ${scaled.text}`);

  let serving: string | null = null;
  let next: string | null = null;
  let failed = 0;
  let answered = 0;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      if (serving !== null) {
        const res = await getViaRouter(twin.loadBalancer.port, host).catch(() => ({ status: 0, body: '' }));
        if (res.status === 200 && (res.body === serving || res.body === next)) answered++;
        else {
          failed++;
          console.log(`failed request: ${res.status} ${res.body.slice(0, 100)}`);
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const totals: number[] = [];
  const calls: number[] = [];
  const phases = {
    bake: [] as number[],
    image: [] as number[],
    launch: [] as number[],
    healthy: [] as number[],
    switch: [] as number[],
  };
  for (let run = 1; run <= RUNS; run++) {
    const text = `aws bench run ${run} ${Date.now()}`;
    next = text;
    const sha = await repo.commit(sampleAppFiles({ text }), text);
    const callsBefore = twin.proxy.totalCalls();
    const res = await sendGithubDelivery({
      url: platform.webhookUrl,
      secret: platform.secrets.GITHUB_WEBHOOK_SECRET,
      event: 'push',
      body: JSON.stringify(pushPayload({ repoUrl: repo.url, branch: 'main', sha, message: text })),
    });
    const accepted = performance.now();
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(res.json)}`);
    await waitUntil(`run ${run} live`, async () => (await getViaRouter(twin.loadBalancer.port, host)).body === text, 300_000, 25);
    totals.push(performance.now() - accepted);
    serving = text;
    const deployment = await waitUntil(
      `run ${run}'s deployment to end`,
      async () => {
        const d = await platform.db.deployment.findFirst({ where: { commitSha: sha }, include: { build: true } });
        return d?.finishedAt ? d : null;
      },
      120_000,
      100,
    );
    if (deployment.state !== 'succeeded') throw new Error(`run ${run} ended ${deployment.state}: ${deployment.error}`);
    calls.push(twin.proxy.totalCalls() - callsBefore);
    const steps = parseStepData(deployment.stepData);
    const captured = deployment.build?.imageRef ? twin.captures.get(deployment.build.imageRef) : undefined;
    phases.bake.push(ms(steps.build?.startedAt, captured ? new Date(captured) : null));
    phases.image.push(ms(captured ? new Date(captured) : null, steps.build?.finishedAt));
    phases.launch.push(ms(steps.release?.startedAt ?? steps.launch?.startedAt, steps.launch?.finishedAt));
    phases.healthy.push(ms(steps.await_healthy?.startedAt, steps.await_healthy?.finishedAt));
    phases.switch.push(ms(steps.route?.startedAt, steps.route?.finishedAt));
    console.log(`run ${run}: live after ${Math.round(totals.at(-1) ?? 0)} ms, ${calls.at(-1)} AWS calls`);
  }
  polling = false;
  await poller;
  console.log(`${answered} requests answered by the old or new release while deploying`);
  console.log(
    JSON.stringify({
      bench: 'aws-push-to-live',
      runs: RUNS,
      median_ms: percentile(totals, 50),
      p95_ms: percentile(totals, 95),
      failed_requests: failed,
      aws_calls_per_deploy: percentile(calls, 50),
      phases_ms: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, percentile(v, 50)])),
    }),
  );
} finally {
  await platform.stop();
  await twin.stop();
  await repo.remove();
}
