import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createTestDatabase } from './database';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? res(address.port) : rej(new Error('no port'))));
    });
  });
}

/** Deletes every Redis key under a test's prefix. */
export async function dropRedisPrefix(url: string, prefix: string) {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export type RunningPlatform = Awaited<ReturnType<typeof startPlatform>>;

/**
 * Starts the whole platform exactly as `npm start` does (same script), on a
 * fresh Postgres schema, its own Redis prefix, data dir and ports.
 */
export interface PlatformOptions {
  healthTimeoutMs?: number;
  log?: boolean;
  /** Another Redis (a test that stops and restarts its own). */
  redisUrl?: string;
  /** Extra environment for every platform process. */
  env?: Record<string, string>;
  /** Start through `npm start` (as a user would) instead of the script it runs. */
  viaNpm?: boolean;
}

export async function startPlatform(opts: PlatformOptions = {}) {
  // Tests serve the dashboard from their own build, never the one `npm start` serves.
  const distDir = process.env.PAAS_WEB_DIST_DIR || '.next-test';
  if (!existsSync(join(REPO_ROOT, 'apps/web', distDir, 'BUILD_ID'))) {
    throw new Error(`the dashboard is not built into apps/web/${distDir}: run \`npm test\` (it builds first)`);
  }
  const database = await createTestDatabase();
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `paas-test-${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'paas-e2e-'));
  const [webPort, routerPort, webhookPort] = [await freePort(), await freePort(), await freePort()];
  const secrets = {
    PAAS_ADMIN_TOKEN: randomBytes(24).toString('hex'),
    GITHUB_WEBHOOK_SECRET: randomBytes(20).toString('hex'),
    PAAS_SECRET_KEY: randomBytes(32).toString('hex'),
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...secrets,
    PAAS_SKIP_SETUP: '1',
    // As a real install runs: libraries relax checks under NODE_ENV=test (the test runner's).
    NODE_ENV: 'production',
    PAAS_WEB_DIST_DIR: distDir,
    DATABASE_URL: database.url,
    DATABASE_SCHEMA: database.schema,
    REDIS_URL: redisUrl,
    PAAS_REDIS_PREFIX: prefix,
    PAAS_DATA_DIR: dataDir,
    PORT: String(webPort),
    PAAS_ROUTER_PORT: String(routerPort),
    PAAS_ROUTER_HOST: '127.0.0.1',
    PAAS_WEBHOOK_PORT: String(webhookPort),
    PAAS_WEBHOOK_HOST: '127.0.0.1',
    PAAS_RECONCILE_INTERVAL_MS: '2000',
    // Charts a few seconds behind, so tests see traffic without waiting a minute.
    PAAS_METRICS_INTERVAL_MS: '2000',
    PAAS_HEALTH_TIMEOUT_MS: String(opts.healthTimeoutMs ?? 60_000),
    ...opts.env,
  };

  const output: string[] = [];
  const [command, args] = opts.viaNpm
    ? ['npm', ['start', '--silent']]
    : [process.execPath, [join(REPO_ROOT, 'scripts/platform.mjs'), 'start']];
  const child: ChildProcess = spawn(command as string, args as string[], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    if (opts.log || process.env.PAAS_TEST_LOG) process.stdout.write(text);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  await new Promise<void>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`platform did not start within 90 s:\n${output.join('').slice(-4000)}`)),
      90_000,
    );
    const onData = () => {
      if (output.join('').includes('PAAS READY')) {
        clearTimeout(timer);
        res();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`platform exited with ${code} before it was ready:\n${output.join('').slice(-4000)}`));
    });
  });

  const webUrl = `http://127.0.0.1:${webPort}`;
  // The platform's first user, made as a team would (the admin token sets up
  // the owner once), and an API token of theirs that `api()` uses.
  const owner = { email: 'owner@example.test', password: randomBytes(12).toString('hex') };
  const setup = await fetch(`${webUrl}/api/v1/setup`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secrets.PAAS_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...owner, name: 'Owner' }),
  });
  if (setup.status !== 201) throw new Error(`setting up the first owner failed: ${setup.status} ${await setup.text()}`);
  const ownerToken: string = ((await setup.json()) as { token: { token: string } }).token.token;
  const api = async (method: string, path: string, body?: unknown, token = ownerToken) => {
    const res = await fetch(`${webUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, json, text };
  };

  return {
    webUrl,
    /** Where GitHub delivers (the webhook receiver). */
    webhookUrl: `http://127.0.0.1:${webhookPort}/api/webhooks/github`,
    routerPort,
    dataDir,
    db: database.db,
    secrets,
    /** The first user (owner of the platform's team) and an API token of theirs. */
    owner: { ...owner, token: ownerToken },
    api,
    /** The process `npm start` (or the platform script) runs as. */
    pid: child.pid as number,
    exited: () =>
      child.exitCode === null ? new Promise<number | null>((r) => child.once('exit', r)) : Promise.resolve(child.exitCode),
    output: () => output.join(''),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await database.drop();
      await dropRedisPrefix(redisUrl, prefix).catch(() => {});
      // Stops what is left, deletes the app users made for this data dir, removes it.
      const removed = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/remove-local-data.ts'), dataDir], {
        cwd: REPO_ROOT,
        stdio: 'inherit',
      });
      if (removed.status !== 0) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
