#!/usr/bin/env node
// `npm start`  : installs what is missing, migrates, builds, then runs the whole
//                platform on the local provider (dashboard, webhook receiver,
//                worker, router).
// `npm test`   : installs what is missing, then lint, typecheck and every test.
// `npm run bench -- <name>` : one benchmark from bench/, last line JSON.
// `node scripts/platform.mjs build` : dependencies, Prisma client, dashboard build.
// `node scripts/platform.mjs service <name>` : one platform process (systemd units).
// `npm run backup -- <file>` / `npm run restore -- <file>` : the database, the
//                secrets and the app repositories in one archive, and back.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureGo, ensureInstallTestTools } from './lib/apt.mjs';
import { ensureChromium } from './lib/chromium.mjs';
import {
  databaseTrustsEveryone,
  ensureGenerated,
  ensureInstalled,
  ensureServices,
  ensureWebBuilt,
  fail,
  migrate,
  platformEnv,
  ROOT,
  run,
  say,
  spawnService,
  spawnTs,
  TEST_WEB_DIST_DIR,
  waitForHttp,
} from './lib/steps.mjs';

const [command = 'start', ...rest] = process.argv.slice(2);

async function start() {
  // The e2e tests and the benchmark run this same command with setup already done.
  const skipSetup = process.env.PAAS_SKIP_SETUP === '1';
  if (!skipSetup) {
    ensureInstalled();
    ensureGenerated();
  }
  const env = platformEnv();
  if (!skipSetup) {
    await ensureServices(env);
    migrate(env);
    ensureWebBuilt();
    if (await databaseTrustsEveryone(env.DATABASE_URL)) {
      say(
        'warning: PostgreSQL accepts connections without the right password (trust auth): any user of this machine, apps included, can reach the platform’s data. Use password auth (scram-sha-256) beyond a laptop.',
      );
    }
  }

  const children = [];
  let stopping = false;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    if (env.PAAS_KEEP_APPS !== '1') {
      // App processes are the local "cloud"; they come back on the next start
      // (the worker's reconcile restarts every server group's processes).
      run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/stop-local-apps.ts')], { env: { ...process.env, ...env } });
    }
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stopAll(0));
  // If whatever started us dies without passing a signal on (a shell between
  // npm and us, a killed terminal), we are re-parented: stop as if signalled.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stopAll(0);
  }, 500).unref();

  const web = spawnService(join(ROOT, 'node_modules/.bin/next'), ['start', '-p', env.PORT], env, 'web', join(ROOT, 'apps/web'));
  const isolated = process.getuid?.() === 0 && existsSync('/usr/sbin/useradd');
  const worker = spawnTs('apps/worker/src/main.ts', env, 'worker');
  const router = spawnTs('apps/router/src/main.ts', env, 'router');
  const webhooks = spawnTs('apps/webhooks/src/main.ts', env, 'hooks');
  children.push(web, worker, router, webhooks);
  for (const c of children) {
    c.on('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`a platform process exited (${code ?? signal}); stopping the others\n`);
      void stopAll(1);
    });
  }

  const workerReady = new Promise((resolve) => worker.on('line', (l) => l.includes('worker started') && resolve()));
  try {
    await Promise.all([
      waitForHttp(`http://127.0.0.1:${env.PORT}/api/health`, 60_000, (r) => r.ok),
      waitForHttp(`http://127.0.0.1:${env.PAAS_ROUTER_PORT}/`, 30_000, () => true),
      waitForHttp(`http://127.0.0.1:${env.PAAS_WEBHOOK_PORT}/healthz`, 30_000, (r) => r.ok),
      Promise.race([
        workerReady,
        new Promise((_, reject) => setTimeout(() => reject(new Error('worker did not start within 60 s')), 60_000)),
      ]),
    ]);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    await stopAll(1);
  }
  process.stdout.write(
    [
      '',
      '  \x1b[1mThe platform is up\x1b[0m (local provider)',
      `  Dashboard   http://localhost:${env.PORT}   (first start: set up the owner account with the setup token PAAS_ADMIN_TOKEN from .paas/secrets.env)`,
      `  Apps        http://<app>.localhost:${env.PAAS_ROUTER_PORT}`,
      `  API         http://localhost:${env.PORT}/api/v1   (Authorization: Bearer <an API token from your account page>)`,
      `  Webhook     http://localhost:${env.PAAS_WEBHOOK_PORT}/api/webhooks/github   (secret: GITHUB_WEBHOOK_SECRET)`,
      isolated
        ? '  Apps        each runs as an unprivileged user of its own'
        : '  \x1b[33mApps run as your own user\x1b[0m (start the platform as root to give each app a user of its own)',
      '  Ctrl-C (or SIGTERM) stops everything; apps come back on the next start.',
      'PAAS READY',
      '',
    ].join('\n'),
  );
}

async function test() {
  ensureInstalled();
  ensureChromium();
  ensureGo();
  ensureInstallTestTools();
  ensureGenerated();
  const env = {
    ...process.env,
    TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
  await ensureServices({ DATABASE_URL: env.TEST_DATABASE_URL, REDIS_URL: env.REDIS_URL });
  // Its own build dir: a platform running from this checkout keeps serving its own build.
  ensureWebBuilt(TEST_WEB_DIST_DIR);
  env.PAAS_WEB_DIST_DIR = TEST_WEB_DIST_DIR;
  say('Lint (biome)');
  run(join(ROOT, 'node_modules/.bin/biome'), ['check', '.'], { env });
  say('Typecheck');
  run(join(ROOT, 'node_modules/.bin/turbo'), ['run', 'typecheck', '--output-logs=errors-only'], { env });
  say('Tests (unit, integration, end-to-end)');
  const report = join(ROOT, '.paas/test-report.json');
  rmSync(report, { force: true });
  const vitest = join(ROOT, 'node_modules/.bin/vitest');
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(vitest, ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...rest], {
    cwd: ROOT,
    stdio: 'inherit',
    env,
  });
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    process.stdout.write(`\n${json.numPassedTests} passed, ${json.numFailedTests} failed\n`);
    if (json.numTotalTests === 0) fail('no test ran');
  }
  process.exit(r.status ?? 1);
}

async function bench() {
  const name = rest[0];
  if (!name || !existsSync(join(ROOT, 'bench', `${name}.ts`))) {
    const available = readdirSync(join(ROOT, 'bench'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3));
    fail(`usage: npm run bench -- <name>; available: ${available.join(', ')}`);
  }
  ensureInstalled();
  ensureGenerated();
  ensureWebBuilt(TEST_WEB_DIST_DIR);
  run(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', `${name}.ts`), ...rest.slice(1)], {
    env: { ...process.env, PAAS_WEB_DIST_DIR: TEST_WEB_DIST_DIR },
  });
}

// One platform process in the foreground with the platform's environment (for
// containers and process managers: `node scripts/platform.mjs service worker`).
async function service() {
  const name = rest[0];
  const env = platformEnv();
  const { spawn } = await import('node:child_process');
  const entries = {
    web: [
      join(ROOT, 'node_modules/.bin/next'),
      ['start', '-p', env.PORT, ...(env.PAAS_WEB_HOST ? ['-H', env.PAAS_WEB_HOST] : [])],
      join(ROOT, 'apps/web'),
    ],
    worker: [process.execPath, ['--import', 'tsx', join(ROOT, 'apps/worker/src/main.ts')], ROOT],
    router: [process.execPath, ['--import', 'tsx', join(ROOT, 'apps/router/src/main.ts')], ROOT],
    webhooks: [process.execPath, ['--import', 'tsx', join(ROOT, 'apps/webhooks/src/main.ts')], ROOT],
  };
  if (!entries[name]) fail(`usage: node scripts/platform.mjs service <${Object.keys(entries).join('|')}>`);
  if (name === 'web') ensureWebBuilt(env.PAAS_WEB_DIST_DIR || undefined);
  const [cmd, args, cwd] = entries[name];
  const child = spawn(cmd, args, { cwd, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}

// Until one platform process answers on its port (a unit's ExecStartPost, so
// that `systemctl restart` returns once the process serves, and an upgrade
// restarts the next one only then). The worker has no port: it is ready at once.
async function waitReady() {
  const name = rest[0];
  const env = platformEnv();
  const urls = {
    web: `http://127.0.0.1:${env.PORT}/api/health`,
    router: `http://127.0.0.1:${env.PAAS_ROUTER_PORT}/`,
    webhooks: `http://127.0.0.1:${env.PAAS_WEBHOOK_PORT}/healthz`,
    worker: null,
  };
  if (!(name in urls)) fail(`usage: node scripts/platform.mjs wait-ready <${Object.keys(urls).join('|')}>`);
  if (urls[name]) await waitForHttp(urls[name], 90_000, (res) => name === 'router' || res.ok);
}

// Dependencies, the Prisma client and the dashboard's build, and nothing else:
// what an install prepares before any process starts.
function build() {
  ensureInstalled();
  ensureGenerated();
  ensureWebBuilt(process.env.PAAS_WEB_DIST_DIR || undefined);
}

const commands = {
  start,
  service,
  'wait-ready': waitReady,
  build,
  test,
  bench,
  migrate: async () => {
    ensureInstalled();
    const env = platformEnv();
    await ensureServices(env);
    migrate(env);
  },
  // `node scripts/platform.mjs build` : dependencies, Prisma client, dashboard build.
  // `node scripts/platform.mjs service <name>` : one platform process (systemd units).
  // `npm run backup -- <file>` / `npm run restore -- <file>`: see scripts/lib/backup.mjs and restore.mjs.
  backup: async () => (await import('./lib/backup.mjs')).backup(rest),
  restore: async () => (await import('./lib/restore.mjs')).restore(rest),
};
if (!commands[command]) fail(`unknown command "${command}"; use one of: ${Object.keys(commands).join(', ')}`);
await commands[command]();
