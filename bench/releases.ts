// releases: how fast each kind of release reaches users on the local provider,
// timed from the API's 202 to the router serving the new behaviour:
//   deploy          a new commit (build, health-gated switch)
//   config          PATCH config: same build, new config, new processes
//   rollback warm   to the release just replaced (its group is still running, disabled)
//   rollback cold   to an older release whose group is gone (processes start again)
// Each is measured BENCH_RUNS times (default 5); the medians are reported.
// Last line: {"bench":"releases","config_ms":…,"rollback_warm_ms":…,"rollback_cold_ms":…,"deploy_ms":…}
import { createBareRepo, getViaRouter, type RunningPlatform, sampleAppFiles, startPlatform, waitUntil } from '@paas/testing';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const app = 'bench-releases';
const host = `${app}.localhost`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor((sorted.length - 1) / 2)] as number);
}

/** Milliseconds from the API's 202 until the router answers `expected` at `path`. */
async function timed(
  platform: RunningPlatform,
  ask: () => Promise<{ status: number; text: string }>,
  path: string,
  expected: (status: number, body: string) => boolean,
) {
  const res = await ask();
  const accepted = performance.now();
  if (res.status !== 202) throw new Error(`expected 202, got ${res.status}: ${res.text}`);
  await waitUntil(
    `the router to serve the change at ${path}`,
    async () => {
      const answer = await getViaRouter(platform.routerPort, host, path);
      return expected(answer.status, answer.body);
    },
    180_000,
    10,
  ).catch(async (error: unknown) => {
    // Say what the app did instead, so a slow or failed release can be told apart.
    const detail = await platform.api('GET', `/api/v1/apps/${app}`);
    throw new Error(`${String(error)}\nlatest deployments: ${JSON.stringify(detail.json.app.deployments.slice(0, 2))}`);
  });
  return performance.now() - accepted;
}

async function versionOf(platform: RunningPlatform, status: string): Promise<number> {
  const detail = await platform.api('GET', `/api/v1/apps/${app}`);
  return detail.json.app.releases.find((r: { status: string }) => r.status === status).version;
}

async function idle(platform: RunningPlatform) {
  // The next change starts from a settled app: no deployment still retiring.
  await waitUntil(
    'the app to settle',
    async () =>
      (await platform.api('GET', `/api/v1/apps/${app}`)).json.app.deployments.every(
        (d: { state: string }) => !['queued', 'running', 'waiting'].includes(d.state),
      ),
    120_000,
    20,
  );
}

const platform = await startPlatform();
const repo = await createBareRepo();
try {
  const created = await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url, branch: 'main' });
  if (created.status !== 201) throw new Error(`could not create the app: ${created.text}`);
  await repo.commit(sampleAppFiles({ text: 'setup' }), 'setup');
  await timed(
    platform,
    () => platform.api('POST', `/api/v1/apps/${app}/deploys`),
    '/',
    (_s, body) => body === 'setup',
  );
  await idle(platform);

  const results = { deploy: [] as number[], config: [] as number[], warm: [] as number[], cold: [] as number[] };
  let serving = 'setup';
  for (let run = 1; run <= RUNS; run++) {
    const oldest = await versionOf(platform, 'active');
    const before = serving;
    const text = `bench run ${run} ${Date.now()}`;
    await repo.commit(sampleAppFiles({ text }), text);
    results.deploy.push(
      await timed(
        platform,
        () => platform.api('POST', `/api/v1/apps/${app}/deploys`),
        '/',
        (_s, body) => body === text,
      ),
    );
    await idle(platform);
    const deployed = await versionOf(platform, 'active');

    results.config.push(
      await timed(
        platform,
        () => platform.api('PATCH', `/api/v1/apps/${app}/config`, { BENCH_RUN: String(run) }),
        '/__env/BENCH_RUN',
        (_s, body) => body === String(run),
      ),
    );
    await idle(platform);

    // The release just replaced: the deploy, whose web group the config release kept warm.
    results.warm.push(
      await timed(
        platform,
        () => platform.api('POST', `/api/v1/apps/${app}/rollback`, { version: deployed }),
        '/__env/BENCH_RUN',
        (status) => status === 404,
      ),
    );
    await idle(platform);

    // Two releases back: its group was removed, so its processes start again.
    results.cold.push(
      await timed(
        platform,
        () => platform.api('POST', `/api/v1/apps/${app}/rollback`, { version: oldest }),
        '/',
        (_s, body) => body === before,
      ),
    );
    serving = before;
    await idle(platform);
    console.log(
      `run ${run}: deploy ${Math.round(results.deploy.at(-1) ?? 0)} ms, config ${Math.round(results.config.at(-1) ?? 0)} ms, ` +
        `rollback warm ${Math.round(results.warm.at(-1) ?? 0)} ms, rollback cold ${Math.round(results.cold.at(-1) ?? 0)} ms`,
    );
  }
  console.log(
    JSON.stringify({
      bench: 'releases',
      config_ms: median(results.config),
      rollback_warm_ms: median(results.warm),
      rollback_cold_ms: median(results.cold),
      deploy_ms: median(results.deploy),
    }),
  );
} finally {
  await platform.stop();
  await repo.remove();
}
