// push-to-live: five pushes through the whole loop on the local provider,
// each timed from the webhook's 2xx to the new text served by the router.
// The app has a dependency (a local package: no registry is reachable), the
// same in every push: from the second push on, its node_modules comes from
// the build cache, as for any push that does not change the lockfile.
// Last line: {"bench":"push-to-live","runs":5,"median_ms":…,"p95_ms":…,"build_median_ms":…,"unchanged_deps_median_ms":…}
import {
  createBareRepo,
  getViaRouter,
  pushPayload,
  sampleAppWithDependencyFiles,
  sendGithubDelivery,
  startPlatform,
  waitUntil,
} from '@paas/testing';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)] as number;
}

/** Where a deployment's time went: each step's duration, and the gap from the push to the first step. */
async function stepTimes(sha: string): Promise<string> {
  const d = await platform.db.deployment.findFirst({ where: { commitSha: sha }, orderBy: { createdAt: 'desc' } });
  if (d === null) return 'no deployment';
  const steps = d.stepData as Record<string, { startedAt?: string; finishedAt?: string }>;
  const parts = [`queued ${(d.startedAt?.getTime() ?? Number.NaN) - d.createdAt.getTime()} ms`];
  for (const [name, step] of Object.entries(steps)) {
    if (step.startedAt && step.finishedAt) parts.push(`${name} ${Date.parse(step.finishedAt) - Date.parse(step.startedAt)} ms`);
  }
  return parts.join(', ');
}

const platform = await startPlatform();
const repo = await createBareRepo();
try {
  const app = 'bench-app';
  const host = `${app}.localhost`;
  const created = await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url, branch: 'main' });
  if (created.status !== 201) throw new Error(`could not create the app: ${created.text}`);

  const totals: number[] = [];
  const builds: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const text = `bench run ${run} ${Date.now()}`;
    const sha = await repo.commit(await sampleAppWithDependencyFiles({ text, greetVersion: '1.0.0' }), text);
    const body = JSON.stringify(pushPayload({ repoUrl: repo.url, branch: 'main', sha, message: text }));
    const res = await sendGithubDelivery({
      url: platform.webhookUrl,
      secret: platform.secrets.GITHUB_WEBHOOK_SECRET,
      event: 'push',
      body,
    });
    const accepted = performance.now();
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(res.json)}`);
    await waitUntil(
      `run ${run} live`,
      async () => (await getViaRouter(platform.routerPort, host)).body.includes(text),
      180_000,
      25,
    );
    const ms = performance.now() - accepted;
    totals.push(ms);
    const build = await platform.db.build.findFirstOrThrow({ where: { commitSha: sha } });
    const buildMs = build.finishedAt && build.startedAt ? build.finishedAt.getTime() - build.startedAt.getTime() : Number.NaN;
    builds.push(buildMs);
    console.log(`run ${run}: live after ${Math.round(ms)} ms (build ${buildMs} ms; ${await stepTimes(sha)})`);
  }
  const sorted = [...totals].sort((a, b) => a - b);
  const unchangedDeps = totals.slice(1).sort((a, b) => a - b);
  const sortedBuilds = [...builds].sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: 'push-to-live',
      runs: RUNS,
      median_ms: Math.round(percentile(sorted, 50)),
      p95_ms: Math.round(percentile(sorted, 95)),
      build_median_ms: Math.round(percentile(sortedBuilds, 50)),
      unchanged_deps_median_ms: unchangedDeps.length > 0 ? Math.round(percentile(unchangedDeps, 50)) : null,
    }),
  );
} finally {
  await platform.stop();
  await repo.remove();
}
