// push-burst: many pushes of one commit at once (a busy repository, redelivered
// hooks): how many builds it costs, how long until every deployment has ended
// and the commit is served, and how hard the engine works the database while
// deployments wait (they must be woken, not poll).
// Last line: {"bench":"push-burst","pushes":…,"builds":…,"drain_ms":…,"db_commits_per_s":…}

import {
  createBareRepo,
  getViaRouter,
  pushPayload,
  sampleAppFiles,
  sendGithubDelivery,
  startPlatform,
  waitUntil,
} from '@paas/testing';
import pg from 'pg';

const PUSHES = Number(process.env.BENCH_PUSHES ?? 150);
const app = 'bench-burst';

const platform = await startPlatform();
const repo = await createBareRepo();
const stats = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test' });
await stats.connect();
const commits = async () =>
  Number((await stats.query(`SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()`)).rows[0].xact_commit);
try {
  const created = await platform.api('POST', '/api/v1/apps', { name: app, repoUrl: repo.url, branch: 'main' });
  if (created.status !== 201) throw new Error(`could not create the app: ${created.text}`);
  const sha = await repo.commit(sampleAppFiles({ text: 'burst' }), 'burst');
  const body = JSON.stringify(pushPayload({ repoUrl: repo.url, branch: 'main', sha }));
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: PUSHES }, () =>
      sendGithubDelivery({
        url: platform.webhookUrl,
        secret: platform.secrets.GITHUB_WEBHOOK_SECRET,
        event: 'push',
        body,
      }),
    ),
  );
  const refused = answers.filter((a) => a.status !== 202);
  if (refused.length > 0) throw new Error(`${refused.length} pushes were not accepted: ${JSON.stringify(refused[0]?.json)}`);

  await waitUntil(
    'the commit to be served',
    async () => (await getViaRouter(platform.routerPort, `${app}.localhost`)).body === 'burst',
    300_000,
    50,
  );
  await waitUntil(
    'every deployment to end',
    async () =>
      (await platform.db.deployment.count({ where: { app: { name: app }, state: { in: ['queued', 'running', 'waiting'] } } })) ===
      0,
    300_000,
    50,
  );
  const drainMs = performance.now() - started;
  // Then the idle load: nothing should be polling Postgres.
  const before = await commits();
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const idlePerSecond = ((await commits()) - before) / 5;
  const builds = await platform.db.build.count({ where: { app: { name: app } } });
  const states = await platform.db.deployment.groupBy({ by: ['state'], where: { app: { name: app } }, _count: true });
  console.log(`deployments by state: ${states.map((s) => `${s.state} ${s._count}`).join(', ')}`);
  console.log(
    JSON.stringify({
      bench: 'push-burst',
      pushes: PUSHES,
      builds,
      drain_ms: Math.round(drainMs),
      db_commits_per_s: Math.round(idlePerSecond),
    }),
  );
} finally {
  await stats.end();
  await platform.stop();
  await repo.remove();
}
