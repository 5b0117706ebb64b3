// api: the REST API under 50 concurrent clients for 20 s (from a separate
// process), across 200 apps in 4 teams: listing, reading apps and config,
// scale changes, and probes of other teams' apps. `forbidden_leaks` counts any
// answer that showed one team another team's data (a list naming its apps, or
// anything but 404 for one of them).
// Last line: {"bench":"api","requests":…,"per_s":…,"p50_ms":…,"p99_ms":…,"errors":0,"forbidden_leaks":0}
import { spawn } from 'node:child_process';
import { REPO_ROOT, signIn, startPlatform, tokenFor } from '@paas/testing';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const TEAMS = 4;
const APPS = 200;

const platform = await startPlatform();
try {
  const cookie = await signIn(platform.webUrl, platform.owner.email, platform.owner.password);
  const teams: { slug: string; token: string; apps: string[] }[] = [];
  for (let t = 0; t < TEAMS; t++) {
    const slug = t === 0 ? 'default' : `team-${t}`;
    if (t > 0) {
      const made = await platform.api('POST', '/api/v1/teams', { slug, name: `Team ${t}` });
      if (made.status !== 201) throw new Error(`could not create team ${slug}: ${made.text}`);
    }
    teams.push({ slug, token: await tokenFor(platform.webUrl, cookie, slug), apps: [] });
  }
  for (let i = 0; i < APPS; i++) {
    const team = teams[i % TEAMS] as (typeof teams)[number];
    const name = `${team.slug}-app-${i}`;
    const made = await platform.api('POST', '/api/v1/apps', { name, repoUrl: `https://git.example.com/${name}.git` }, team.token);
    if (made.status !== 201) throw new Error(`could not create ${name}: ${made.text}`);
    const config = await platform.api('PATCH', `/api/v1/apps/${name}/config`, { SECRET: `of-${team.slug}` }, team.token);
    if (config.status !== 202) throw new Error(`could not configure ${name}: ${config.text}`);
    team.apps.push(name);
  }
  console.log(`${APPS} apps in ${TEAMS} teams; ${CONCURRENCY} clients for ${DURATION_MS / 1000} s`);

  const clients = spawn(process.execPath, ['--import', 'tsx', 'bench/api-clients.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      BASE_URL: platform.webUrl,
      TEAMS: JSON.stringify(teams),
      DURATION_MS: String(DURATION_MS),
      CONCURRENCY: String(CONCURRENCY),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  clients.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => clients.once('close', resolve));
  if (code !== 0) throw new Error(`the clients exited with ${code}`);
  const result = JSON.parse(out.trim().split('\n').at(-1) as string);
  console.log(
    `by kind: ${JSON.stringify(result.by_kind)}${result.sample_errors.length ? `; errors: ${result.sample_errors.join(' | ')}` : ''}`,
  );
  console.log(
    JSON.stringify({
      bench: 'api',
      requests: result.requests,
      per_s: result.per_s,
      p50_ms: result.p50_ms,
      p99_ms: result.p99_ms,
      errors: result.errors,
      forbidden_leaks: result.forbidden_leaks,
    }),
  );
} finally {
  await platform.stop();
}
